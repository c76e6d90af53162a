// Instant Readout over the built bundle (docs/instant-readout.md): the two test vectors through the
// firmware's own encoder, live adverts decoded by the independent host decoder (tools/readout.ts)
// for 1000 random states, every "not available" value, the nonce across changes and restarts,
// and the key.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { decodeAdvert } from "../tools/readout.ts";
import { bankFrame, identityFrame } from "../sim/link.ts";
import { layout } from "./feed.ts";
import { DEFAULT_PIN, bootBoard, readyBoard, remoteOn, remoteRelease, encodeRecord } from "./helpers.ts";

/** The firmware's choices (src/readout/readout.ts), restated: a test must not read them from the code. */
const GAP_S = 60;
/** the outputs are decided (and the readout looked at) at least this often (OUT_REASSERT_TICKS) */
const REASSERT_MS = 10_000;
const BLOCK = 64;

const hexOf = (u: Uint8Array) => Buffer.from(u).toString("hex");
function lastAdvert(b: SimBoard) {
  const a = b.radio.adverts.at(-1);
  assert.ok(a && a.manufacturerData, "an advert with manufacturer data");
  return a;
}
function decoded(b: SimBoard) {
  return decodeAdvert(hexOf(lastAdvert(b).manufacturerData!), b.call<string>("bms.readoutKey()"));
}

/**
 * Every advert sent, decoded with the key it was sent under (found by its key-check byte among
 * the keys bms.readoutKey() has shown), checked against the rule: one plaintext per (key, nonce).
 */
class Ledger {
  readonly keys = new Map<number, string>();
  readonly used = new Map<string, string>();
  sent: { t_ms: number; key: string; nonce: number; plain: string; current_A: unknown }[] = [];
  constructor(readonly b: SimBoard) {
    this.learnKey();
  }
  learnKey(): string {
    const key = this.b.call<string>("bms.readoutKey()");
    this.keys.set(parseInt(key.slice(0, 2), 16), key);
    return key;
  }
  collect(): void {
    const b = this.b;
    for (const a of b.radio.adverts) {
      if (!a.manufacturerData) continue;
      let key = this.keys.get(a.manufacturerData[7]);
      if (key === undefined) key = this.learnKey(); // a key made since the last look
      const d = decodeAdvert(hexOf(a.manufacturerData), key);
      assert.ok(d.keyCheckOk, `advert at ${a.t_ms} ms: a key bms.readoutKey() never showed`);
      const id = key + ":" + d.nonce;
      const plain = d.plain.toString("hex");
      const before = this.used.get(id);
      assert.ok(before === undefined || before === plain, `nonce ${d.nonce} under key ${key} carried ${before} and ${plain} (${a.t_ms} ms)`);
      this.used.set(id, plain);
      this.sent.push({ t_ms: a.t_ms, key, nonce: d.nonce, plain, current_A: d.fields.current_A });
    }
    b.radio.adverts.length = 0;
    this.learnKey();
  }
}

/** Count Storage writes to the nonce reservation record. */
function countNonceWrites(storage: SimStorage): { n: number } {
  const count = { n: 0 };
  const write = storage.write.bind(storage);
  storage.write = (name: string, data: unknown, offset?: number, size?: number) => {
    if (name.startsWith("bms.nonce")) count.n++;
    return write(name, data, offset, size);
  };
  return count;
}

describe("Instant Readout: the firmware's advert header", () => {
  // the vectors' encryption and packing are checked on the pure modules in
  // test/readout.unit.test.ts; every live advert below is decrypted with the host decoder
  it("is_10_00_the_product_id_record_0a_the_nonce_and_the_key_check_byte", () => {
    const b = bootBoard();
    b.advance(2000);
    const live = lastAdvert(b).manufacturerData!;
    const key = b.call<string>("bms.readoutKey()");
    assert.equal(hexOf(live.subarray(0, 5)), "1000eca30a");
    assert.equal(live[5] | (live[6] << 8), decoded(b).nonce);
    assert.equal(live[7], parseInt(key.slice(0, 2), 16));
  });
});

