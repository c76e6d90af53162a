// Behaviour of the built firmware on the simulated board: remote on/off, Mode, outputs, LEDs,
// watchdog. Each test loads dist/bms.js and asserts levels at exact simulated moments.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { MDBT42Q } from "../sim/wiring.ts";
import { Feeder, layout } from "./feed.ts";
import { bootBoard, history, outputs, PUCK, readyBoard, remoteOn, remoteRelease } from "./helpers.ts";

const DEBOUNCE_MS = 25;

describe("outputs follow remote and Mode (SPEC §2, §3)", () => {
  it("outputs_float_at_boot_with_remote_open", () => {
    const { b } = readyBoard();
    assert.equal(outputs(b), "Z Z Z");
    b.advance(5000);
    assert.equal(outputs(b), "Z Z Z");
    assert.deepEqual(b.uncaught, []);
  });

  it("remote_L_to_minus_turns_system_on_after_debounce", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(DEBOUNCE_MS - 1);
    assert.equal(outputs(b), "Z Z Z", "a contact bounce shorter than the debounce does nothing");
    b.advance(1);
    assert.equal(outputs(b), "H H Z");
  });

  it("remote_H_high_turns_system_on", () => {
    const { b } = readyBoard();
    b.drive(PUCK.remH, 1);
    b.advance(DEBOUNCE_MS);
    assert.equal(outputs(b), "H H Z");
    b.drive(PUCK.remH, 0);
    b.advance(DEBOUNCE_MS);
    assert.equal(outputs(b), "Z Z Z");
  });

  it("remote_glitch_shorter_than_debounce_is_ignored", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(2000);
    b.drive(PUCK.remL, null);
    b.advance(10);
    b.drive(PUCK.remL, 0);
    b.advance(2000);
    assert.equal(outputs(b), "H H Z");
    assert.deepEqual(history(b, PUCK.atd), [[2000 + DEBOUNCE_MS, "H", "watch:D28"]]);
  });

  it("a_bounce_seen_by_the_tick_never_switches_outputs_on", () => {
    const { b } = readyBoard();
    b.advance(995);
    remoteOn(b); // the tick at 3000 ms sees it before the debounce ends
    b.advance(10);
    remoteRelease(b); // ... and it was a bounce
    b.advance(3000);
    assert.equal(outputs(b), "Z Z Z");
    assert.deepEqual(history(b, PUCK.atd), []);
  });

  it("tick_heals_a_missed_remote_edge_off_after_the_debounce_on_after_two_ticks", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(1500);
    b.repl("clearWatch()"); // from now on every edge is missed
    remoteRelease(b);
    b.advance(500 + DEBOUNCE_MS - 1);
    assert.equal(outputs(b), "H H Z", "the tick at 4000 ms reads OFF and reads again after the debounce");
    b.advance(1);
    assert.equal(outputs(b), "Z Z Z", "OFF is taken once the tick's reading has held for the debounce time");
    assert.deepEqual(history(b, PUCK.atd).at(-1), [4000 + DEBOUNCE_MS, "Z", "timer"]);
    remoteOn(b);
    b.advance(1000 - DEBOUNCE_MS);
    assert.equal(outputs(b), "Z Z Z", "ON needs a second tick to confirm");
    b.advance(1000);
    assert.equal(outputs(b), "H H Z");
    assert.deepEqual(history(b, PUCK.atd).at(-1), [6000, "H", "timer"]);
  });

  it("the_ticks_second_reading_takes_only_the_pin_that_differed_at_the_tick", () => {
    // a glitch on the other pin at the moment of the second reading is not taken with it
    const { b } = readyBoard();
    remoteOn(b); // ON through L
    b.advance(1500);
    b.repl("clearWatch()"); // from now on every edge is missed
    remoteRelease(b); // OFF: L released, seen only by the tick at 4000 ms
    b.advance(500 + 10);
    b.drive(PUCK.remH, 1); // H glitches high from 4010 to 4030 ms, across the second reading
    b.advance(20);
    b.drive(PUCK.remH, null);
    assert.equal(outputs(b), "Z Z Z", "OFF at the second reading, the glitch on H not taken");
    assert.deepEqual(history(b, PUCK.atd).at(-1), [4000 + DEBOUNCE_MS, "Z", "timer"]);
    b.advance(3000);
    assert.equal(outputs(b), "Z Z Z");
  });

  it("an_18ms_dip_of_remote_H_sampled_by_a_tick_changes_nothing", () => {
    const { b } = readyBoard();
    b.drive(PUCK.remH, 1);
    b.advance(2000);
    assert.equal(outputs(b), "H H Z");
    b.advance(990); // 4990 ms
    b.drive(PUCK.remH, 0); // the tick at 5000 ms reads the pin in the middle of the dip
    b.advance(18);
    b.drive(PUCK.remH, 1);
    b.advance(5000);
    assert.equal(outputs(b), "H H Z");
    assert.deepEqual(history(b, PUCK.atd), [[2000 + DEBOUNCE_MS, "H", "watch:D29"]], "ATD never floated");
    assert.deepEqual(history(b, PUCK.atc), [[2000 + DEBOUNCE_MS, "H", "watch:D29"]], "ATC never floated");
  });

  it("a_dip_of_one_remote_pin_is_not_taken_by_the_other_pins_edge", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.drive(PUCK.remH, 1); // ON through both terminals
    b.advance(1300); // 3300 ms, between ticks
    remoteRelease(b);
    b.drive(PUCK.remH, 1); // L released: still ON through H; L's edge comes at 3325 ms ...
    b.advance(20);
    b.drive(PUCK.remH, 0); // ... in the middle of an 18 ms dip of H
    b.advance(18);
    b.drive(PUCK.remH, 1);
    b.advance(5000);
    assert.equal(outputs(b), "H H Z");
    assert.deepEqual(history(b, PUCK.atd), [[2000 + DEBOUNCE_MS, "H", "watch:D28"]], "ATD never floated");
  });

  it("remote_off_edge_floats_atd_and_atc_inside_the_same_event", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(3300); // mid-way between ticks: the next tick is 700 ms away
    remoteRelease(b);
    const edge = b.now_ms;
    b.advance(DEBOUNCE_MS);
    assert.equal(outputs(b), "Z Z Z");
    const atd = history(b, PUCK.atd).at(-1);
    const atc = history(b, PUCK.atc).at(-1);
    assert.deepEqual(atd, [edge + DEBOUNCE_MS, "Z", "watch:D28"], "ATD floats in the remote watch callback, not at a tick");
    assert.deepEqual(atc, [edge + DEBOUNCE_MS, "Z", "watch:D28"]);
  });

  it("mode_off_floats_outputs_at_once_and_mode_on_restores", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(1500);
    assert.match(b.repl("bms.mode(false)"), /=false/);
    assert.equal(outputs(b), "Z Z Z", "Mode off acts in the REPL call itself");
    assert.deepEqual(history(b, PUCK.atd).at(-1), [3500, "Z", "repl"]);
    b.advance(5000);
    assert.equal(outputs(b), "Z Z Z", "the tick keeps them off while Mode is off");
    b.repl("bms.mode(true)");
    assert.equal(outputs(b), "H H Z");
  });

  it("system_on_needs_remote_and_mode_both", () => {
    const { b } = readyBoard();
    b.repl("bms.mode(false)");
    remoteOn(b);
    b.advance(3000);
    assert.equal(outputs(b), "Z Z Z");
    const s = b.call<{ on: boolean; remote: boolean; mode: boolean }>("bms.status()");
    assert.deepEqual([s.on, s.remote, s.mode], [false, true, false]);
  });

  it("mode_refuses_a_non_boolean_and_changes_nothing", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(1000);
    const out = b.repl('bms.mode("off")');
    assert.match(out, /Uncaught mode: on must be true or false/);
    assert.equal(outputs(b), "H H Z");
  });

  it("mdbt42q_board_uses_its_own_pins", () => {
    const b = bootBoard({ board: "MDBT42Q" });
    new Feeder(b, layout(1, 1)).start();
    b.drive(MDBT42Q.remH, 1);
    b.advance(1000);
    assert.equal(outputs(b, MDBT42Q), "H H Z");
    assert.equal(outputs(b, PUCK).slice(0, 3), "Z Z", "Puck.js pins untouched on MDBT42Q");
  });
});

