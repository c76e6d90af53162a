// The simulated bank (sim/bank.ts) and its rig (sim/rig.ts): the physics must be close enough
// to real LiFePO4 for the protection tests to mean something, and the bytes on the link must be
// what docs/battery-link.md says. The stream is checked with a decoder written here from the
// doc alone, independent of sim/link.ts and of the firmware's src/link/.
import assert from "node:assert/strict";
import { Bank, type BankConfig, ocv_V, OCV_TABLE } from "../sim/bank.ts";
import { attachBank, type Rig } from "../sim/rig.ts";
import { SimBoard } from "../sim/board.ts";
import { PUCK } from "../sim/wiring.ts";

// ---- an independent decoder of docs/battery-link.md ------------------------------------------

interface DecodedIdentity { serial: number; nominal_dV: number; capacity_Ah: number; firmware: number; cells: number; type: number; cells_mV: number[] }
interface DecodedMeasurement {
  balancing: boolean; fault: boolean; cells: number; voltage_cV: number; base_cV: number;
  current_dA: number; temp_dC: number; cellMin_mV: number; cellMax_mV: number; spread_mV: number;
}
/** an identity record (type 1), or one battery's slot of a bank frame (type 2) */
interface Decoded { pos: number; type: number; identity?: DecodedIdentity; measurement?: DecodedMeasurement }