describe("Instant Readout: live adverts", () => {
  it("is_a_31_byte_packet_of_victron_manufacturer_data_with_the_name_in_the_scan_response", () => {
    const { b } = readyBoard();
    const a = lastAdvert(b);
    assert.equal(a.manufacturer, 0x02e1);
    assert.equal(a.bytes.length, 31);
    assert.equal(a.manufacturerData!.length, 24);
    const d = decoded(b);
    assert.equal(d.productId, 0xa3ec);
    assert.equal(d.recordType, 0x0a);
    assert.ok(d.keyCheckOk);
    assert.equal(d.fields.unusedBit, 1);
    const now = b.call<{ nonce: number; plain: string; advert: string }>("bms.readout()");
    assert.equal(now.advert, hexOf(a.manufacturerData!), "bms.readout() shows what is on air");
    assert.equal(now.nonce, d.nonce);
    assert.equal(now.plain, d.plain.toString("hex"));
    const sr = b.radio.scanResponses.at(-1)!.bytes;
    assert.equal(Buffer.from(sr.subarray(2)).toString(), "open smallBMS");
    assert.equal(sr[1], 0x09);
  });

  it("every_field_is_not_available_before_any_bank_data", () => {
    const b = bootBoard();
    b.advance(3000);
    const f = decoded(b).fields;
    for (const k of ["voltage_V", "current_A", "soc_pct", "ttg_min", "consumed_Ah", "temperature_C"]) {
      assert.equal(f[k], undefined, `${k} is n/a`);
    }
    assert.equal(f["wa.lowCellVoltage"], "n/a");
    assert.equal(f["wa.lowSoc"], "n/a");
    assert.equal(f["io.allowedToCharge"], "no");
  });

  it("a_thousand_random_states_round_trip_through_the_independent_decoder", () => {
    const { b, feed } = readyBoard();
    remoteOn(b);
    b.advance(1000); // the remote's edge decides (and sends) on its own, 25 ms on
    const m = feed.batteries[0].m;
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let k = 0; k < 1000; k++) {
      m.voltage_cV = 1200 + rnd(300);
      m.current_dA = rnd(4001) - 2000;
      m.temp_dC = rnd(600) - 100;
      m.cells_mV = [2900 + rnd(700), 3300, 3300, 3300];
      if (k % 7 === 0) b.call(`bms.setSoc(${rnd(1001) / 10})`);
      // the state is on air within the readout's gap: compare at the tick that sends it
      const n = b.radio.adverts.length;
      const within_s = GAP_S + REASSERT_MS / 1000; // the gap, then the next decision
      for (let t = 0; t <= within_s && b.radio.adverts.length === n; t++) b.advance(1000);
      assert.equal(b.radio.adverts.length, n + 1, `state ${k} went out within ${within_s} s`);
      const s = b.call<Record<string, unknown>>("bms.status()");
      const bank = b.call<Record<string, number>>("bms.battery()");
      const f = decoded(b).fields;
      const where = `state ${k}: ${JSON.stringify(s)}`;
      assert.equal(f.voltage_V, s.v, where);
      assert.equal(f.current_A, s.i, where);
      assert.equal(f.soc_pct, s.soc, where);
      assert.equal(f.ttg_min, s.ttg_min, where);
      assert.equal(f.consumed_Ah, s.soc === undefined ? undefined : Math.round(-(s.consumed_Ah as number) * 10) / 10 + 0, where);
      assert.equal(f.temperature_C, Math.max(-40, Math.min(86, Math.round(bank.tempMax_C))) || 0, where);
      assert.equal(f["io.allowedToCharge"], s.atc ? "yes" : "no", where);
      assert.equal(f["io.allowedToDischarge"], s.atd ? "yes" : "no", where);
      assert.equal(f["io.remoteOn"], "yes", where);
      const codes = (s.codes as string[]).join(" ");
      assert.equal(f["wa.lowCellVoltage"], /A-B01/.test(codes) ? "alarm" : /W-B01/.test(codes) ? "warning" : "ok", where);
      assert.equal(f["wa.highBatteryTemperature"], /A-B09/.test(codes) ? "alarm" : "ok", where);
    }
    assert.deepEqual(b.uncaught, []);
  });

  it("link_faults_and_errors_show_in_their_fields", () => {
    const { b, feed } = readyBoard();
    feed.batteries[0].silent = true;
    b.advance(6000);
    assert.equal(decoded(b).fields["wa.bmsCable"], "warning");
    b.advance(30_000);
    assert.equal(decoded(b).fields["wa.bmsCable"], "alarm");
    feed.batteries[0].silent = false;
    feed.batteries[0].m.fault = true;
    b.advance(2000);
    assert.equal(decoded(b).fields.error, 1, "E-B01 is Victron error 1");
  });
});

