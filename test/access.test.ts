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
    assert.match(out, /console locked/);
    assert.doesNotMatch(out, /[0-9a-f]{32}/, "no key before the PIN");
    b.uart(DEFAULT_PIN + "\n");
    assert.match(b.uart("bms.readoutKey()\n"), /="[0-9a-f]{32}"/);
  });

  it("a_wrong_pin_keeps_it_locked_and_a_disconnect_locks_it_again", () => {
    const b = new SimBoard();
    b.radio.connect();
    b.uart("123456\n");
    assert.match(b.uart('bms.set("tailCurrent", 9)\n'), /console locked/);
    assert.equal(b.call("bms.settings().tailCurrent"), 4, "nothing was changed");
    b.uart(DEFAULT_PIN + "\n");
    assert.match(b.uart('bms.set("tailCurrent", 9)\n'), /=9/);
    b.radio.disconnect();
    b.radio.connect();
    assert.match(b.uart("bms.readoutKey()\n"), /console locked/);
  });

  it("a_new_pin_is_kept_across_a_restart", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ storage });
    b.repl(DEFAULT_PIN);
    b.repl('bms.set("pin", "4711")');
    b.powerCycle();
    assert.match(b.repl(DEFAULT_PIN), /console locked/, "the old PIN no longer opens it");
    b.repl("4711");
    assert.match(b.repl("bms.settings().pin"), /="\*\*\*\*"/, "unlocked, and the PIN itself is never shown");
  });
});
