// The Smart BMS 12-200 profile over ITS built bundle (dist/12-200/bms.js, `npm run build --
// --profile 12-200`) on a simulated MDBT42Q: the alternator/starter output, the System+ switches,
// the charge limit, the remote on/off function, the pre-alarm mode, the bank it accepts and its
// codes (docs/smart-bms-12-200.md). The feeder sends at +500 ms each second; a change made at a
// whole second is seen by the tick 1 s later.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { DIVIDER_12200, P12200 as W } from "../sim/wiring.ts";
import { decodeAdvert } from "../tools/readout.ts";
import { Feeder, layout } from "./feed.ts";
import { bootBoard, bootProfile, remoteOn, remoteRelease } from "./helpers.ts";

const codes = (b: SimBoard) => b.call<string>("bms.codes().join(' ')");
/** "ATD ATC PRE ALT SYSD SYSC" as a meter on the six outputs reads them */
const outs = (b: SimBoard) => [W.atd, W.atc, W.pre, W.alt, W.sysD, W.sysC].map((p) => b.level(p)).join(" ");

/** Volts at the starter side / System+ side, through the board's divider at 3.3 V reference. */
function start(b: SimBoard, v: number): void {
  b.analogIn(W.aStart, v / DIVIDER_12200 / b.vref);
}
function sys(b: SimBoard, v: number): void {
  b.analogIn(W.aSys, v / DIVIDER_12200 / b.vref);
}
/**
 * To the next tick that reads the ADC reference and the board temperature: every tenth tick from
 * the first (t = 1000, 11000, 21000 ...; SLOW_READ_TICKS, src/vehicle/vehicle.ts). `before` is
 * asserted 1 ms earlier: what the codes say until that reading.
 */
function untilSlowRead(b: SimBoard, before: string): void {
  const next = Math.floor((b.now_ms - 1000) / 10_000) * 10_000 + 11_000;
  b.advance(next - b.now_ms - 1);
  assert.equal(codes(b), before, "1 ms before the reading");
  b.advance(1);
}
/** every cell of battery 1 at `mV` (the bank voltage follows) */
function cells(feed: Feeder, mV: number, first = mV): void {
  const m = feed.batteries[0].m;
  m.cells_mV = [first, mV, mV, mV];
  m.voltage_cV = Math.round((first + 3 * mV) / 10);
}

/**
 * A running 12-200 with one 12.8 V battery at 13.30 V, remote on, the starter battery resting at
 * 12.6 V and System+ at the bank's voltage (its switches closed): t = 3000 ms.
 */
function vehicle(opts: { storage?: SimStorage } = {}): { b: SimBoard; feed: Feeder } {
  const b = bootProfile("12-200", opts);
  start(b, 12.6);
  sys(b, 13.3);
  const feed = new Feeder(b, layout(1, 1)).start();
  remoteOn(b, W);
  b.advance(3000);
  assert.equal(outs(b), "H H Z Z H H", "BMS outputs and System+ on, alternator off");
  return { b, feed };
}

/** The engine runs: starter side at 14.0 V from t; the alternator output is on 5 s after the tick that sees it. */
function engineOn(b: SimBoard): void {
  start(b, 14.0);
  b.advance(5999);
  assert.equal(b.level(W.alt), "Z", "1 ms before the 5 s are over");
  b.advance(1);
  assert.equal(b.level(W.alt), "H", "5 s after the tick that saw 14.0 V");
}

