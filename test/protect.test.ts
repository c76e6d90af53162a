// Protection rules over the built bundle (SPEC §2, §4, §5), one test per rule, asserting the
// outputs and codes at the exact tick they must change and one second before. The feeder sends
// a frame at +500 ms each second; a change made at a whole second is seen by the tick 1 s later.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { decodeAdvert } from "../tools/readout.ts";
import { dischargeAllowed, type StatusLike } from "../web/src/codes.ts";
import { Feeder, layout } from "./feed.ts";
import { bootBoard, history, outputs, PUCK, readyBoard, remoteOn } from "./helpers.ts";

const codes = (b: SimBoard) => b.call<string>("bms.codes().join(' ')");
/** The Instant Readout fields on air now, decoded with the host decoder and the board's key. */
function advert(b: SimBoard): Record<string, unknown> {
  const a = b.radio.adverts.at(-1)!.manufacturerData!;
  return decodeAdvert(Buffer.from(a).toString("hex"), b.call<string>("bms.readoutKey()")).fields;
}
/** What the status page says about discharge, from the firmware's bms.status(). */
const discharge = (b: SimBoard) => dischargeAllowed(b.call<StatusLike>("bms.status()")).text;

/** A running 12.8 V bank, remote on, outputs "H H Z", at t = 3000 ms. */
function protectedBank(): { b: SimBoard; feed: Feeder } {
  const r = readyBoard();
  remoteOn(r.b);
  r.b.advance(1000);
  assert.equal(outputs(r.b), "H H Z");
  return r;
}

/** Set battery 1's cells (mV) — one cell to `low_mV`, the rest to `rest_mV`. */
function cells(feed: Feeder, low_mV: number, rest_mV = low_mV): void {
  const m = feed.batteries[0].m;
  m.cells_mV = [low_mV, rest_mV, rest_mV, rest_mV];
  m.voltage_cV = Math.round((low_mV + 3 * rest_mV) / 10);
}
function temp(feed: Feeder, c: number): void {
  feed.batteries[0].m.temp_dC = Math.round(c * 10);
}

/** Advance to 1 ms before the tick `s` seconds ahead, assert, then to the tick and assert. */
function changesAt(b: SimBoard, s: number, before: string, after: string, what = outputs): void {
  b.advance(s * 1000 - 1);
  assert.equal(what(b), before, `1 ms before the tick ${s} s ahead`);
  b.advance(1);
  assert.equal(what(b), after, `at the tick ${s} s ahead`);
}