describe("LEDs (SPEC §5)", () => {
  it("blue_flashes_while_advertising_and_stays_on_when_connected", () => {
    const b = bootBoard();
    b.advance(3000);
    const flashes = history(b, PUCK.blue).filter(([, lvl]) => lvl === "H");
    assert.equal(flashes.length, 3, "one short flash per tick");
    const offs = history(b, PUCK.blue).filter(([, lvl]) => lvl === "L");
    assert.equal(offs[0][0] - flashes[0][0], 20, "a flash is 20 ms");
    // each check 100 ms after a tick, when a flash is long over; none at a 10-tick reassert, which
    // decides the LEDs anyway: the client's arrival and departure decide them themselves
    b.radio.connect();
    b.advance(1100);
    assert.equal(b.level(PUCK.blue), "H", "on from the next tick");
    b.advance(4000);
    assert.equal(b.level(PUCK.blue), "H", "steadily on while connected");
    b.radio.disconnect();
    b.advance(1000);
    assert.equal(b.level(PUCK.blue), "L", "back to short flashes from the next tick");
    assert.ok(b.now_ms % 10_000 !== 0 && Math.floor(b.now_ms / 10_000) === 0, "before the first reassert");
  });

  it("red_stays_off_with_nothing_active", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(10_000);
    assert.deepEqual(history(b, PUCK.red).filter(([, l]) => l === "H"), []);
  });
});

describe("watchdog", () => {
  it("a_stopped_tick_resets_the_board_and_it_comes_back", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(2000);
    b.repl("clearInterval()"); // on Espruino this clears every interval: the tick stops
    b.advance(9000);
    assert.equal(b.resets.length, 0, "not before the watchdog time");
    b.advance(2000);
    assert.equal(b.resets.length, 1);
    assert.equal(b.resets[0].why, "watchdog");
    assert.equal(outputs(b), "Z Z Z", "outputs float while the chip resets");
    b.advance(11_000); // batteries send their identity every 10 s: the restarted BMS waits for it
    assert.equal(outputs(b), "H H Z", "after the reset the firmware runs again from flash");
    assert.deepEqual(b.uncaught, []);
  });
});