describe("Smart BMS 12-200: alternator/starter output", () => {
  it("is_on_only_while_the_starter_side_is_above_13V_for_5s_and_off_at_once_below", () => {
    const { b } = vehicle();
    start(b, 13.0); // 13.0 V is not above 13.0 V
    b.advance(10_000);
    assert.equal(b.level(W.alt), "Z");
    start(b, 13.01); // just above it: on 5 s after the tick that sees it
    b.advance(5999);
    assert.equal(b.level(W.alt), "Z");
    b.advance(1);
    assert.equal(b.level(W.alt), "H", "13.01 V is above 13.0 V");
    start(b, 12.6);
    b.advance(1000);
    assert.equal(b.level(W.alt), "Z");
    engineOn(b);
    start(b, 12.9); // a crank or the engine stops: off at the next tick
    b.advance(999);
    assert.equal(b.level(W.alt), "H");
    b.advance(1);
    assert.equal(b.level(W.alt), "Z");
    assert.equal(outs(b), "H H Z Z H H", "nothing else changes");
  });

  it("opens_on_imminent_cell_over_voltage_with_charge_disconnect_and_system_plus_charge", () => {
    const { b, feed } = vehicle();
    engineOn(b);
    b.advance(500); // t = 9500, between ticks
    cells(feed, 3300, 3760); // one cell at 3.76 V, seen by the tick at 11000
    b.advance(1499);
    assert.equal(outs(b), "H H Z H H H");
    b.advance(1);
    assert.equal(outs(b), "H Z Z Z H Z", "ATC, the alternator and System+ charge open; loads go on");
    assert.equal(codes(b), "cell-high");
  });

  it("opens_on_over_temperature_a_b09", () => {
    const { b, feed } = vehicle();
    engineOn(b);
    feed.batteries[0].m.temp_dC = 510; // at t = 9000, sent at 9500, seen at 10000
    b.advance(999);
    assert.equal(b.level(W.alt), "H");
    b.advance(1);
    assert.equal(outs(b), "H Z Z Z H Z");
    assert.equal(codes(b), "A-B09");
  });
});

describe("Smart BMS 12-200: battery charge limit (13.0-15.3 V, default 14.2 V)", () => {
  it("stops_the_alternator_at_the_limit_and_resumes_after_10s_in_a_row_0_5V_below", () => {
    const { b, feed } = vehicle();
    engineOn(b); // t = 9000
    cells(feed, 3550); // 14.20 V, sent at 9500, seen at 10000
    b.advance(999);
    assert.equal(b.level(W.alt), "H");
    b.advance(1);
    assert.equal(b.level(W.alt), "Z", "at the limit: off");
    assert.equal(outs(b), "H H Z Z H H", "only the alternator input stops");
    assert.equal(b.call("bms.status().chargeLimited"), true);
    cells(feed, 3440); // 13.76 V: below the limit but not 0.5 V below
    b.advance(20_000);
    assert.equal(b.level(W.alt), "Z", "13.76 V is not 0.5 V below 14.2 V");
    cells(feed, 3425); // 13.70 V at t = 30000, first seen at the tick at 31000
    b.advance(5000);
    cells(feed, 3440); // a blip back above at 35000 (tick 36000) restarts the 10 s
    b.advance(1000);
    cells(feed, 3425); // below again from the tick at 37000
    b.advance(10_999);
    assert.equal(b.level(W.alt), "Z", "1 ms before 10 s in a row");
    b.advance(1);
    assert.equal(b.level(W.alt), "H", "10 consecutive seconds 0.5 V below: on again");
  });

  it("follows_the_setting_and_refuses_values_outside_13_0_to_15_3", () => {
    const { b } = vehicle();
    engineOn(b); // bank at 13.30 V
    assert.match(b.repl('bms.set("chargeLimit", 15.4)'), /must be a number 13\.\.15\.3 V/);
    assert.equal(b.level(W.alt), "H", "a refused value changes nothing");
    b.call('bms.set("chargeLimit", 13.3)');
    b.advance(1000);
    assert.equal(b.level(W.alt), "Z", "13.30 V is at the new limit");
    assert.equal(b.call("bms.settings().chargeLimit"), 13.3);
  });
});

