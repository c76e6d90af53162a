// The Puck.js stand-in's own rules, on the real interpreter: its virtual clock must fire timers as
// Espruino does, or every figure and test of the real-engine tier is wrong.
import assert from "node:assert/strict";
import { Engine, findInterpreters, which } from "../../tools/espruino/engine.ts";
import { packFeed } from "../../tools/espruino/feed.ts";
import { calibrateStandIn, storageFiles, windowCost } from "../../tools/espruino/measure.ts";

const counter64 = findInterpreters().counter64;

const PROBE = `
var log = [];
setTimeout(function () { log.push("once@" + getTime()); }, 1500);
var iv = setInterval(function () { log.push("every@" + getTime()); }, 1000);
setTimeout(function () { clearInterval(iv); }, 3500);
var w = setWatch(function () {}, D0, { repeat: true });
setTimeout(function () { clearWatch(w); log.push("unwatched"); }, 2000);
`;

if (counter64) {
  describe("real engine: the Puck.js stand-in's virtual clock", function () {
    this.timeout(120_000);
    it("fires_a_timeout_once_an_interval_each_period_and_stops_it_when_cleared", async () => {
      const e = await Engine.boot({ binary: counter64, files: { ...storageFiles({}), ".bootcde": PROBE }, timeout_ms: 30_000 });
      try {
        await e.run("VC.run(10)");
        assert.deepEqual(await e.eval("log"), ["every@1", "once@1.5", "every@2", "unwatched", "every@3"]);
        assert.equal(await e.eval("VC.tm.length"), 0);
        assert.deepEqual(e.errors, []);
      } finally {
        await e.close();
      }
    });

    // the link's chunks go to the handler directly, as a Puck.js dispatches them natively (no JS
    // wrapper per event, whose cost the device does not have: docs/device-budget.md); an exception
    // is still counted and reported, and ends that second's burst
    it("delivers_each_second_of_the_link_in_32_byte_chunks_and_reports_an_exception_in_the_handler", async () => {
      const feed = packFeed([new Uint8Array(100).fill(0x41)]);
      const probe = "var got = [], bad = 0; Serial1.on('data', function (d) { got.push(d.length); if (bad && got.length === 2) throw new Error('bad chunk'); });";
      const e = await Engine.boot({ binary: counter64, files: { ...storageFiles({ feed }), ".bootcde": probe }, timeout_ms: 30_000 });
      try {
        await e.run('VC.link("feed")');
        await e.run("VC.run(1)");
        assert.deepEqual(await e.eval("got"), [32, 32, 32, 4]);
        assert.deepEqual(e.errors, []);
        await e.run("got = []; bad = 1; VC.run(1)");
        assert.deepEqual(await e.eval("got"), [32, 32], "the burst ends at the exception");
        assert.equal(await e.eval("VC.err"), 1);
        assert.equal(e.errors.length, 1);
        assert.match(e.errors[0], /bad chunk/);
      } finally {
        await e.close();
      }
    });
  });
}

// The stand-in runs in JavaScript what a Puck.js runs natively (pins, the clock, the watchdog,
// timer dispatch); tools/espruino/measure.ts takes that cost out of the firmware's figures by
// counting the calls and calibrating each one against a native function given the same
// arguments. Checked here on two small firmwares that make the same calls each second, one to
// the stand-in's functions and one to native twins: after the correction they must cost the same.
const EMULATED_CALLS = "digitalRead(28);digitalRead(28);digitalRead(P);digitalRead(Q);digitalRead(R);getTime();E.kickWatchdog();digitalPulse(40,1,20);digitalWrite(40,0);pinMode(1,'input')";
const NATIVE_TWINS = "Math.abs(28);Math.abs(28);E.sum(P);E.sum(Q);E.sum(R);Math.random();Math.random();Math.min(40,1,20);Math.min(40,0);Math.min(1,'input')";

if (counter64 && which("valgrind")) {
  describe("real engine: the stand-in's JavaScript is taken out of the CPU figures", function () {
    this.timeout(600_000);
    it("a_second_of_calls_to_the_stand_ins_pins_clock_and_watchdog_costs_what_the_same_native_calls_cost", async () => {
      const base = await Engine.boot({ binary: counter64, files: storageFiles({}), callgrind: true, timeout_ms: 300_000 });
      let cal;
      try {
        cal = await calibrateStandIn(base);
      } finally {
        await base.close();
      }
      const second = async (body: string) => {
        const fw = `var P=[1,2,31],Q=[14,15,16,25,26,27],R=[29,28];setInterval(function(){${body}},1000);`;
        const e = await Engine.boot({ binary: counter64, files: { ...storageFiles({}), ".bootcde": fw }, callgrind: true, timeout_ms: 300_000 });
        try {
          const w = await windowCost(e, 2, 20, cal);
          assert.deepEqual(e.errors, []);
          return w;
        } finally {
          await e.close();
        }
      };
      const emulated = await second(EMULATED_CALLS);
      const twins = await second(NATIVE_TWINS);
      const uncorrected = emulated.raw - twins.raw;
      const corrected = emulated.raw - emulated.standIn - (twins.raw - twins.standIn);
      console.log(`      20 s: the stand-in's calls cost ${uncorrected} instructions more than native ones; after the correction ${corrected}`);
      // the stand-in's JavaScript is a real cost in the raw figures, and the correction takes it
      // out: what is left is under a tenth of it, either way
      assert.ok(uncorrected > 0);
      assert.ok(Math.abs(corrected) < uncorrected / 10, `left after the correction: ${corrected} of ${uncorrected}`);
    });
  });
}
