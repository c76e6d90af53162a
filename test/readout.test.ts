// Instant Readout over the built bundle (instant-readout.md): the two test vectors through the
// firmware's own encoder, live adverts decoded by the independent host decoder (tools/readout.ts)
// for 1000 random states, every "not available" value, the nonce across changes and restarts,
// and the key.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { decodeAdvert } from "../tools/readout.ts";
import type { Feeder } from "./feed.ts";
import { bootBoard, readyBoard, remoteOn } from "./helpers.ts";

const hexOf = (u: Uint8Array) => Buffer.from(u).toString("hex");
function lastAdvert(b: SimBoard) {
  const a = b.radio.adverts.at(-1);
  assert.ok(a && a.manufacturerData, "an advert with manufacturer data");
  return a;
}
function decoded(b: SimBoard) {
  return decodeAdvert(hexOf(lastAdvert(b).manufacturerData!), b.call<string>("bms.readoutKey()"));
}

describe("Instant Readout: test vectors through the firmware's encoder", () => {
  it("vector_1_aes_ctr_on_ecb", () => {
    const b = bootBoard();
    const enc = b.call("bms.readoutEncrypt('ffffe50400000000030000f40140df', 'aff4d0995b7d1e176c0c33ecb9e70dcd', 0x40B0)");
    assert.equal(enc, "925d09a4d89aa0128bdef48c6298a9");
  });

  it("vector_2_encryption_and_the_advert_header_of_the_live_readout", () => {
    const b = bootBoard();
    const enc = b.call("bms.readoutEncrypt('0058022f05d6ff55155555acbd0700bd', '00112233445566778899aabbccddeeff', 0x1234)");
    assert.equal(enc, "3aa080da284ab933b2d99af484a1563a", "the last 16 bytes of vector 2's advert");
    // the 8 header bytes as the firmware sends them: 10 00, product A3EC, record 0A, nonce, key check
    b.advance(2000);
    const live = lastAdvert(b).manufacturerData!;
    const key = b.call<string>("bms.readoutKey()");
    assert.equal(hexOf(live.subarray(0, 5)), "1000eca30a");
    assert.equal(live[7], parseInt(key.slice(0, 2), 16));
    // and the packing of vector 2's fields: test/readout.unit.test.ts (src/readout/pack.ts)
  });

  it("refuses_a_bad_key_or_nonce", () => {
    const b = bootBoard();
    assert.match(b.repl("bms.readoutEncrypt('00', 'abc', 1)"), /readout: key must be 32 hex digits/);
    assert.match(b.repl("bms.readoutEncrypt('00', '00112233445566778899aabbccddeeff', 70000)"), /nonce must be 0..65535/);
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
      b.advance(1000);
      const s = b.call<Record<string, unknown>>("bms.status()");
      const bank = b.call<Record<string, number>>("bms.battery()");
      const f = decoded(b).fields;
      const where = `state ${k}: ${JSON.stringify(s)}`;
      assert.equal(f.voltage_V, s.v, where);
      assert.equal(f.current_A, s.i, where);
      assert.equal(f.soc_pct, s.soc, where);
      assert.equal(f.ttg_min, s.ttg_min, where);
      assert.equal(f.consumed_Ah, s.soc === undefined ? undefined : Math.round(-(s.consumed_Ah as number) * 10) / 10, where);
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
  it("the_nonce_goes_up_by_one_per_new_payload_and_an_unchanged_state_is_not_resent", () => {
    const { b, feed } = readyBoard();
    const m = feed.batteries[0].m;
    const count = b.radio.adverts.length;
    b.advance(10_000);
    assert.equal(b.radio.adverts.length, count, "nothing changed: nothing re-encrypted");
    const n0 = decoded(b).nonce;
    m.current_dA = -51;
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 1, "a changed field is on air within 1 s");
    m.current_dA = -52;
    b.advance(1000);
    assert.equal(decoded(b).nonce, n0 + 2);
  });

  it("no_nonce_is_reused_after_a_restart", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    const used = new Map<number, string>();
    const record = () => {
      for (const a of b.radio.adverts) {
        const d = decodeAdvert(hexOf(a.manufacturerData!), b.call<string>("bms.readoutKey()"));
        const seen = used.get(d.nonce);
        assert.ok(seen === undefined || seen === d.plain.toString("hex"), `nonce ${d.nonce} carried two payloads`);
        used.set(d.nonce, d.plain.toString("hex"));
      }
      b.radio.adverts.length = 0;
    };
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 50; k++) {
        feed.batteries[0].m.current_dA = -10 - k - round * 100;
        b.advance(1000);
      }
      record();
      b.powerCycle();
      b.advance(12_000);
      record();
    }
    assert.ok(used.size >= 150);
  });

  it("a_refused_nonce_reservation_stops_the_readout_and_raises_eb11", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    const nonce = decoded(b).nonce;
    storage.fault = { failWrites: true };
    // run through the rest of the reserved block: the next reservation is refused
    for (let k = 0; k < 4200; k++) {
      feed.batteries[0].m.current_dA = -10 - (k % 200);
      b.advance(1000);
    }
    assert.match(b.call<string>("bms.codes().join(' ')"), /E-B11/);
    const n = b.radio.adverts.length;
    const last = decoded(b).nonce;
    feed.batteries[0].m.current_dA = -333;
    b.advance(5000);
    assert.equal(b.radio.adverts.length, n, "no payload under a nonce that may be reused");
    assert.ok(last > nonce && last < nonce + 4097, `last nonce ${last} inside the recorded block after ${nonce}`);
  });

  it("the_key_survives_a_restart_and_a_new_key_increments_byte_0", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    const key = b.call<string>("bms.readoutKey()");
    assert.match(key, /^[0-9a-f]{32}$/);
    b.powerCycle();
    assert.equal(b.call("bms.readoutKey()"), key);
    const next = b.call<string>("bms.newReadoutKey()");
    assert.equal(parseInt(next.slice(0, 2), 16), (parseInt(key.slice(0, 2), 16) + 1) & 0xff);
    assert.notEqual(next.slice(2), key.slice(2));
    b.advance(2000);
    assert.equal(lastAdvert(b).manufacturerData![7], parseInt(next.slice(0, 2), 16), "the key check byte follows");
    assert.ok(decoded(b).keyCheckOk);
  });
});