/** CRC-32 (zlib), bit by bit, LSB first. */
function crc32Zlib(bytes: number[]): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    for (let bit = 0; bit < 8; bit++) {
      const low = (crc ^ (byte >> bit)) & 1;
      crc >>>= 1;
      if (low) crc ^= 0xedb88320;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const u16 = (p: number[], at: number): number => p[at] | (p[at + 1] << 8);
const s16 = (p: number[], at: number): number => (u16(p, at) << 16) >> 16;
const u32 = (p: number[], at: number): number => (u16(p, at) | (u16(p, at + 2) << 16)) >>> 0;

/** A streaming receiver: push bytes in any chunks; good records, bank frames and error counts come out. */
class TestReceiver {
  /** identities and bank-frame slots, in the order received */
  frames: Decoded[] = [];
  /** good records and bank frames */
  good = 0;
  bankFrames = 0;
  crcErrors = 0;
  lengthErrors = 0;
  framingErrors = 0;
  private rx: number[] = [];

  push(bytes: ArrayLike<number>): void {
    for (let k = 0; k < bytes.length; k++) this.rx.push(bytes[k]);
    let at = 0;
    while (at + 5 <= this.rx.length) {
      if (this.rx[at] !== 0x7e || this.rx[at + 1] !== 0x5a) {
        at++;
        continue;
      }
      // LEN 0: a bank frame of N batteries, 16 bytes each; else an identity record
      const [len, n, type] = [this.rx[at + 2], this.rx[at + 3], this.rx[at + 4]];
      const ok = len === 0 ? n > 0 : type === 1 && [22, 30, 46].includes(len);
      const size = len === 0 ? 8 + 16 * n : len + 7;
      if (ok && at + size > this.rx.length) break; // wait for the rest
      const record = this.rx.slice(at, at + (ok ? size : 5));
      let error = "";
      if (!ok) error = "length";
      else if (crc32Zlib(record.slice(2, size - 4)) !== u32(record, size - 4)) error = "crc";
      if (error) {
        // another mark inside: a record cut short by the next one
        const inner = record.findIndex((x, k) => k > 0 && x === 0x7e && record[k + 1] === 0x5a);
        if (inner > 0) this.framingErrors++;
        else if (error === "crc") this.crcErrors++;
        else this.lengthErrors++;
        at += 2;
        continue;
      }
      if (len === 0) this.bank(record.slice(4, size - 4), n);
      else this.identity(record.slice(3, 3 + len));
      at += size;
    }
    this.rx = this.rx.slice(at);
  }
  private identity(body: number[]): void {
    const [pos, p] = [body[0], body.slice(2)];
    if (p.length !== 12 + 2 * p[10]) {
      this.lengthErrors++;
      return;
    }
    const cells_mV: number[] = [];
    for (let c = 0; c < p[10]; c++) cells_mV.push(u16(p, 12 + 2 * c));
    this.good++;
    this.frames.push({ pos, type: 1, identity: { serial: u32(p, 0), nominal_dV: u16(p, 4), capacity_Ah: u16(p, 6), firmware: u16(p, 8), cells: p[10], type: p[11], cells_mV } });
  }
  /** column-major: flags[n] cells[n], then v, base, t, min, max, spread, i as n 16-bit values each */
  private bank(c: number[], n: number): void {
    this.good++;
    this.bankFrames++;
    const w = (field: number, k: number) => 2 * n + 2 * n * field + 2 * k; // 16-bit field 0..6
    for (let k = 0; k < n; k++) {
      this.frames.push({
        pos: k + 1, type: 2, measurement: {
          balancing: (c[k] & 1) !== 0, fault: (c[k] & 2) !== 0, cells: c[n + k], voltage_cV: u16(c, w(0, k)), base_cV: u16(c, w(1, k)),
          temp_dC: s16(c, w(2, k)), cellMin_mV: u16(c, w(3, k)), cellMax_mV: u16(c, w(4, k)), spread_mV: u16(c, w(5, k)), current_dA: s16(c, w(6, k)),
        },
      });
    }
  }
  measurements(pos?: number): DecodedMeasurement[] {
    return this.frames.filter((f) => f.measurement && (pos === undefined || f.pos === pos)).map((f) => f.measurement!);
  }
  identities(pos?: number): DecodedIdentity[] {
    return this.frames.filter((f) => f.identity && (pos === undefined || f.pos === pos)).map((f) => f.identity!);
  }
}

// ---- a stand-in firmware: ATD and ATC high, every Serial1 burst recorded -----------------------

const STUB_FIRMWARE = `
global.rx = [];
Serial1.setup(57600, { rx: D30 });
Serial1.on('data', function (d) {
  var bytes = [];
  for (var i = 0; i < d.length; i++) bytes.push(d.charCodeAt(i));
  rx.push({ t: Math.round(getTime() * 1000), bytes: bytes });
});
digitalWrite(D1, 1);
digitalWrite(D2, 1);
`;

interface Burst { t_ms: number; bytes: number[] }

function rigOn(cfg: Partial<BankConfig>, seed = 7): { board: SimBoard; bank: Bank; rig: Rig } {
  const board = new SimBoard({ code: STUB_FIRMWARE });
  const bank = new Bank(cfg);
  const rig = attachBank(board, bank, PUCK, { seed });
  return { board, bank, rig };
}
function bursts(board: SimBoard): Burst[] {
  const t0_ms = board.clock.now - board.now_ms;
  const raw = JSON.parse(board.call<string>("JSON.stringify(rx)")) as { t: number; bytes: number[] }[];
  return raw.map((r) => ({ t_ms: r.t - t0_ms, bytes: r.bytes }));
}
function receive(board: SimBoard): TestReceiver {
  const rx = new TestReceiver();
  for (const b of bursts(board)) rx.push(b.bytes);
  return rx;
}

/** Run a bank on its own with the outputs as given until `until` or `max_s`; returns seconds. */
function runUntil(bank: Bank, until: () => boolean, max_s: number, dt_s = 10): number {
  let t_s = 0;
  while (!until() && t_s < max_s) {
    bank.step(dt_s);
    t_s += dt_s;
  }
  return t_s;
}

// ---- the physics ---------------------------------------------------------------------------------

describe("bank model: LiFePO4 physics", () => {
  it("ocv_curve_has_the_LiFePO4_shape", () => {
    const near = (soc: number, v: number, tol = 0.02) => assert.ok(Math.abs(ocv_V(soc) - v) <= tol, `OCV(${soc}) = ${ocv_V(soc)}, expected ~${v}`);
    near(0, 2.5);
    near(0.02, 2.9);
    near(0.1, 3.1);
    near(0.2, 3.2);
    for (let soc = 0.3; soc <= 0.9; soc += 0.05) assert.ok(ocv_V(soc) >= 3.26 && ocv_V(soc) <= 3.33, `flat at ${soc}`);
    near(0.98, 3.4);
    near(1, 3.6, 0.001);
    assert.ok(ocv_V(1.01) > 3.75, "overcharge gives the over-voltage the protection looks for");
    for (let k = 1; k < OCV_TABLE.length; k++) assert.ok(OCV_TABLE[k][1] > OCV_TABLE[k - 1][1] && OCV_TABLE[k][0] > OCV_TABLE[k - 1][0]);
    assert.equal(ocv_V(-1), OCV_TABLE[0][1], "clamped below the table");
    assert.equal(ocv_V(2), OCV_TABLE[OCV_TABLE.length - 1][1], "clamped above the table");
  });

  // With Peukert 1.05 at the 20-hour rate (5 A for 100 Ah), 10 A removes 10 × (10 / 5)^0.05 =
  // 10.353 Ah an hour: 100 Ah last 100 / 10.353 = 9.66 h, not the 10 h of a perfect battery.
  it("a_10A_load_empties_a_100Ah_battery_in_about_9_7_hours_with_a_long_pre_alarm_lead", () => {
    const bank = new Bank({ soc: 1, load_A: 10 });
    let preAlarm_s = -1;
    let alarm_s = -1;
    let t_s = 0;
    while (bank.truth().soc > 0 && t_s < 12 * 3600) {
      bank.step(10);
      t_s += 10;
      const cellMin_V = bank.truth().cellMin_V;
      if (preAlarm_s < 0 && cellMin_V <= 3.1) preAlarm_s = t_s;
      if (alarm_s < 0 && cellMin_V <= 2.8) alarm_s = t_s;
    }
    const expected_h = 10 / Math.pow(2, 0.05); // 9.659 h
    assert.ok(Math.abs(t_s / 3600 - expected_h) < 0.1, `100 -> 0 % took ${(t_s / 3600).toFixed(2)} h, expected ${expected_h.toFixed(2)} h`);
    assert.ok(preAlarm_s > 0 && alarm_s > preAlarm_s + 1800, "3.10 V comes well before 2.80 V at 0.1 C");
    assert.ok(bank.truth().cellMin_V <= 2.8, "a cell is at or below 2.8 V near empty");
    assert.ok(Math.abs(bank.truth().current_A + 10) < 1e-9, "the true current is the load");
  });

  it("peukert_1_05_costs_more_than_the_amp_hours_at_high_rates_and_1_0_disables_it", () => {
    // What one hour at I removes from a 100 Ah battery (C/20 = 5 A): I × (I / 5)^0.05.
    const removed_Ah = (load_A: number, cfg: Partial<BankConfig> = {}) => {
      const bank = new Bank({ soc: 0.9, socSpread: 0, capacitySpread: 0, load_A, ...cfg });
      const before = bank.truth().soc;
      for (let k = 0; k < 60; k++) bank.step(60);
      return (before - bank.truth().soc) * bank.config.capacity_Ah;
    };
    const near = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) < 1e-6, `${what}: ${got} Ah, expected ${want}`);
    assert.equal(new Bank().config.peukert, 1.05, "the firmware's exponent by default");
    near(removed_Ah(20), 20 * Math.pow(4, 0.05), "20 A (0.2 C): 21.44 Ah"); // 7.2 % more than flowed
    near(removed_Ah(10), 10 * Math.pow(2, 0.05), "10 A: 10.35 Ah");
    near(removed_Ah(5), 5, "5 A, the 20-hour rate: exactly what flowed");
    near(removed_Ah(1), Math.pow(0.2, 0.05), "1 A, below the 20-hour rate: 0.92 Ah");
    near(removed_Ah(20, { peukert: 1 }), 20, "peukert 1.0: Ah in = Ah out");
    near(removed_Ah(40, { capacity_Ah: 200 }), 40 * Math.pow(4, 0.05), "the rate is relative to the battery's capacity (0.2 C again)");
    // charging is untouched: 99 % efficiency only
    const bank = new Bank({ soc: 0.5, socSpread: 0, capacitySpread: 0, charger_A: 10 });
    bank.step(3600);
    near((bank.truth().soc - 0.5) * 100, 9.9, "+10 A for 1 h at 99 %");
    // and the sensor reports the current that flows, not the Peukert-corrected one
    const loaded = new Bank({ soc: 0.9, load_A: 20 });
    loaded.step(1);
    assert.equal(loaded.measurement(0).current_dA, -200);
  });

  it("cell_voltage_drops_under_load_by_I_times_R", () => {
    const bank = new Bank({ soc: 0.5, socSpread: 0, capacitySpread: 0 });
    bank.step(1);
    const rest_V = bank.truth().cellMin_V;
    bank.load_A = 100;
    bank.step(1);
    const drop_V = rest_V - bank.truth().cellMin_V;
    assert.ok(Math.abs(drop_V - 100 * bank.config.cellResistance_ohm) < 0.005, `drop ${drop_V} V`);
  });

  it("the_charger_does_CC_then_CV_and_tapers_to_a_tail_near_full", () => {
    const bank = new Bank({ soc: 0.3, charger_A: 50 });
    assert.equal(bank.chargeVoltage_V, 14.2);
    bank.step(60);
    assert.equal(bank.truth().current_A, 50, "constant current while the cells are low");
    let syncable_s = -1;
    const t_s = runUntil(bank, () => {
      const tr = bank.truth();
      if (syncable_s < 0 && tr.voltage_V >= 14.0 && tr.current_A <= 4) syncable_s = 0;
      return tr.current_A < 0.5;
    }, 4 * 3600, 10);
    const tr = bank.truth();
    assert.ok(t_s < 3 * 3600, "the tail is reached");
    assert.equal(syncable_s, 0, "charged voltage 14.0 V and tail current 4 A are met together");
    assert.ok(Math.abs(tr.voltage_V - 14.2) < 0.01, `held at the CV limit: ${tr.voltage_V}`);
    assert.ok(tr.soc > 0.99, `near full: ${tr.soc}`);
    assert.ok(tr.cellMin_V >= 3.45 && tr.cellMax_V <= 3.6, `cells ${tr.cellMin_V}..${tr.cellMax_V}`);
  });

  it("outputs_gate_the_load_and_the_charger", () => {
    const bank = new Bank({ soc: 0.5, load_A: 20, charger_A: 30 });
    bank.step(1, { loadAllowed: true, chargeAllowed: true });
    assert.ok(Math.abs(bank.truth().current_A - 10) < 1e-9, "charger 30 A minus load 20 A");
    bank.step(1, { loadAllowed: false, chargeAllowed: true });
    assert.equal(bank.truth().current_A, 30);
    bank.step(1, { loadAllowed: true, chargeAllowed: false });
    assert.equal(bank.truth().current_A, -20);
    bank.step(1, { loadAllowed: false, chargeAllowed: false });
    assert.equal(bank.truth().current_A, 0);
  });

  it("a_too_high_charge_voltage_overcharges_a_cell_past_3_75V", () => {
    const bank = new Bank({ soc: 0.95, charger_A: 50, chargeVoltage_V: 15.4 });
    runUntil(bank, () => bank.truth().cellMax_V > 3.75, 3600, 10);
    assert.ok(bank.truth().cellMax_V > 3.75, `cell max ${bank.truth().cellMax_V}`);
  });

  it("temperature_follows_ambient_first_order_and_rises_with_current", () => {
    const bank = new Bank({ ambient_C: 0, thermalTau_s: 1800 });
    bank.setAmbient(25);
    bank.step(1800);
    const t_C = bank.truth().tempMax_C;
    assert.ok(Math.abs(t_C - 25 * (1 - Math.exp(-1))) < 0.2, `one time constant: ${t_C}`);
    bank.step(5 * 3600);
    assert.ok(Math.abs(bank.truth().tempMax_C - 25) < 0.2, "settles at ambient");
    bank.load_A = 100;
    bank.step(3600);
    assert.ok(bank.truth().tempMax_C > 30, `I²R heats it: ${bank.truth().tempMax_C}`);
  });

  it("a_pinned_battery_temperature_holds_then_relaxes", () => {
    const bank = new Bank({ series: 2, ambient_C: 20 });
    bank.setTemp(1, 55);
    bank.step(600);
    assert.equal(bank.measurement(1).temp_dC, 550);
    assert.equal(bank.measurement(0).temp_dC, 200);
    bank.setTemp(1, null);
    bank.step(600);
    const t_C = bank.measurement(1).temp_dC / 10;
    assert.ok(t_C < 55 && t_C > 40, `cooling from 55 °C: ${t_C}`);
  });

  it("balancing_appears_at_the_top_of_charge_only", () => {
    const bank = new Bank({ soc: 0.5, charger_A: 50, capacitySpread: 0.01, socSpread: 0.005, seed: 3 });
    bank.step(600);
    assert.equal(bank.measurement(0).balancing, false, "mid-SoC: no balancing");
    runUntil(bank, () => bank.truth().balancing, 3 * 3600, 10);
    const m = bank.measurement(0);
    assert.equal(m.balancing, true);
    const cells = Array.from(m.cells_mV);
    assert.ok(Math.max(...cells) > 3450 && Math.max(...cells) - Math.min(...cells) > 10);
    bank.charger_A = 0;
    bank.step(1);
    assert.equal(bank.measurement(0).balancing, false, "not charging: no balancing");
  });

  it("current_offset_and_noise_touch_only_the_reported_current", () => {
    const clean = new Bank({ soc: 0.6, load_A: 7 });
    const noisy = new Bank({ soc: 0.6, load_A: 7, currentOffset_A: 0.05, currentNoise_A: 0.3 });
    const reported_A: number[] = [];
    for (let k = 0; k < 2000; k++) {
      clean.step(1);
      noisy.step(1);
      reported_A.push(noisy.battery(0).reportedCurrent_A);
    }
    assert.deepEqual(noisy.truth(), clean.truth(), "the physics does not see the sensor");
    const mean_A = reported_A.reduce((a, x) => a + x, 0) / reported_A.length;
    const sd_A = Math.sqrt(reported_A.reduce((a, x) => a + (x - mean_A) ** 2, 0) / reported_A.length);
    assert.ok(Math.abs(mean_A - (-7 + 0.05)) < 0.03, `mean ${mean_A}`);
    assert.ok(Math.abs(sd_A - 0.3) < 0.03, `sd ${sd_A}`);
    assert.equal(clean.measurement(0).current_dA, -70);
  });

  it("the_imbalance_is_seeded_and_bounded", () => {
    const cells = (seed: number) => new Bank({ seed, capacitySpread: 0.02, socSpread: 0.01 }).battery(0).cells.map((c) => [c.soc, c.capacity_Ah]);
    assert.deepEqual(cells(5), cells(5));
    assert.notDeepEqual(cells(5), cells(6));
    for (const [soc, cap] of cells(9)) assert.ok(Math.abs(soc - 0.5) <= 0.01 && Math.abs(cap - 100) <= 2);
  });

  it("identity_and_measurement_describe_the_battery", () => {
    const bank = new Bank({ nominal_dV: 512, capacity_Ah: 200, firstSerial: 1000, firmware: 0x0210, series: 1, parallel: 2 });
    assert.deepEqual(bank.identity(1), { serial: 1001, nominal_dV: 512, capacity_Ah: 200, firmware: 0x0210, cells: 16, type: 1 });
    assert.ok(Math.abs(bank.chargeVoltage_V - 56.8) < 1e-9, "14.2 V per 12.8 V");
    const m = bank.measurement(0);
    const cellsSum_cV = Array.from(m.cells_mV).reduce((a, v) => a + v, 0) / 10;
    assert.ok(Math.abs(m.voltage_cV - cellsSum_cV) <= 1, "battery voltage = sum of its cells");
    bank.setType(0, 2);
    bank.setCapacity(0, 100);
    assert.equal(bank.identity(0).type, 2);
    assert.equal(bank.identity(0).capacity_Ah, 100);
  });

  it("add_battery_fills_the_last_string_then_starts_a_new_one", () => {
    const bank = new Bank({ series: 2, parallel: 1 });
    assert.equal(bank.addBattery(), 2);
    assert.deepEqual(bank.locate(2), { string: 1, level: 0 });
    assert.equal(bank.addBattery(), 3);
    assert.deepEqual(bank.locate(3), { string: 1, level: 1 });
    assert.equal(bank.addBattery({ string: 0 }), 2, "stacked on string 0: a 3-high string");
    assert.equal(bank.layout[0].length, 3);
    bank.removeBattery(0);
    assert.equal(bank.count, 4);
    assert.equal(bank.measurement(0).base_cV, 0, "the battery above dropped to the bottom");
  });
});