describe("cell under-voltage: pre-alarm, then load disconnect (SPEC §2, W-B01, A-B01)", () => {
  it("ab01_appears_when_atd_opens_and_the_lead_shows_only_the_prealarm", () => {
    const { b, feed } = protectedBank();
    cells(feed, 2700, 3200);
    b.advance(1000); // the tick at 4000 ms sees the cell at 2.70 V: the 30 s lead starts
    const lead = (where: string) => {
      assert.equal(outputs(b), "H H H", where);
      assert.equal(codes(b), "W-B01", `${where}: the user sees the warning, not yet the alarm`);
      assert.equal(discharge(b), "Pre-alarm: low cell voltage", where);
      assert.equal(advert(b)["wa.lowCellVoltage"], "warning", where);
      assert.equal(advert(b)["io.allowedToDischarge"], "yes", where);
    };
    lead("at the first tick");
    b.advance(500);
    assert.equal(b.level(PUCK.red), "L", "the red LED blinks (a warning), it is not steadily on");
    b.advance(29_499);
    lead("1 ms before the end of the lead");
    b.advance(1);
    assert.equal(outputs(b), "Z H H", "ATD opens 30 s after the pre-alarm came on");
    assert.equal(codes(b), "W-B01 A-B01", "the alarm appears with the shutdown");
    assert.match(discharge(b), /^No: Low cell voltage/);
    assert.equal(advert(b)["wa.lowCellVoltage"], "alarm");
    assert.equal(advert(b)["io.allowedToDischarge"], "no");
    b.advance(500);
    assert.equal(b.level(PUCK.red), "H", "the red LED is steadily on with the alarm");
  });

  it("atd_off_30s_after_prealarm_when_a_cell_falls_through_both_levels_at_once", () => {
    const { b, feed } = protectedBank();
    cells(feed, 2700, 3200);
    changesAt(b, 1, "H H Z", "H H H"); // pre-alarm on at 4000 ms
    assert.equal(codes(b), "W-B01", "during the lead: the warning and the pre-alarm");
    changesAt(b, 30, "H H H", "Z H H"); // ATD floats 30 s after the pre-alarm came on
    assert.equal(codes(b), "W-B01 A-B01", "discharge not allowed: A-B01");
    const pre = history(b, PUCK.pre).find(([, l]) => l === "H");
    const atd = history(b, PUCK.atd).at(-1);
    assert.equal(atd![0] - pre![0], 30_000, "exactly the 30 s lead");
  });

  it("atd_off_at_once_when_the_prealarm_was_already_on_for_30s", () => {
    const { b, feed } = protectedBank();
    cells(feed, 3050, 3200);
    changesAt(b, 1, "H H Z", "H H H");
    b.advance(59_000);
    cells(feed, 2790, 3200);
    changesAt(b, 1, "H H H", "Z H H");
    assert.equal(codes(b), "W-B01 A-B01");
  });

  it("ab01_clears_only_when_every_cell_is_3V20", () => {
    const { b, feed } = protectedBank();
    cells(feed, 2700, 3300);
    b.advance(32_000);
    assert.equal(outputs(b), "Z H H");
    cells(feed, 3199, 3300);
    b.advance(5000);
    assert.equal(codes(b), "W-B01 A-B01", "3.199 V is not yet 3.20 V");
    cells(feed, 3200, 3300);
    changesAt(b, 1, "Z H H", "H H H", (x) => outputs(x));
    assert.equal(codes(b), "W-B01", "the warning holds until above 3.20 V (level + 0.10 V)");
    cells(feed, 3201, 3300);
    changesAt(b, 1, "H H H", "H H Z");
    assert.equal(codes(b), "");
  });

  it("ab01_holds_through_the_system_off_and_on_with_no_second_lead", () => {
    // off, the pre-alarm output floats and its 30 s count is gone; back on, a cell still under
    // 3.20 V keeps A-B01: discharge stays off, not allowed again for another 30 s lead
    const { b, feed } = protectedBank();
    cells(feed, 2700, 3300);
    b.advance(32_000);
    assert.equal(outputs(b), "Z H H");
    b.repl("bms.mode(false)");
    assert.equal(outputs(b), "Z Z Z");
    b.advance(5000);
    b.repl("bms.mode(true)");
    remoteOn(b);
    cells(feed, 2900, 3300); // new numbers, still under 3.20 V: the limits are judged again
    b.advance(2000);
    assert.equal(codes(b), "W-B01 A-B01");
    assert.equal(outputs(b), "Z H H", "ATD stays open, the pre-alarm on");
    b.advance(40_000);
    assert.equal(outputs(b), "Z H H");
  });

  it("wb01_follows_the_prealarm_level_with_its_hysteresis", () => {
    const { b, feed } = protectedBank();
    cells(feed, 3101, 3300);
    b.advance(3000);
    assert.equal(codes(b), "", "3.101 V is above the 3.10 V level");
    cells(feed, 3100, 3300);
    changesAt(b, 1, "", "W-B01", codes);
    assert.equal(outputs(b), "H H H");
  });

  it("the_red_led_blinks_on_a_warning_and_is_on_for_an_alarm", () => {
    const { b, feed } = protectedBank();
    cells(feed, 3000, 3300);
    b.advance(3500);
    const flashes = history(b, PUCK.red).filter(([t, l]) => l === "H" && t > 3000);
    assert.equal(flashes.length, 3, "one short flash a tick while W-B01");
    cells(feed, 2700, 3300);
    b.advance(1600); // 100 ms after the tick that saw it: past its 20 ms flash
    assert.equal(codes(b), "W-B01", "the pre-alarm lead: still a warning");
    assert.equal(b.level(PUCK.red), "L", "blinking during the lead");
    b.advance(30_000);
    assert.equal(codes(b), "W-B01 A-B01");
    assert.equal(b.level(PUCK.red), "H", "steadily on with an alarm");
  });
});

