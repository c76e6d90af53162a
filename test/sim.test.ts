// The simulated board must refuse what the device refuses and behave like it where the firmware
// depends on it: otherwise a green test proves nothing about the board.
import assert from "node:assert/strict";
import { SIM_FREE_VARS, SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";

/** A board running a tiny script instead of the firmware. */
function boardWith(code: string): SimBoard {
  return new SimBoard({ code });
}
function errorOf(b: SimBoard, expr: string): string {
  const out = b.repl(expr);
  const m = /Uncaught (.*)/.exec(out);
  return m ? m[1] : "(no error) " + out;
}

describe("sim: the language is Espruino's, not Node's", () => {
  const b = boardWith("");
  for (const name of ["Map", "Set", "WeakMap", "Symbol", "Proxy", "Reflect", "BigInt"]) {
    it(`${name}_is_absent`, () => assert.match(errorOf(b, `new ${name}()`), /not defined|not a constructor/));
  }
  for (const call of ["Array.from([1])", "Number.isFinite(1)", "Math.trunc(1.5)", "Object.freeze({})", "[1].at(0)", "[[1]].flat()", "' a'.trimStart()"]) {
    it(`${call}_throws`, () => assert.match(errorOf(b, call), /not a function/));
  }
  it("indexOf_reports_the_false_match_of_2v29", () => {
    assert.equal(b.call("'abc'.indexOf('cd')"), 2);
    assert.equal(b.call("'abc'.includes('cd')"), true);
    assert.equal(b.call("'hello'.replace('lox', 'Q')"), "helQ");
    assert.equal(b.call("'abcdef'.indexOf('cd')"), 2, "a true match is unchanged");
    assert.equal(b.call("'abc'.indexOf('xy')"), -1);
  });
});

describe("sim: device APIs keep their quirks", () => {
  it("timer_ids_are_numbers_and_clear_with_undefined_throws", () => {
    const b = boardWith("global.id = setInterval(function () {}, 1000);");
    assert.equal(typeof b.call("id"), "number");
    assert.match(errorOf(b, "clearInterval(undefined)"), /invalid timeout id/);
    assert.equal(b.timerCount(), 1);
    b.repl("clearInterval()");
    assert.equal(b.timerCount(), 0, "no argument clears every interval, as on Espruino");
  });

  it("setwatch_debounce_reports_only_stable_levels", () => {
    const b = boardWith("global.seen = []; pinMode(D5, 'input_pullup'); setWatch(function (e) { seen.push(e.state); }, D5, {edge: 'both', repeat: true, debounce: 50});");
    b.drive("D5", 0);
    b.advance(20);
    b.drive("D5", null);
    b.advance(100);
    assert.equal(b.call("JSON.stringify(seen)"), "[]", "a 20 ms glitch is not reported");
    b.drive("D5", 0);
    b.advance(49);
    assert.equal(b.call("JSON.stringify(seen)"), "[]");
    b.advance(1);
    assert.equal(b.call("JSON.stringify(seen)"), "[false]");
    assert.match(errorOf(b, "clearWatch(undefined)"), /invalid watch id/);
  });

  it("an_uncaught_error_in_a_callback_is_printed_and_the_board_goes_on", () => {
    const b = boardWith("setTimeout(function () { null.x; }, 10); global.n = 0; setInterval(function () { n++; }, 100);");
    b.advance(1000);
    assert.equal(b.uncaught.length, 1);
    assert.equal(b.call("n"), 10);
  });

  it("an_advert_over_31_bytes_is_refused", () => {
    const b = boardWith("");
    const out = b.repl("NRF.setAdvertising({}, {manufacturer: 0x02E1, manufacturerData: new Uint8Array(24), showName: false})");
    assert.doesNotMatch(out, /Uncaught/);
    assert.equal(b.radio.adverts.at(-1)?.bytes.length, 31);
    assert.match(errorOf(b, "NRF.setAdvertising({}, {manufacturer: 0x02E1, manufacturerData: new Uint8Array(25), showName: false})"), /INVALID_LENGTH/);
  });

  it("aes_ecb_matches_fips197_and_ctr_is_refused", () => {
    const b = boardWith("");
    // FIPS-197 appendix C.1: AES-128
    const hex = b.call<string>(`(function () {
      var k = [], p = [];
      for (var i = 0; i < 16; i++) { k.push(i); p.push(i * 0x11); }
      var c = new Uint8Array(require("crypto").AES.encrypt(p, k, {mode: "ECB"}));
      var s = ""; for (var j = 0; j < 16; j++) s += (c[j] < 16 ? "0" : "") + c[j].toString(16);
      return s; })()`);
    assert.equal(hex, "69c4e0d86a7b0430d8cdb78070b4c55a");
    assert.match(errorOf(b, "require('crypto').AES.encrypt(new Uint8Array(16), new Uint8Array(16), {mode: 'CTR'})"), /only AES mode ECB/);
  });

  it("storage_survives_a_reset_and_a_torn_write_keeps_only_what_was_written", () => {
    const storage = new SimStorage();
    const b = new SimBoard({ code: "", storage });
    b.repl("require('Storage').write('a', 'hello')");
    b.reset();
    assert.equal(b.call("require('Storage').read('a')"), "hello");
    storage.fault = { tearAfterBytes: 3 };
    assert.equal(b.call("require('Storage').write('b', 'abcdef')"), true);
    assert.equal(b.call("require('Storage').read('b')"), "abc\xff\xff\xff", "the rest of the file stays erased flash");
    assert.equal(b.call("require('Storage').write('c', 'x')"), false, "after the cut nothing more is written");
    assert.match(errorOf(b, "require('Nope')"), /Module Nope not found/);
  });

  it("resetreas_collects_watchdog_and_pin_resets_until_a_power_cut_and_cannot_be_written", () => {
    const b = new SimBoard({ code: "E.enableWatchdog(1, false);" });
    const reas = () => b.call<number>("peek32(0x40000400)");
    assert.equal(reas(), 0, "power-on: no reset reason");
    b.advance(1500);
    assert.equal(b.resets.at(-1)!.why, "watchdog");
    assert.equal(reas(), 2, "DOG");
    b.reset();
    assert.equal(reas(), 3, "cumulative: DOG and RESETPIN");
    b.powerCycle();
    assert.equal(reas(), 0, "a power cut clears it");
    assert.match(errorOf(b, "poke32(0x40000400, 0xffffffff)"), /SoftDevice protects/);
    assert.match(errorOf(b, "peek32(0x20000000)"), /not modelled/);
  });

  it("process_memory_gives_only_the_free_variables_a_test_sets", () => {
    const b = boardWith("");
    assert.deepEqual(b.call("process.memory(false)"), { free: SIM_FREE_VARS });
    b.freeVars = 120;
    assert.equal(b.call("process.memory().free"), 120);
    assert.equal(b.call("process.memory().usage"), undefined, "usage is not faked: the real interpreter measures it");
    assert.equal(b.call("process.env.BOARD"), "PUCKJS");
  });
});