describe("Smart BMS 12-200: System+ port", () => {
  it("opens_for_discharge_on_imminent_cell_under_voltage_and_keeps_charging_allowed", () => {
    const { b, feed } = vehicle();
    cells(feed, 3200, 2700); // t = 3000, seen at 4000: the pre-alarm's 30 s lead starts
    b.advance(1000);
    assert.equal(outs(b), "H H H Z H H");
    assert.equal(codes(b), "W-B01 W-B12", "the 12-200's under-voltage warning with the pre-alarm");
    b.advance(29_999);
    assert.equal(outs(b), "H H H Z H H");
    b.advance(1);
    assert.equal(outs(b), "Z H H Z Z H", "discharge stops at System+ with the load disconnect; charging stays allowed");
    assert.equal(codes(b), "W-B01 A-B01 A-B11 W-B12");
    assert.equal(b.call("bms.status().sysDischarge"), false);
    assert.equal(b.call("bms.status().sysCharge"), true);
  });

  it("a_low_bank_voltage_is_a_b11_too_and_opens_system_plus_for_discharge", () => {
    const { b, feed } = vehicle();
    cells(feed, 2850); // cells above the alarm level ...
    feed.batteries[0].m.voltage_cV = 1119; // ... the bank under 4 x 2.80 V: A-B08 after 10 s
    b.advance(11_000);
    assert.equal(codes(b), "W-B01 A-B08 A-B11 W-B12");
    assert.equal(outs(b), "Z H H Z Z H");
  });

  it("a_a12_opens_both_switches_when_system_plus_collapses_and_tries_again_after_30s", () => {
    const { b } = vehicle();
    sys(b, 0.5); // a short on System+ at t = 3000, seen at 4000
    b.advance(999);
    assert.equal(outs(b), "H H Z Z H H");
    b.advance(1);
    assert.equal(outs(b), "H H Z Z Z Z");
    assert.equal(codes(b), "A-A12");
    sys(b, 0); // the switch is open: the far side is dead, no new trip
    b.advance(29_999);
    assert.equal(outs(b), "H H Z Z Z Z");
    b.advance(1);
    assert.equal(outs(b), "H H Z Z H H", "30 s later System+ is tried again");
    assert.equal(codes(b), "");
    b.advance(1000); // still short: trips again at the next tick
    assert.equal(outs(b), "H H Z Z Z Z");
    sys(b, 13.3);
    b.advance(30_000);
    assert.equal(outs(b), "H H Z Z H H", "short gone: on again");
    b.advance(5000);
    assert.equal(outs(b), "H H Z Z H H");
  });
  it("a_a12_trips_with_only_the_charge_switch_closed_too", () => {
    const { b, feed } = vehicle();
    cells(feed, 3300, 2700); // A-B01 after the 30 s pre-alarm lead: loads off, charging allowed
    sys(b, 13.0);
    b.advance(33_000);
    assert.equal(outs(b), "Z H H Z Z H", "System+ discharge open, System+ charge closed");
    sys(b, 0.5); // a short on System+ behind the charge switch
    b.advance(1000);
    assert.equal(outs(b), "Z H H Z Z Z", "the charge switch opens too");
    assert.match(codes(b), /A-A12/);
  });
});

describe("Smart BMS 12-200: System+ short at half the bank voltage", () => {
  it("a_a12_trips_below_half_the_bank_voltage_not_above_it", () => {
    const { b } = vehicle(); // the bank at 13.30 V: half is 6.65 V
    sys(b, 6.7);
    b.advance(1000);
    assert.equal(codes(b), "", "6.70 V on System+ is no short");
    assert.equal(outs(b), "H H Z Z H H");
    sys(b, 6.6);
    b.advance(1000);
    assert.equal(codes(b), "A-A12", "6.60 V is");
    assert.equal(outs(b), "H H Z Z Z Z");
  });
});

describe("Smart BMS 12-200: remote on/off function", () => {
  it("by_default_stops_alternator_and_system_plus_only_the_bms_outputs_go_on", () => {
    const { b, feed } = vehicle();
    engineOn(b);
    remoteRelease(b, W); // remote off, acted on after the debounce
    b.advance(100);
    assert.equal(outs(b), "H H Z Z Z Z");
    assert.equal(b.call("bms.status().on"), false);
    cells(feed, 3300, 3760); // the BMS still protects: ATC opens for a high cell
    b.advance(1000);
    assert.equal(outs(b), "H Z Z Z Z Z");
    remoteOn(b, W);
    cells(feed, 3325);
    b.advance(2000);
    assert.equal(outs(b), "H H Z H H H", "on again; the starter side has been above 13 V all along");
  });

  it("switch_everything_off_floats_every_output", () => {
    const { b } = vehicle();
    engineOn(b);
    b.call('bms.set("remoteFunction", 1)');
    remoteRelease(b, W);
    b.advance(100);
    assert.equal(outs(b), "Z Z Z Z Z Z");
    b.call("bms.mode(true)");
    assert.equal(outs(b), "Z Z Z Z Z Z", "the soft switch alone does not override the remote");
  });

  it("the_soft_switch_mode_acts_like_the_remote", () => {
    const { b } = vehicle();
    engineOn(b);
    b.call("bms.mode(false)");
    assert.equal(outs(b), "H H Z Z Z Z");
    assert.equal(b.call("bms.status().soft"), false);
  });
});