describe("charging blocks (SPEC §4)", () => {
  it("chg_blocked_below_5C_back_at_7C", () => {
    const { b, feed } = protectedBank();
    temp(feed, 5.0);
    b.advance(3000);
    assert.equal(outputs(b), "H H Z", "5.0 °C is not below 5 °C");
    temp(feed, 4.9);
    changesAt(b, 1, "H H Z", "H Z Z");
    assert.equal(codes(b), "cold");
    temp(feed, 6.9);
    b.advance(3000);
    assert.equal(outputs(b), "H Z Z");
    temp(feed, 7.0);
    changesAt(b, 1, "H Z Z", "H H Z");
  });

  it("chg_blocked_above_50C_as_ab09_back_at_45C", () => {
    const { b, feed } = protectedBank();
    temp(feed, 50.0);
    b.advance(3000);
    assert.equal(codes(b), "");
    temp(feed, 50.1);
    changesAt(b, 1, "H H Z", "H Z Z");
    assert.equal(codes(b), "A-B09");
    temp(feed, 45.1);
    b.advance(3000);
    assert.equal(codes(b), "A-B09");
    temp(feed, 45.0);
    changesAt(b, 1, "H Z Z", "H H Z");
  });

  it("chg_blocked_at_a_cell_of_3V75_back_when_all_are_3V60", () => {
    const { b, feed } = protectedBank();
    cells(feed, 3749, 3400);
    b.advance(3000);
    assert.equal(outputs(b), "H H Z");
    cells(feed, 3750, 3400);
    changesAt(b, 1, "H H Z", "H Z Z");
    assert.equal(codes(b), "cell-high");
    cells(feed, 3601, 3400);
    b.advance(3000);
    assert.equal(outputs(b), "H Z Z");
    cells(feed, 3600, 3400);
    changesAt(b, 1, "H Z Z", "H H Z");
  });
});

describe("a silent battery never suspends the limits on the others", () => {
  // a 1s2p bank; battery 2 falls silent at 3 s (its last frame came at 2.5 s); 10 s later, well
  // inside the 30 s before A-B05, battery 1 reports a cell or a temperature past a limit
  const cases: [string, (feed: Feeder) => void, string, string][] = [
    ["a_cell_of_3V80_floats_atc", (feed) => cells(feed, 3800, 3400), "H Z Z", "W-B05 cell-high"],
    ["0C_floats_atc", (feed) => temp(feed, 0), "H Z Z", "W-B05 cold"],
    ["a_cell_of_2V70_lights_the_prealarm", (feed) => cells(feed, 2700, 3300), "H H H", "W-B01 W-B05"],
  ];
  for (const [name, change, want, wantCodes] of cases) {
    it(`${name}_of_the_battery_that_still_reports_at_the_next_tick`, () => {
      const b = bootBoard();
      remoteOn(b);
      const feed = new Feeder(b, layout(1, 2)).start();
      b.advance(3000);
      assert.equal(outputs(b), "H H Z");
      feed.batteries[1].silent = true;
      b.advance(10_000);
      assert.equal(codes(b), "W-B05", "battery 2 is silent");
      change(feed); // battery 1's next frame comes at +500 ms
      changesAt(b, 1, "H H Z", want);
      assert.equal(codes(b), wantCodes);
    });
  }

  it("a_battery_heard_but_not_yet_identified_does_not_pause_the_limits_either", () => {
    const { b, feed } = protectedBank();
    const extra = layout(1, 2)[1];
    feed.batteries.push({ ...extra, anonymous: true }); // measurements, no identity: E-B01 after 10 s
    b.advance(3000);
    assert.equal(codes(b), "");
    cells(feed, 3800, 3400);
    changesAt(b, 1, "H H Z", "H Z Z");
    assert.equal(codes(b), "cell-high");
  });

  it("a_layout_fault_holds_the_limits_as_they_were_until_it_clears", () => {
    // during E-B01/05/09 the bank's numbers may mix in a battery that does not belong: the limits
    // keep their last verdict (the error floats both outputs anyway) and judge again after it
    const { b, feed } = protectedBank();
    feed.batteries[0].m.fault = true; // the battery reports an internal fault: E-B01
    changesAt(b, 1, "H H Z", "Z Z Z");
    cells(feed, 3800, 3400);
    b.advance(3000);
    assert.equal(codes(b), "E-B01", "no cell-high while the fault holds the limits");
    feed.batteries[0].m.fault = false;
    changesAt(b, 1, "Z Z Z", "H Z Z");
    assert.equal(codes(b), "cell-high");
  });

  it("a_low_bank_voltage_of_the_battery_that_still_reports_raises_ab08_after_10s", () => {
    const b = bootBoard();
    remoteOn(b);
    const feed = new Feeder(b, layout(1, 2)).start();
    b.advance(3000);
    feed.batteries[1].silent = true;
    b.advance(10_000);
    const m = feed.batteries[0].m;
    m.cells_mV = [2850, 2850, 2850, 2850];
    m.voltage_cV = 1100; // below 4 x 2.80 V; battery 2's last 13.30 V is no longer the bank's voltage
    b.advance(1000); // the first tick that sees it starts the 10 s
    changesAt(b, 10, "H H H", "Z H H");
    assert.equal(codes(b), "W-B01 W-B05 A-B08");
  });
});