// ---- the byte stream -------------------------------------------------------------------------------

describe("bank rig: frames on the battery link", () => {
  it("test_decoder_crc_matches_the_check_value", () => {
    assert.equal(crc32Zlib([..."123456789"].map((c) => c.charCodeAt(0))), 0xcbf43926);
  });

  it("mark_bytes_inside_fields_are_sent_as_they_are_and_come_back", () => {
    const { board } = rigOn({ firstSerial: 0x5a7e5a7e, capacity_Ah: 0x5a7e });
    board.advance(500);
    const raw = bursts(board)[0].bytes;
    const rx = receive(board);
    assert.equal(rx.crcErrors + rx.lengthErrors + rx.framingErrors, 0);
    assert.equal(raw.length, 29 + 24, "one identity with 4 cells (29 bytes) and a bank frame of one (24): no stuffing");
    assert.deepEqual([rx.identities()[0].serial, rx.identities()[0].capacity_Ah], [0x5a7e5a7e, 0x5a7e]);
  });

  it("each_battery_sends_its_cells_with_its_identity_and_its_own_lowest_highest_and_spread_in_the_frame", () => {
    const { board, bank } = rigOn({ series: 2, soc: 0.5 });
    board.advance(500);
    const rx = receive(board);
    assert.equal(rx.measurements().length, 2);
    rx.measurements().forEach((m, i) => {
      const cells = rx.identities(i + 1)[0].cells_mV;
      assert.deepEqual(cells, Array.from(bank.measurement(i).cells_mV));
      assert.equal(m.cellMin_mV, Math.min(...cells));
      assert.equal(m.cellMax_mV, Math.max(...cells));
      assert.equal(m.spread_mV, m.cellMax_mV - m.cellMin_mV);
    });
  });

  const layouts: [string, Partial<BankConfig>][] = [
    ["1s1p", { series: 1, parallel: 1 }],
    ["2s1p", { series: 2, parallel: 1 }],
    ["4s1p", { series: 4, parallel: 1 }],
    ["1s2p 51.2 V", { series: 1, parallel: 2, nominal_dV: 512 }],
    ["2s3p", { series: 2, parallel: 3, nominal_dV: 256 }],
    ["2s25p", { series: 2, parallel: 25 }],
  ];
  for (const [name, cfg] of layouts) {
    it(`layout_${name.replace(/ /g, "_")}_gives_positions_and_base_voltages`, () => {
      const { board, bank } = rigOn({ ...cfg, soc: 0.6 });
      board.advance(500);
      const rx = receive(board);
      const n = cfg.series! * cfg.parallel!;
      const nominal_dV = cfg.nominal_dV ?? 128;
      assert.equal(rx.crcErrors + rx.lengthErrors + rx.framingErrors, 0);
      assert.deepEqual(rx.frames.filter((f) => f.type === 2).map((f) => f.pos), Array.from({ length: n }, (_, i) => i + 1));
      assert.equal(rx.identities().length, n, "identities at start");
      rx.identities().forEach((id, i) => {
        assert.equal(id.serial, bank.config.firstSerial + i);
        assert.equal(id.cells, nominal_dV / 32);
        assert.equal(id.nominal_dV, nominal_dV);
      });
      const ms = rx.measurements();
      ms.forEach((m, i) => {
        const level = i % cfg.series!;
        const below_cV = ms.slice(i - level, i).reduce((a, x) => a + x.voltage_cV, 0);
        assert.ok(Math.abs(m.base_cV - below_cV) <= level, `battery ${i}: base ${m.base_cV}, below ${below_cV}`);
        assert.equal(m.cells, nominal_dV / 32);
      });
      // what the BMS derives (docs/battery-link.md): p from the bottom batteries, s = n / p
      const p = ms.filter((m) => m.base_cV < (nominal_dV * 10) / 2).length;
      assert.equal(p, cfg.parallel);
      const top = ms.filter((_, i) => i % cfg.series! === cfg.series! - 1);
      for (const m of top) assert.equal(Math.round((m.base_cV + m.voltage_cV) / 10 / nominal_dV), cfg.series);
    });
  }

  it("measurements_every_second_identities_every_10s_between_firmware_ticks", () => {
    const { board, rig } = rigOn({ series: 2 });
    board.advance(20_600);
    const bs = bursts(board);
    assert.deepEqual(bs.map((b) => b.t_ms), Array.from({ length: 21 }, (_, k) => 500 + 1000 * k), "one burst a second at +500 ms");
    const rx = receive(board);
    assert.equal(rx.measurements(1).length, 21);
    assert.equal(rx.identities(2).length, 3, "at start, 10 s and 20 s");
    assert.equal(rig.counts.frames, 21 + 2 * 3, "one bank frame a second and the identities");
    assert.equal(rx.bankFrames, 21);
    assert.equal(rig.counts.bursts, 21);
    assert.equal(rig.counts.bytes, bs.reduce((a, b) => a + b.bytes.length, 0));
  });

  it("ATD_and_ATC_levels_switch_the_load_and_the_charger", () => {
    const { board, bank, rig } = rigOn({ soc: 0.5 });
    rig.setLoad(20);
    board.advance(3000);
    assert.equal(bank.truth().current_A, -20, "ATD high: the load draws");
    board.repl("pinMode(D1, 'input')");
    board.advance(2000);
    assert.equal(board.level(PUCK.atd), "Z");
    assert.equal(bank.truth().current_A, 0, "ATD floating: the load is off");
    rig.setCharger(30);
    board.advance(2000);
    assert.equal(bank.truth().current_A, 30, "ATC high: charging");
    board.repl("pinMode(D2, 'input')");
    board.advance(2000);
    assert.equal(bank.truth().current_A, 0);
    assert.deepEqual(rig.allowed, { loadAllowed: false, chargeAllowed: false });
    const last = receive(board).measurements(1).at(-1)!;
    assert.equal(last.current_dA, 0, "the link reports it");
  });

  it("the_firmware_cannot_stop_the_batteries", () => {
    const { board, rig } = rigOn({});
    board.advance(2000);
    board.repl("clearInterval(); clearTimeout();");
    board.advance(3000);
    assert.equal(rig.counts.bursts, 5);
    board.reset();
    board.advance(2000);
    assert.equal(rig.counts.bursts, 7);
    assert.equal(receive(board).measurements().length, 2, "the rebooted firmware hears them");
  });

  it("unplug_silences_a_battery_and_those_after_it_and_cut_cable_those_after_a_position", () => {
    const { board, rig } = rigOn({ series: 3 });
    board.advance(500);
    rig.unplug(1);
    board.advance(5000);
    rig.unplug(1, false);
    rig.cutCable(1);
    board.advance(5000);
    rig.cutCable(0);
    board.advance(5000);
    rig.cutCable(null);
    board.advance(1000);
    const rx = receive(board);
    assert.equal(rx.measurements(1).length, 1 + 5 + 5 + 1);
    assert.equal(rx.measurements(2).length, 1 + 1);
    assert.equal(rx.measurements(3).length, 1 + 1, "cut off by battery 2, then by the cable");
    assert.equal(rig.counts.bursts, 12, "a fully cut cable sends no burst at all");
  });

  it("bad_crc_records_are_counted_and_rejected_and_a_spoilt_frame_is_restarted_below", () => {
    const { board, rig } = rigOn({ series: 3 });
    rig.badCrc(1);
    board.advance(10_600);
    let rx = receive(board);
    assert.equal(rx.crcErrors, rig.counts.badCrcFrames);
    assert.equal(rig.counts.badCrcFrames, 2, "battery 2's identities; battery 1 drops its spoilt frames and starts anew");
    assert.equal(rx.frames.filter((f) => f.pos >= 2 && f.measurement).length, 0, "cut off at battery 2");
    assert.equal(rx.identities(3).length, 2, "records are forwarded as they are");
    assert.equal(rx.measurements(1).length, 11);
    rig.badCrc(0); // battery 1's frame goes to the BMS spoilt
    board.advance(2000);
    rx = receive(board);
    assert.equal(rx.crcErrors, 2 + 2);
    assert.equal(rig.counts.badCrcFrames, 2 + 2);
    assert.equal(rx.measurements(1).length, 11);
  });

  it("garbled_frames_are_lost_and_nothing_else", () => {
    const { board, rig } = rigOn({ series: 4 }, 11);
    rig.garble(0.005);
    board.advance(60_500);
    const rx = receive(board);
    assert.ok(rig.counts.garbledFrames > 5, `garbled ${rig.counts.garbledFrames}`);
    assert.ok(rig.counts.garbledBytes >= rig.counts.garbledFrames);
    assert.equal(rx.good, rig.counts.frames - rig.counts.garbledFrames);
    assert.ok(rx.crcErrors + rx.lengthErrors + rx.framingErrors > 0);
  });

  it("noise_between_frames_harms_no_frame", () => {
    const { board, rig } = rigOn({ series: 2 }, 3);
    rig.noise(300);
    board.advance(30_500);
    const rx = receive(board);
    assert.equal(rig.counts.noiseBytes, 31 * 300);
    assert.ok(rig.counts.noiseStarts > 0, "some noise bytes were 7E");
    assert.equal(rx.good, rig.counts.frames);
    assert.ok(rx.framingErrors + rx.lengthErrors + rx.crcErrors <= rig.counts.noiseStarts);
  });

  it("a_stuck_battery_repeats_its_last_measurement", () => {
    const { board, rig } = rigOn({ series: 2, currentNoise_A: 0.5, load_A: 10 });
    board.advance(2500);
    rig.stuck(0);
    board.advance(5000);
    const ms = receive(board).measurements(1);
    for (const m of ms.slice(3)) assert.deepEqual(m, ms[2]);
    assert.notDeepEqual(ms[0], ms[1], "a live battery's readings move");
    const others = receive(board).measurements(2);
    assert.notDeepEqual(others.at(-1), others.at(-2));
  });

  it("identity_off_add_and_remove_batteries_and_identity_changes", () => {
    const { board, rig } = rigOn({ series: 2 });
    rig.identityOff(1);
    board.advance(3500);
    let rx = receive(board);
    assert.equal(rx.identities(2).length, 0);
    assert.equal(rx.measurements(2).length, 4);
    const i = rig.addBattery({ serial: 4242 });
    assert.equal(i, 2);
    board.advance(1000);
    rx = receive(board);
    assert.deepEqual(rx.identities(3).map((id) => id.serial), [4242], "a new battery introduces itself at once");
    rig.setType(0, 7);
    rig.setCapacity(0, 150);
    rig.setTemp(0, -3);
    board.advance(6000);
    rx = receive(board);
    const id = rx.identities(1).at(-1)!;
    assert.deepEqual([id.type, id.capacity_Ah], [7, 150], "the 10 s identity carries the change");
    assert.equal(rx.measurements(1).at(-1)!.temp_dC, -30);
    rig.removeBattery(0);
    board.advance(1000);
    const lastBurst = new TestReceiver();
    lastBurst.push(bursts(board).at(-1)!.bytes);
    assert.deepEqual(lastBurst.frames.map((f) => [f.pos, f.type]), [[1, 2], [2, 2]], "two left, renumbered; identityOff followed its battery");
  });
});