describe("Smart BMS 12-200: pre-alarm continuous or intermittent", () => {
  it("intermittent_pulses_the_prealarm_output_each_second", () => {
    const { b, feed } = vehicle();
    b.call('bms.set("preAlarmMode", 1)');
    cells(feed, 3200, 3000);
    b.advance(1000);
    const seen = new Set<string>();
    for (let k = 0; k < 4; k++) {
      seen.add(b.level(W.pre));
      b.advance(1000);
    }
    assert.deepEqual([...seen].sort(), ["H", "Z"]);
    b.call('bms.set("preAlarmMode", 0)');
    for (let k = 0; k < 4; k++) {
      b.advance(1000);
      assert.equal(b.level(W.pre), "H", "continuous");
    }
  });
});

describe("Smart BMS 12-200: bank and codes", () => {
  it("e_b32_when_the_battery_bms_cable_is_silent_for_30s", () => {
    const { b, feed } = vehicle();
    engineOn(b);
    feed.stop(); // last frame at 8500
    b.advance(29_499);
    assert.equal(codes(b), "W-B05");
    b.advance(1000);
    assert.equal(codes(b), "W-B05 A-B05 E-B32");
    assert.equal(outs(b), "Z Z Z Z Z Z");
  });

  it("e_b30_when_a_divider_input_reads_beyond_20V_opens_alternator_and_system_plus", () => {
    const { b } = vehicle();
    engineOn(b);
    // each divider in turn, each seen at the next tick; 3 s apart (System+ closes again at the
    // tick E-B30 clears, and a closing switch has the next tick look anyway)
    for (const [input, high_V, back_V] of [[start, 21, 14], [sys, 20.5, 13.3]] as const) {
      input(b, high_V);
      b.advance(1000);
      assert.equal(codes(b), "E-B30", `${input.name} at ${high_V} V`);
      assert.equal(outs(b), "H H Z Z Z Z");
      input(b, back_V);
      b.advance(1000);
      assert.equal(codes(b), "");
      b.advance(3000);
    }
  });

  it("e_b33_when_the_adc_reference_is_out_of_range_at_its_next_reading", () => {
    const { b } = vehicle();
    b.vref = 2.6; // at t = 3000; the reference is read at 11000
    sys(b, 13.3); // the same volts, read against the low reference
    untilSlowRead(b, "");
    assert.equal(codes(b), "E-B33");
    assert.equal(outs(b), "H H Z Z Z Z");
  });

  it("e_b33_at_its_edges_3V00_and_3V60_are_in_range", () => {
    const { b } = vehicle();
    let was = "";
    for (const [vref, code] of [[2.99, "E-B33"], [3.0, ""], [3.6, ""], [3.61, "E-B33"]] as const) {
      b.vref = vref;
      start(b, 12.6); // the same volts, read against this reference
      sys(b, 13.3);
      untilSlowRead(b, was);
      assert.equal(codes(b), code, `reference ${vref} V`);
      was = code;
    }
  });

  it("a_b15_at_70C_board_temperature_until_60C", () => {
    const { b } = vehicle();
    b.temperature = 69.9;
    untilSlowRead(b, "");
    assert.equal(codes(b), "");
    b.temperature = 70;
    untilSlowRead(b, "");
    assert.equal(codes(b), "A-B15");
    assert.equal(outs(b), "H H Z Z Z Z");
    b.temperature = 60.1;
    untilSlowRead(b, "A-B15");
    assert.equal(codes(b), "A-B15");
    b.temperature = 60;
    untilSlowRead(b, "A-B15");
    assert.equal(codes(b), "");
    assert.equal(outs(b), "H H Z Z H H");
  });

  it("e_b31_after_unreadable_settings_until_settings_are_stored_again", () => {
    const storage = new SimStorage();
    const { b } = vehicle({ storage });
    b.call('bms.set("chargeLimit", 14)');
    for (const name of storage.list(/^bms\.cfg/)) storage.write(name, '{"v":1,"n":9,"s":{}}beef');
    b.powerCycle();
    start(b, 12.6);
    sys(b, 13.3);
    const feed = new Feeder(b, layout(1, 1)).start();
    remoteOn(b, W);
    b.advance(3000);
    assert.equal(codes(b), "E-B31");
    assert.equal(outs(b), "H H Z Z Z Z");
    assert.match(b.call('(function(){try{bms.set("chargeLimit",99);return "stored"}catch(e){return e.message}})()'), /chargeLimit/);
    b.advance(1000);
    assert.equal(codes(b), "E-B31", "a refused value stores nothing: the settings are still not stored");
    b.call("bms.factoryReset()");
    b.advance(1000);
    assert.equal(codes(b), "");
    feed.stop();
  });

  it("accepts_12_8V_batteries_only_up_to_5_in_parallel", () => {
    for (const [bank, code] of [[layout(2, 1), "E-B09"], [layout(1, 1, 256), "E-B09"], [layout(1, 6), "E-B05"], [layout(1, 5), ""]] as const) {
      const b = bootProfile("12-200");
      sys(b, 13.3);
      new Feeder(b, [...bank]).start();
      remoteOn(b, W);
      b.advance(3000);
      assert.equal(codes(b).replace(/ ?no-data/, ""), code, `${bank.length} batteries of ${bank[0].id.nominal_dV / 10} V`);
    }
  });

  it("with_more_than_5_batteries_raises_E_B05_floats_every_output_and_still_reads_the_first_five", () => {
    // the profile's bank places 5 (MAX_BATT): a longer frame is taken column by column
    const b = bootProfile("12-200");
    start(b, 13.8);
    sys(b, 13.3);
    const bank = layout(1, 12);
    new Feeder(b, bank).start();
    remoteOn(b, W);
    b.advance(3000);
    assert.equal(codes(b), "E-B05 no-data", "a bank it cannot place gives no data to decide on");
    assert.equal(outs(b), "Z Z Z Z Z Z");
    const fifth = b.call<{ nominal_V: number; cells_V: number[] }>("bms.battery(5)");
    assert.equal(fifth.nominal_V, 12.8, "the 5th battery is read");
    assert.equal(fifth.cells_V.length, 4);
    assert.match(b.repl("bms.battery(6)"), /battery: n must be 1\.\.5/);
  });
});