describe("low bank voltage (A-B08)", () => {
  it("atd_off_after_10s_below_2V80_per_cell_and_back_at_3V00", () => {
    const { b, feed } = protectedBank();
    const m = feed.batteries[0].m;
    m.cells_mV = [2850, 2850, 2850, 2850]; // cells above the alarm level: only the bank is low
    m.voltage_cV = 1120; // 11.20 V is not below 4 x 2.80 V
    b.advance(5000);
    assert.doesNotMatch(codes(b), /A-B08/);
    m.voltage_cV = 1119;
    b.advance(1000); // the first tick that sees 11.19 V starts the 10 s
    changesAt(b, 10, "H H H", "Z H H");
    assert.equal(codes(b), "W-B01 A-B08");
    m.voltage_cV = 1199;
    b.advance(3000);
    assert.match(codes(b), /A-B08/);
    m.voltage_cV = 1200;
    b.advance(1000);
    assert.doesNotMatch(codes(b), /A-B08/);
    assert.equal(outputs(b), "H H H", "loads back on; the pre-alarm stays for the low cells");
  });

  it("a_dip_that_recovers_before_10s_starts_the_10s_again", () => {
    // the delay is 10 s in a row below the level, not 10 s added up over separate dips
    const { b, feed } = protectedBank();
    const m = feed.batteries[0].m;
    m.cells_mV = [2850, 2850, 2850, 2850];
    m.voltage_cV = 1119;
    b.advance(8000);
    m.voltage_cV = 1200;
    b.advance(2000);
    m.voltage_cV = 1119;
    b.advance(1000); // the first tick that sees the second dip starts the 10 s again
    changesAt(b, 10, "H H H", "Z H H");
    assert.equal(codes(b), "W-B01 A-B08");
  });
});

describe("low bank voltage follows the layout (A-B08)", () => {
  it("the_level_follows_a_battery_added_in_series_without_a_settings_change", () => {
    // 2.80 V x cells in series: worked out again when the layout changes, not only with a setting
    const b = bootBoard();
    remoteOn(b);
    const bats = layout(2, 1);
    bats[1].silent = true; // at first one 12.8 V battery
    new Feeder(b, bats).start();
    b.advance(5000);
    assert.equal(b.call("bms.battery().cellsSeries"), 4);
    bats[1].silent = false; // a second one in series: 25.6 V, 8 cells
    b.advance(12_000);
    assert.equal(b.call("bms.battery().cellsSeries"), 8);
    assert.equal(codes(b), "");
    bats[0].m.cells_mV = bats[1].m.cells_mV = [2850, 2850, 2850, 2850];
    bats[0].m.voltage_cV = bats[1].m.voltage_cV = 1100;
    bats[1].m.base_cV = 1100; // 22.00 V: under 8 x 2.80 V, far above 4 x 2.80 V
    b.advance(1000);
    changesAt(b, 10, "H H H", "Z H H");
    assert.equal(codes(b), "W-B01 A-B08");
  });
});

describe("errors and system off float both outputs", () => {
  it("an_error_floats_atd_and_atc_and_switches_the_red_led_on", () => {
    const { b, feed } = protectedBank();
    feed.batteries[0].m.fault = true; // the battery reports an internal fault: E-B01
    changesAt(b, 1, "H H Z", "Z Z Z");
    assert.equal(codes(b), "E-B01");
    b.advance(500);
    assert.equal(b.level(PUCK.red), "H");
  });

  it("system_off_floats_the_prealarm_too", () => {
    const { b, feed } = protectedBank();
    cells(feed, 3000, 3300);
    b.advance(2000);
    assert.equal(outputs(b), "H H H");
    b.repl("bms.mode(false)");
    assert.equal(outputs(b), "Z Z Z");
    assert.equal(codes(b), "W-B01", "monitoring goes on while the system is off");
    b.repl("bms.mode(true)");
    remoteOn(b);
    assert.equal(outputs(b), "H H H");
  });
});

