// Access control over the built bundle (SPEC §7): the console, over BLE or wired, is locked until
// the PIN is typed; configuration and the readout key are only reachable through it.
import assert from "node:assert/strict";
import { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { DEFAULT_PIN } from "./helpers.ts";

describe("access: the console needs the PIN", () => {
  it("a_new_board_is_locked_and_its_pin_is_000000", () => {
    const b = new SimBoard();
    b.radio.connect();
    const out = b.uart("bms.readoutKey()\n");
    assert.match(out, /Invalid password/);
    assert.doesNotMatch(out, /[0-9a-f]{32}/, "no key before the PIN");
    b.uart(DEFAULT_PIN + "\n");
    assert.match(b.uart("bms.readoutKey()\n"), /="[0-9a-f]{32}"/);
  });

  it("a_wrong_pin_keeps_it_locked_and_a_disconnect_locks_it_again", () => {
    const b = new SimBoard();
    b.radio.connect();
    b.uart("123456\n");
    assert.match(b.uart('bms.set("tailCurrent", 9)\n'), /Invalid password/);
    assert.equal(b.call("bms.settings().tailCurrent"), 4, "nothing was changed");
    b.uart(DEFAULT_PIN + "\n");
    assert.match(b.uart('bms.set("tailCurrent", 9)\n'), /=9/);
    b.radio.disconnect();
    b.radio.connect();
    assert.match(b.uart("bms.readoutKey()\n"), /Invalid password/);
  });

  it("a_new_pin_is_kept_across_a_restart", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ storage });
    b.repl(DEFAULT_PIN);
    b.repl('bms.set("pin", "4711")');
    b.powerCycle();
    assert.match(b.repl(DEFAULT_PIN), /Invalid password/, "the old PIN no longer opens it");
    b.repl("4711");
    assert.match(b.repl("bms.settings().pin"), /="\*\*\*\*"/, "unlocked, and the PIN itself is never shown");
  });
});

describe("bluetooth off and the 30-second window (SPEC §7)", () => {
  it("with_bluetooth_off_the_radio_sleeps_30s_after_power_up", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ storage });
    b.repl(DEFAULT_PIN);
    b.repl('bms.set("bluetooth", false)');
    b.powerCycle();
    b.advance(29_000);
    assert.equal(b.radio.awake, true, "on for the first 30 s");
    b.advance(1000);
    assert.equal(b.radio.awake, false);
    b.advance(3000);
    assert.equal(b.level("LED3"), "L", "the blue LED is off with Bluetooth off");
    assert.throws(() => b.radio.connect(), /asleep/);
  });

  it("a_client_in_the_window_keeps_it_on_and_can_switch_it_back_on", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ storage });
    b.repl(DEFAULT_PIN);
    b.repl('bms.set("bluetooth", 0)');
    b.powerCycle();
    b.advance(20_000);
    b.radio.connect();
    b.advance(60_000);
    assert.equal(b.radio.awake, true, "on while the client is connected");
    b.uart(DEFAULT_PIN + "\n");
    b.uart('bms.set("bluetooth", true)\n');
    b.radio.disconnect();
    b.advance(60_000);
    assert.equal(b.radio.awake, true, "switched back on: it stays on");
  });

  it("a_client_that_leaves_without_switching_it_on_lets_it_go_off", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ storage });
    b.repl(DEFAULT_PIN);
    b.repl('bms.set("bluetooth", 0)');
    b.powerCycle();
    b.advance(10_000);
    b.radio.connect();
    b.advance(40_000);
    b.radio.disconnect();
    b.advance(1000);
    assert.equal(b.radio.awake, false);
  });
});

describe("BLE passkey pairing (option)", () => {
  it("pairing_uses_the_pin_as_passkey_and_needs_six_digits", () => {
    const b = new SimBoard();
    b.repl(DEFAULT_PIN);
    assert.deepEqual(b.radio.security, { mitm: false, display: false }, "off by default");
    b.repl('bms.set("pairing", true)');
    assert.deepEqual(b.radio.security, { passkey: DEFAULT_PIN, mitm: true, display: true });
    assert.match(b.repl('bms.set("pin", "4711")'), /pairing needs a 6-digit pin/);
    b.repl('bms.set("pairing", false)');
    b.repl('bms.set("pin", "4711")');
    assert.match(b.repl('bms.set("pairing", 1)'), /pairing needs a 6-digit pin/);
    assert.equal(b.call("bms.settings().pairing"), 0);
  });
});