/** The Instant Readout as a receiver decodes it now. */
function readout(b: SimBoard): Record<string, unknown> {
  const a = b.radio.adverts.at(-1);
  assert.ok(a && a.manufacturerData, "an advert with manufacturer data");
  return decodeAdvert(Buffer.from(a.manufacturerData).toString("hex"), b.call<string>("bms.readoutKey()")).fields;
}

describe("Smart BMS 12-200: Instant Readout", () => {
  it("says_whether_the_alternator_may_charge_at_once_when_it_changes", () => {
    const { b } = vehicle();
    assert.equal(readout(b)["io.alternatorAllowed"], "no");
    engineOn(b);
    assert.equal(readout(b)["io.alternatorAllowed"], "yes", "on air in the tick the output closed");
    start(b, 12.9);
    b.advance(1000);
    assert.equal(readout(b)["io.alternatorAllowed"], "no");
  });

  it("says_high_bms_temperature_as_an_alarm_with_a_b15", () => {
    const { b } = vehicle();
    assert.equal(readout(b)["wa.highBmsTemperature"], "ok");
    b.temperature = 70;
    untilSlowRead(b, "");
    assert.equal(readout(b)["wa.highBmsTemperature"], "alarm");
  });
});

describe("Smart BMS 12-200: no battery monitor, as the product", () => {
  /** a full battery at rest: 14.2 V (3.55 V a cell), 0 A, for 5 min: a battery monitor syncs to 100 % after 3 */
  function fullAtRest(b: SimBoard, feed: Feeder): void {
    cells(feed, 3550);
    feed.batteries[0].m.current_dA = 0;
    b.advance(5 * 60_000);
  }

  it("the_smallbms_ng_syncs_a_full_battery_at_rest_to_100_percent", () => {
    // the same feed on the smallBMS NG's bundle: what the 12-200 below does not do
    const b = bootBoard();
    const feed = new Feeder(b, layout(1, 1)).start();
    fullAtRest(b, feed);
    assert.equal(b.call<Record<string, unknown>>("bms.status()").soc, 100);
    assert.equal(readout(b).soc_pct, 100);
    assert.ok(b.storage.list(/^bms\.soc/).length > 0, "the SoC record written");
  });

  it("shows_no_state_of_charge_on_a_full_battery_and_writes_no_soc_or_history_record", () => {
    const { b, feed } = vehicle();
    fullAtRest(b, feed);
    const s = b.call<Record<string, unknown>>("bms.status()");
    assert.equal(s.v, 14.2, "the battery is read");
    for (const k of ["soc", "consumed_Ah", "ttg_min"]) assert.equal(s[k], undefined, k);
    const r = readout(b);
    for (const k of ["soc_pct", "consumed_Ah", "ttg_min"]) assert.equal(r[k], undefined, "readout " + k + ": not available");
    assert.equal(r["wa.lowSoc"], "n/a");
    assert.equal(r.voltage_V, 14.2);
    assert.deepEqual(b.storage.list(/^bms\.(soc|hist)/), []);
    assert.equal(b.call<Record<string, unknown>>("bms.battery()").balancer, undefined, "the balancer's state needs full charges");
  });

  it("refuses_the_monitors_calls_and_settings_with_a_clear_error_and_changes_nothing", () => {
    const { b } = vehicle();
    const before = b.call<string>("JSON.stringify(bms.settings())");
    for (const call of ["history()", "sync()", "setSoc(50)", "resetHistory()"]) {
      assert.match(b.repl("bms." + call), new RegExp(call.replace(/\(.*/, "") + ": no battery monitor in a Smart BMS 12-200"), call);
    }
    const keys = b.call<string[]>("bms.schema().map(function(r){return r[0]})");
    for (const k of ["chargedCellVoltage", "tailCurrent", "chargedTime", "lowSocWarning", "dischargeFloor", "lowSocDelay"]) {
      assert.ok(!keys.includes(k), k + " is not a setting");
      assert.match(b.repl(`bms.set("${k}", 5)`), /unknown setting/, k);
    }
    assert.equal(b.call<string>("JSON.stringify(bms.settings())"), before, "nothing changed");
    assert.equal(b.call<Record<string, unknown>>("bms.status()").soc, undefined, "sync() set no SoC");
    assert.equal(codes(b), "");
    assert.deepEqual(b.storage.list(/^bms\.(soc|hist)/), []);
  });
});

describe("Smart BMS 12-200: status", () => {
  it("shows_the_values_of_the_product_status_page", () => {
    const { b } = vehicle();
    engineOn(b);
    b.call('bms.set("fuseType", 2)');
    const s = b.call<Record<string, unknown>>("bms.status()");
    assert.equal(s.v, 13.3);
    assert.equal(s.soft, true);
    assert.equal(s.alt, true);
    assert.equal(s.sys, true);
    assert.equal(s.vStart, 14);
    assert.equal(s.vSys, 13.3);
    assert.equal(s.altLimit_A, 90, "100 A fuse: 90 A");
    assert.equal(s.altPct, undefined, "no current sensor on the alternator line");
  });

  it("each_fuse_type_shows_the_limit_of_the_manuals_table_and_none_when_not_set", () => {
    const { b } = vehicle();
    const limits: (number | undefined)[] = [];
    for (let t = 0; t <= 9; t++) {
      b.call(`bms.set("fuseType", ${t})`);
      limits.push(b.call<Record<string, number | undefined>>("bms.status()").altLimit_A);
    }
    // docs/smart-bms-12-200.md 2.1: 125, 100, 80, 60 A, 2 x 30, 20, 15, 10 and 7.5 A
    assert.deepEqual(limits, [undefined, 100, 90, 60, 50, 40, 25, 20, 12, 9]);
  });

  it("the_smallbms_ng_bundle_carries_none_of_it", () => {
    const b = bootBoard();
    const keys = b.call<string[]>("bms.schema().map(function(r){return r[0]})");
    assert.ok(!keys.includes("chargeLimit"));
    const s = b.call<Record<string, unknown>>("bms.status()");
    assert.ok(!("vStart" in s));
    assert.equal(b.storage.read(".bootcde")!.includes("getAnalogVRef"), false);
  });
});
