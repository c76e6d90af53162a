// PIN recovery by physical access (docs/web.md "PIN recovery"): pressing the board's button
// (D0 on Puck.js v2 and on the MDBT42Q breakout) within 30 s of power-up puts the PIN back to
// 000000. Later presses change nothing. Runs on the built bundle with fake time.
import assert from "node:assert/strict";
import { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { DEFAULT_PIN } from "./helpers.ts";

const BTN = "D0";

function boardWithPin(pin: string): SimBoard {
  const storage = new SimStorage();
  const b = new SimBoard({ storage });
  b.repl(DEFAULT_PIN);
  b.repl(`bms.set("pin", "${pin}")`);
  b.powerCycle();
  return b;
}

function press(b: SimBoard): void {
  b.drive(BTN, 1);
  b.advance(200);
  b.drive(BTN, 0);
  b.advance(200);
}

describe("PIN recovery: the button in the first 30 s after power-up", () => {
  it("a_press_at_20_s_puts_the_pin_back_to_000000", () => {
    const b = boardWithPin("4711");
    b.advance(20_000);
    press(b);
    assert.doesNotMatch(b.repl(DEFAULT_PIN), /Invalid password/, "000000 opens the console again");
    assert.match(b.repl("bms.settings().pin"), /="\*\*\*\*"/);
    b.powerCycle(); // and it is stored
    assert.doesNotMatch(b.repl(DEFAULT_PIN), /Invalid password/);
    assert.deepEqual(b.uncaught, []);
  });

  it("a_press_after_30_s_changes_nothing", () => {
    const b = boardWithPin("4711");
    b.advance(30_500);
    press(b);
    assert.match(b.repl(DEFAULT_PIN), /Invalid password/, "the old PIN stays");
    b.repl("4711");
    assert.match(b.repl("bms.settings().pin"), /="\*\*\*\*"/, "4711 still opens it");
    assert.deepEqual(b.uncaught, []);
  });
});