describe("repeated watchdog resets (SPEC §4 E-B11)", () => {
  const codes = (b: SimBoard) => b.call<string>("bms.codes().join(' ')");
  /** The firmware hangs (its tick stops) and the watchdog resets the board 10 s later. */
  function hang(b: SimBoard): void {
    const n = b.resets.length;
    b.call("clearInterval()");
    b.advance(11_000);
    assert.equal(b.resets.length, n + 1);
    assert.equal(b.resets[n].why, "watchdog");
  }
  /** Storage that counts the writes of the reset counter's file. */
  class CountingStorage extends SimStorage {
    wdt = 0;
    override write(name: string, data: unknown, offset?: number, size?: number): boolean {
      if (name === "bms.wdt") this.wdt++;
      return super.write(name, data, offset, size);
    }
  }
  /** A running 12.8 V bank with remote on, outputs "H H Z". */
  function running(): { b: SimBoard; store: CountingStorage } {
    const store = new CountingStorage();
    const { b } = readyBoard({ storage: store });
    remoteOn(b);
    b.advance(1000);
    assert.equal(outputs(b), "H H Z");
    return { b, store };
  }

  it("the_third_watchdog_reset_in_a_row_latches_eb11_and_floats_both_outputs_until_a_power_cut", () => {
    const { b } = running();
    for (let k = 1; k <= 2; k++) {
      hang(b);
      b.advance(12_000);
      assert.equal(codes(b), "", `${k} watchdog reset(s) are not yet repeated`);
      assert.equal(outputs(b), "H H Z");
    }
    hang(b);
    assert.equal(outputs(b), "Z Z Z");
    b.advance(1000); // the first tick after the third reset
    assert.equal(codes(b), "E-B11");
    b.advance(20 * 60_000);
    assert.equal(codes(b), "E-B11", "latched: clean running does not clear it");
    assert.equal(outputs(b), "Z Z Z");
    hang(b);
    hang(b); // five in a row
    b.advance(12_000);
    assert.equal(codes(b), "E-B11");
    assert.equal(outputs(b), "Z Z Z");
    b.powerCycle(); // the restart that clears it
    b.advance(12_000);
    assert.equal(codes(b), "");
    assert.equal(outputs(b), "H H Z");
    assert.deepEqual(b.uncaught, []);
  });

  it("power_cuts_never_count_and_one_ends_the_row", () => {
    const { b, store } = running();
    for (let k = 0; k < 5; k++) {
      b.advance(3000);
      b.powerCycle();
    }
    b.advance(12_000);
    assert.equal(codes(b), "", "five power cuts in a row are not watchdog resets");
    assert.equal(outputs(b), "H H Z");
    assert.equal(store.wdt, 0, "nothing written to flash for a power cut");
    hang(b);
    hang(b);
    b.powerCycle();
    b.advance(3000);
    hang(b);
    hang(b);
    b.advance(12_000);
    assert.equal(codes(b), "", "2 + power cut + 2 is not 3 in a row");
    assert.equal(outputs(b), "H H Z");
  });

  it("ten_minutes_of_clean_running_end_the_row_and_flash_writes_stay_bounded", () => {
    const { b, store } = running();
    hang(b);
    hang(b); // the board boots again now
    assert.equal(store.wdt, 2, "one write per watchdog reset");
    b.advance(600_000 - 1);
    assert.equal(store.wdt, 2, "nothing before ten minutes of running");
    b.advance(1);
    assert.equal(store.wdt, 3, "the row is cleared once, at the tick ten minutes after the boot");
    b.advance(60 * 60_000);
    assert.equal(store.wdt, 3, "and never again while it runs");
    hang(b);
    hang(b);
    b.advance(12_000);
    assert.equal(codes(b), "", "the row started again after ten clean minutes");
    hang(b);
    b.advance(1000);
    assert.equal(codes(b), "E-B11", "three in a row again");
    const latched = store.wdt;
    for (let k = 0; k < 5; k++) hang(b);
    b.advance(20 * 60_000);
    assert.equal(store.wdt, latched, "a crash loop on a latched board writes no more");
  });
});

describe("Mode is kept across restarts", () => {
  it("mode_off_survives_a_power_cycle_and_set_mode_acts_at_once", () => {
    const { b } = readyBoard();
    remoteOn(b);
    b.advance(1000);
    assert.equal(outputs(b), "H H Z");
    b.repl("bms.mode(false)");
    b.powerCycle();
    b.advance(12_000);
    assert.equal(outputs(b), "Z Z Z", "a person who switched the system off finds it off after a restart");
    assert.equal(b.call("bms.status().mode"), false);
    b.call('bms.set("mode", 1)');
    assert.equal(outputs(b), "H H Z", "bms.set(\"mode\", 1) acts at once");
  });
});