describe("Instant Readout: nonce and key", () => {
  it("an_unchanged_state_is_not_resent_a_code_goes_out_at_once_other_changes_wait_for_the_gap", () => {
    const { b, feed } = readyBoard();
    const m = feed.batteries[0].m;
    const first = lastAdvert(b);
    const n0 = decoded(b).nonce;
    b.advance(10_000);
    assert.equal(b.radio.adverts.at(-1), first, "nothing changed: nothing re-encrypted");
    m.current_dA = -51;
    // the look after the gap comes with the first decision once it has passed: a reassert tick,
    // every 10 s from boot (src/supervisor.ts OUT_REASSERT_TICKS)
    const due_ms = Math.ceil((first.t_ms + GAP_S * 1000) / REASSERT_MS) * REASSERT_MS;
    b.advance(due_ms - 1 - b.now_ms);
    assert.equal(b.radio.adverts.at(-1), first, "a new current waits for the gap and the decision after it");
    b.advance(1);
    const second = lastAdvert(b);
    assert.equal(second.t_ms, due_ms, `the next payload at the first decision ${GAP_S} s after the last`);
    assert.equal(decoded(b).nonce, n0 + 1);
    assert.equal(decoded(b).fields.current_A, -5.1);
    m.current_dA = -52;
    b.advance(5000);
    assert.equal(lastAdvert(b), second);
    remoteOn(b); // the system goes on: outputs and the remote field change
    b.advance(1000);
    const d = decoded(b);
    assert.equal(d.nonce, n0 + 2, "a change of outputs goes out at the next tick");
    assert.equal(d.fields["io.allowedToDischarge"], "yes");
    assert.equal(d.fields.current_A, -5.2, "and carries the newest numbers");
    m.cells_mV = [3000, 3300, 3300, 3300]; // W-B01
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 3, "a warning goes out at the next tick");
    assert.equal(decoded(b).fields["wa.lowCellVoltage"], "warning");
    b.repl("bms.mode(false)"); // every output floats: the next alarm changes no output
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 4);
    m.temp_dC = 510; // A-B09: its field is the record's last alarm pair, in byte 11
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 5, "an alarm goes out at the next tick with no output changing");
    assert.equal(decoded(b).fields["wa.highBatteryTemperature"], "alarm");
  });

  it("what_the_urgent_fields_are_made_of_goes_on_air_at_the_next_tick", () => {
    // each of these changes no code, yet changes the error, IO or alarm bytes: no waiting for the gap
    const { b, feed } = readyBoard();
    remoteOn(b);
    b.advance(2000);
    const n0 = decoded(b).nonce;
    b.call("bms.setSoc(50)"); // SoC known: its alarm pair goes from n/a to ok
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 1, "SoC known");
    assert.equal(decoded(b).fields["wa.lowSoc"], "ok");
    feed.batteries[0].m.cells_mV = [3300, 3300, 3300, 3760]; // ATC opens for a high cell: a reason, no Victron alarm
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 2, "charging not allowed");
    assert.equal(decoded(b).fields["io.allowedToCharge"], "no");
    b.repl("bms.mode(false)");
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 3);
    remoteRelease(b); // the remote goes off while the system is off: only the remote's field changes
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 4, "the remote");
    assert.equal(decoded(b).fields["io.remoteOn"], "no");
  });

  it("a_hundred_power_cycles_never_reuse_a_nonce_and_waste_few", function () {
    this.timeout(60_000);
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    remoteOn(b);
    const ledger = new Ledger(b);
    const key = ledger.learnKey();
    let seed = 5;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let current = -10;
    feed.batteries[0].m.current_dA = current;
    for (let cycle = 0; cycle < 100; cycle++) {
      const seconds = 5 + rnd(200);
      for (let t = 0; t < seconds; t += 5) {
        feed.batteries[0].m.current_dA = --current; // the payload changes all the time
        b.advance(5000);
      }
      ledger.collect();
      b.powerCycle();
      remoteOn(b);
    }
    b.advance(3000);
    ledger.collect();
    assert.equal(b.call("bms.readoutKey()"), key, "100 restarts do not spend the key's nonces");
    const top = Math.max(...ledger.sent.map((s) => s.nonce));
    assert.ok(ledger.sent.length >= 200, `${ledger.sent.length} payloads`);
    assert.ok(top <= 101 * BLOCK, `restarts skipped at most one block each: highest nonce ${top}`);
    assert.deepEqual(b.uncaught, []);
  });

  it("thirty_days_of_a_payload_changing_every_second_never_reuse_a_nonce", function () {
    this.timeout(120_000);
    const storage = new SimStorage();
    const nonceWrites = countNonceWrites(storage);
    const b = bootBoard({ storage });
    remoteOn(b);
    // every second the current is new: -1.0 .. -20.9 A, a function of the second it is sent in;
    // the 200 bursts (identity every 10 s, as test/feed.ts sends) are built once, for speed
    const currentAt = (t_ms: number) => -10 - (Math.floor(t_ms / 1000) % 200);
    const bat = layout(1, 1)[0];
    const bursts = Array.from({ length: 200 }, (_, k) => {
      const m = bankFrame([{ ...bat.m, current_dA: -10 - k }]);
      return k % 10 ? m : Uint8Array.from([...identityFrame(1, bat.id, bat.m.cells_mV), ...m]);
    });
    b.clock.setInterval(() => b.serialInject(bursts[Math.floor(b.now_ms / 1000) % 200]), 1000);
    const ledger = new Ledger(b);
    const days = 30;
    for (let h = 0; h < days * 24; h++) {
      b.advance(3600_000);
      ledger.collect();
    }
    const sent = ledger.sent;
    const limit = (days * 86400) / GAP_S + 3; // + the first payloads (no data, data, remote)
    assert.ok(sent.length <= limit, `${sent.length} payloads in ${days} days: at most one a minute`);
    assert.ok(sent.length >= limit - 10, `${sent.length} payloads: the data still goes out every minute`);
    for (let k = 4; k < sent.length; k++) {
      assert.equal(sent[k].t_ms - sent[k - 1].t_ms, GAP_S * 1000, `payload ${k}`);
      assert.equal(sent[k].current_A, currentAt(sent[k].t_ms - 500) / 10, `payload ${k} carries the newest current`);
    }
    assert.ok(nonceWrites.n <= sent.length / BLOCK + 2, `${nonceWrites.n} reservation writes for ${sent.length} payloads`);
    assert.deepEqual(b.uncaught, []);
  });

  it("when_the_nonces_are_spent_the_key_rotates_and_an_authenticated_client_sees_the_new_key", function () {
    this.timeout(60_000);
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    const ledger = new Ledger(b);
    const oldKey = ledger.learnKey();
    // a board that has used its key up to nonce 65400 (the record a long life would leave)
    for (const name of storage.list(/^bms\.nonce/)) storage.write(name, encodeRecord({ r: 65400, v: 1, n: 100 }));
    b.powerCycle();
    assert.equal(b.call("bms.readoutKey()"), oldKey);
    let current = -10;
    for (let t = 0; t < 200 * GAP_S; t++) {
      if (t % 2 === 0) feed.batteries[0].m.current_dA = --current;
      b.advance(1000);
    }
    ledger.collect();
    const newKey = b.call<string>("bms.readoutKey()");
    assert.notEqual(newKey, oldKey, "the key rotated");
    assert.equal(parseInt(newKey.slice(0, 2), 16), (parseInt(oldKey.slice(0, 2), 16) + 1) & 0xff, "byte 0 + 1");
    const last = ledger.sent.filter((s) => s.key === oldKey).at(-1)!;
    const next = ledger.sent.filter((s) => s.key === newKey);
    assert.equal(last.nonce, 0xffff, "the old key was used to its last nonce");
    assert.ok(next.length >= 50 && next[0].nonce === 1, "the new key starts again at nonce 1");
    // the web app's path: the RPC over the Nordic UART, after the PIN
    b.radio.connect();
    b.uart(DEFAULT_PIN + "\n");
    assert.equal(b.uart('\x10bms.rpc(1, "readoutKey", [])\n'), JSON.stringify({ id: 1, ok: newKey }) + "\n");
    b.radio.disconnect();
    // the new key and its nonces survive a restart
    const top = next.at(-1)!.nonce;
    b.powerCycle();
    assert.equal(b.call("bms.readoutKey()"), newKey);
    b.advance(3000);
    ledger.collect();
    assert.ok(ledger.sent.at(-1)!.nonce > top);
  });

  it("a_lost_nonce_record_means_a_new_key_not_nonces_again_from_1", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    const ledger = new Ledger(b);
    const key = ledger.learnKey();
    for (const name of storage.list(/^bms\.nonce/)) storage.files.delete(name);
    b.powerCycle();
    feed.batteries[0].m.current_dA = -77;
    b.advance(3000);
    ledger.collect();
    const now = b.call<string>("bms.readoutKey()");
    assert.notEqual(now, key, "which nonces the old key used is unknown: a new key");
    assert.equal(parseInt(now.slice(0, 2), 16), (parseInt(key.slice(0, 2), 16) + 1) & 0xff);
  });

  it("a_nonce_record_that_is_no_nonce_means_a_new_key", () => {
    // a well-checked record whose number cannot be a 16-bit nonce (an older or foreign firmware's)
    // says nothing about which nonces the key used
    for (const r of [-5, 1.5]) {
      const storage = new SimStorage();
      const { b } = readyBoard({ storage });
      const key = b.call<string>("bms.readoutKey()");
      for (const name of storage.list(/^bms\.nonce/)) storage.files.delete(name);
      storage.write("bms.nonce1", encodeRecord({ r, v: 1, n: 99 }));
      b.powerCycle();
      const now = b.call<string>("bms.readoutKey()");
      assert.equal(parseInt(now.slice(0, 2), 16), (parseInt(key.slice(0, 2), 16) + 1) & 0xff, `reservation ${r}: a new key`);
      b.advance(2000);
      assert.equal(decoded(b).nonce, 1, `reservation ${r}: nonces from 1 under the new key`);
    }
  });

  it("a_refused_nonce_reservation_stops_the_readout_and_raises_eb11", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    const nonce = decoded(b).nonce;
    storage.fault = { failNames: /^bms\.nonce/ }; // only this record: E-B11 must come from it
    // run through the rest of the reserved block: the next reservation is refused
    for (let k = 0; k < (BLOCK + 5) * GAP_S; k++) {
      feed.batteries[0].m.current_dA = -10 - (k % 200);
      b.advance(1000);
    }
    assert.match(b.call<string>("bms.codes().join(' ')"), /E-B11/);
    const n = b.radio.adverts.length;
    const last = decoded(b).nonce;
    feed.batteries[0].m.current_dA = -333;
    b.advance(5000);
    assert.equal(b.radio.adverts.length, n, "no payload under a nonce that may be reused");
    assert.ok(last > nonce && last <= nonce + BLOCK, `last nonce ${last} inside the recorded block after ${nonce}`);
  });

  it("every_byte_of_a_new_key_after_the_first_is_new", () => {
    // five keys: a byte position that never changes was not drawn (a chance of 2^-32 each)
    const b = bootBoard();
    const keys = [b.call<string>("bms.readoutKey()")];
    for (let k = 0; k < 4; k++) keys.push(b.call<string>("bms.newReadoutKey()"));
    for (let i = 1; i < 16; i++) {
      const seen = new Set(keys.map((key) => key.slice(2 * i, 2 * i + 2)));
      assert.ok(seen.size > 1, `byte ${i} is ${[...seen]} in all five keys`);
    }
  });

  it("a_new_key_the_flash_refuses_raises_eb11", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    b.advance(1000);
    assert.doesNotMatch(b.call<string>("bms.codes().join(' ')"), /E-B11/);
    storage.fault = { failNames: /^bms\.key/ }; // only the key record
    b.call("bms.newReadoutKey()");
    b.advance(1000);
    assert.match(b.call<string>("bms.codes().join(' ')"), /E-B11/);
  });

  it("the_key_survives_a_restart_and_a_new_key_increments_byte_0", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    const key = b.call<string>("bms.readoutKey()");
    assert.match(key, /^[0-9a-f]{32}$/);
    b.powerCycle();
    assert.equal(b.call("bms.readoutKey()"), key);
    b.advance(5000);
    const next = b.call<string>("bms.newReadoutKey()");
    assert.equal(parseInt(next.slice(0, 2), 16), (parseInt(key.slice(0, 2), 16) + 1) & 0xff);
    assert.notEqual(next.slice(2), key.slice(2));
    b.advance(1000); // a steady bank: nothing else would send a payload before the next minute's look
    assert.equal(lastAdvert(b).manufacturerData![7], parseInt(next.slice(0, 2), 16), "the key check byte follows");
    assert.ok(decoded(b).keyCheckOk);
  });
});
