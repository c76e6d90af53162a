// Memory short on Espruino's own interpreter (docs/device-budget.md "A client's session"): the
// 32-bit build with the Puck.js's 13-byte variables and a pool of 4,000, so that a session fits
// once the memory is given back. With something else holding all but 200 free variables, a
// client's `bms.status()` gets a clear error instead of running the interpreter out of memory,
// the tick goes on and the outputs stay; once the memory is back the same call answers. And the
// settings calls' guard is enough: on each profile's largest bank, the module loaded and no more
// than its SETTING_NEED_VARS free (memory collected), a change, the schema, a factory reset and
// the settings' list complete.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_PATH, BUNDLE_PATH } from "../../tools/build.ts";
import { Engine, findInterpreters, HOW_TO_GET } from "../../tools/espruino/engine.ts";
import { BENCH_BANKS, bankFeed, bench12200Bank } from "../../tools/espruino/feed.ts";
import { storageFiles } from "../../tools/espruino/measure.ts";
import { SETTING_NEED_VARS_12200, SETTING_NEED_VARS_NG } from "../../src/settings.ts";
import { profileBundle } from "../helpers.ts";

const roomy32 = findInterpreters().roomy32;
/** free variables left to the firmware: fewer than any client session needs */
const LEFT_FREE = 200;
/** what a settings call takes before its guard looks (the call, its arguments, the bms getter's
 * keep timer): measured, 20 is too few */
const CALL_VARS = 40;

interface State { t: number; atd: number; atc: number; err: number }

if (!roomy32) {
  console.log(`memory-short engine test not run: ${HOW_TO_GET}`);
} else {
  describe("real engine, memory short: dist/bms.js on the 32-bit build, 1 battery", function () {
    this.timeout(900_000);
    let e: Engine;

    before(async () => {
      const files = storageFiles({ firmware: readFileSync(BUNDLE_PATH, "latin1"), api: readFileSync(API_PATH, "latin1"), feed: bankFeed(BENCH_BANKS[0].cfg) });
      e = await Engine.boot({ binary: roomy32, files, timeout_ms: 300_000 });
      await e.run('VC.link("feed")');
      await e.run("VC.run(5)");
    });
    after(async () => {
      await e?.close();
    });

    it("bms_refuses_with_a_clear_error_the_tick_goes_on_and_answers_once_memory_is_back", async () => {
      const before = await e.eval<State>("VC.state()");
      assert.equal(before.atd + before.atc, 2, "a sound bank: both outputs allowed");
      // something else (a user's script, say) takes all but LEFT_FREE variables, 50 at a time
      await e.run(`var hog=[];while(process.memory().free>${LEFT_FREE}+50)hog.push(new Uint8Array(650));`);
      await assert.rejects(e.eval("bms.status()"), /bms: low on memory, try again/);
      await e.run("VC.run(20)");
      const after = await e.eval<State>("VC.state()");
      assert.equal(after.t - before.t, 20_000, "the tick's clock went on");
      assert.equal(after.atd + after.atc, 2, "outputs stay");
      assert.equal(after.err, 0);
      assert.ok(!e.errors.some((l) => /out of memory/i.test(l)), e.errors.join("\n"));
      await e.run("hog=undefined;");
      const st = await e.eval<{ v: number }>("bms.status()");
      assert.equal(typeof st.v, "number", "with the memory back the same call answers");
    });
  });

  // each profile's own guard, on its largest bank: the smallBMS NG's 50 batteries, the Smart BMS
  // 12-200's 5 (whose schema has 12 rows: no battery monitor's; its guard 450, measured when it had
  // 18). Each changes and checks a setting of its own schema
  const guarded = [
    { profile: "ng", bank: BENCH_BANKS[1], need: SETTING_NEED_VARS_NG, rows: 15, key: "chargedCellVoltage", value: 3.55, byDefault: 3.5, files: () => ({ firmware: readFileSync(BUNDLE_PATH, "latin1"), api: readFileSync(API_PATH, "latin1") }) },
    { profile: "12-200", bank: { name: "1s5p 12.8 V", cfg: bench12200Bank(5) }, need: SETTING_NEED_VARS_12200, rows: 12, key: "chargeLimit", value: 14.5, byDefault: 14.2, files: () => { const b = profileBundle("12-200"); return { firmware: b.code, api: b.api }; } },
  ];
  for (const g of guarded) {
    describe(`real engine, the settings calls' guard: the ${g.profile} bundle on the 32-bit build, ${g.bank.name}`, function () {
      this.timeout(900_000);

      it(`with_only_${g.need}_variables_free_a_change_the_schema_a_factory_reset_and_the_settings_list_complete`, async () => {
        const files = storageFiles({ ...g.files(), feed: bankFeed(g.bank.cfg) });
        const e = await Engine.boot({ binary: roomy32, files, timeout_ms: 300_000 });
        try {
          await e.run('VC.link("feed")');
          await e.run("VC.run(3)");
          // the module held (kept), then all but the guard's count and the few the call takes on its
          // way to the guard's look taken, garbage collected: just what the guard lets through
          const left = g.need + CALL_VARS;
          await e.run(`var k=bms,hog;function LEAVE(){hog=[];while(process.memory().free>${left}+40)hog.push(new Uint8Array(130));while(process.memory().free>${left})hog.push(1);}`);
          const calls: [string, unknown][] = [[`bms.set("${g.key}",${g.value})`, g.value], ["bms.schema().length", g.rows], ["bms.factoryReset()", true], [`bms.settings().${g.key}`, g.byDefault]];
          for (const [call, want] of calls) {
            const r = await e.eval<{ r: unknown; before: number }>(`(function(){LEAVE();var f=process.memory().free;return {r:${call},before:f};})()`);
            assert.ok(r.before >= left && r.before <= left + 10, `${r.before} free: the guard's count and the call's way to it, no more`);
            assert.equal(r.r, want, call);
          }
          await e.run("hog=undefined;VC.run(5)");
          assert.equal(await e.eval(`bms.settings().${g.key}`), g.byDefault, "the factory reset's value");
          assert.deepEqual(e.errors, [], "no out-of-memory or uncaught error");
        } finally {
          await e.close();
        }
      });
    });
  }
}