describe("output read-back (E-B11)", () => {
  it("an_output_shorted_low_raises_eb11_and_floats_both_until_restart", () => {
    const { b } = protectedBank();
    b.advance(500); // between ticks: the read-back runs when the next tick re-asserts
    b.short(PUCK.atc, 0);
    changesAt(b, 0.5, "H L Z", "Z L Z"); // ATD floats at once with E-B11; ATC reads the short
    assert.equal(codes(b), "E-B11");
    b.short(PUCK.atc, null);
    b.advance(10_000);
    assert.equal(codes(b), "E-B11", "a hardware error clears only with a restart");
    assert.equal(outputs(b), "Z Z Z");
    b.reset();
    b.advance(12_000);
    assert.equal(codes(b), "");
    assert.equal(outputs(b), "H H Z");
  });

  it("a_driven_output_switched_to_input_by_other_code_raises_eb11_at_the_next_tick", () => {
    // the pins are set only when the decision changes (and every 10 ticks), but what is driven
    // high is read back at every tick: a pin that no longer drives is a hardware error at once
    const { b } = protectedBank();
    b.advance(500);
    b.repl(`pinMode(${PUCK.atc}, "input")`);
    changesAt(b, 0.5, "H Z Z", "Z Z Z");
    assert.equal(codes(b), "E-B11");
  });
});

describe("outputs set again (our choice: every 10 ticks)", () => {
  it("a_floating_output_driven_high_by_other_code_floats_again_at_the_next_reassert_and_then_every_10_ticks", () => {
    // a floating output that something else drives high reads back high, so the read-back cannot
    // see it: only setting the pins again every OUT_REASSERT_TICKS puts it right. System off:
    // the load output must float
    const { b } = protectedBank();
    b.repl("bms.mode(false)");
    assert.equal(outputs(b), "Z Z Z");
    b.advance(500);
    const disturb = () => b.repl(`digitalWrite(${PUCK.atd}, 1); pinMode(${PUCK.atd}, "output")`);
    disturb();
    assert.equal(outputs(b), "H Z Z");
    const start = b.now_ms;
    // the first reassert comes within 10 ticks, wherever in the count the disturbance fell
    b.advance(10_000);
    const fixed = history(b, PUCK.atd).filter(([t_ms, level]) => t_ms > start && level === "Z").map(([t_ms]) => t_ms)[0];
    assert.ok(fixed !== undefined && fixed <= start + 10_000, "floating again within 10 ticks");
    assert.equal(codes(b), "", "a floating output driven from outside is no hardware error");
    // disturbed again: the next reassert is exactly 10 ticks after that one
    disturb();
    const tick = fixed + 10_000;
    b.advance(tick - b.now_ms - 1);
    assert.equal(b.level(PUCK.atd), "H", "still driven from outside 1 ms before the tenth tick");
    b.advance(1);
    assert.equal(b.level(PUCK.atd), "Z", "floating at the tenth tick");
  });
});

describe("firmware update (SPEC §8)", () => {
  it("update_opens_atc_at_once_and_atd_120s_later_if_it_does_not_finish", () => {
    const { b } = protectedBank();
    b.repl("bms.update(true)");
    assert.equal(outputs(b), "H Z Z", "no charging during an update, at once");
    assert.equal(codes(b), "update");
    b.advance(1000);
    changesAt(b, 119, "H Z Z", "Z Z Z"); // the tick 120 s after the start
    assert.equal(codes(b), "update update-failed");
    b.repl("bms.update(true)"); // retry: the 120 s start again
    assert.equal(outputs(b), "H Z Z");
    b.advance(60_000);
    b.repl("bms.update(false)"); // done
    assert.equal(outputs(b), "H H Z");
    assert.equal(codes(b), "");
    assert.match(b.repl('bms.update("yes")'), /Uncaught update: on must be true or false/);
  });
});
