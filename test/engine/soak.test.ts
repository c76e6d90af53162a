// Issue 13's budget row "the same after 24 h of virtual time: no growth": the built firmware on
// Espruino's own interpreter (64-bit build, fast enough for a virtual day), from Storage, with one
// battery (ENGINE_SOAK_BANK=1: 50 batteries, 2s25p) on the link as fed on a bank, for 24 virtual
// hours; and the Smart BMS 12-200's bundle (issue 15: each profile meets the budgets on its own)
// with its largest bank, 5 in parallel (ENGINE_SOAK_PROFILE=ng or 12-200: one of the two). Variables are sampled every hour
// and may never rise above what they were after the first hour (the first SoC and history
// records are written in it); no error, no missed watchdog kick, and the outputs stay allowed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_PATH, BUNDLE_PATH } from "../../tools/build.ts";
import { Engine, findInterpreters, HOW_TO_GET } from "../../tools/espruino/engine.ts";
import { BENCH_BANKS, bankFeed } from "../../tools/espruino/feed.ts";
import { storageFiles } from "../../tools/espruino/measure.ts";
import { profileBundle } from "../helpers.ts";

const counter64 = findInterpreters().counter64;
const HOURS = Number(process.env.ENGINE_SOAK_H ?? 24);
/** BENCH_BANKS index: 0 = 1s1p (npm test), 1 = 2s25p (by hand: ~50 min of host time) */
const BANK = BENCH_BANKS[Number(process.env.ENGINE_SOAK_BANK ?? 0)];
const ONLY = process.env.ENGINE_SOAK_PROFILE;

const RUNS = [
  { name: BANK.name, load: () => ({ firmware: readFileSync(BUNDLE_PATH, "latin1"), api: readFileSync(API_PATH, "latin1"), feed: bankFeed(BANK.cfg) }), profile: "ng", atd: 1, atc: 2 },
  {
    name: "the Smart BMS 12-200, 1s5p 12.8 V",
    load: () => {
      const b = profileBundle("12-200");
      return { firmware: b.code, api: b.api, feed: bankFeed({ series: 1, parallel: 5, nominal_dV: 128, capacity_Ah: 200, soc: 0.8, load_A: 20 }) };
    },
    profile: "12-200",
    // an MDBT42Q's pins (src/hal/board.ts)
    atd: 14,
    atc: 15,
  },
].filter((r) => !ONLY || r.profile === ONLY);

interface State { err: number; wdMiss: number }

if (!counter64) {
  console.log(`24-hour soak not run: ${HOW_TO_GET}`);
} else {
  for (const run of RUNS) {
    describe(`real engine: ${HOURS} virtual hours, ${run.name}`, function () {
      this.timeout(4 * 3_600_000);

      it(`runs_${HOURS}_virtual_hours_with_no_growth_in_variables_no_error_and_no_missed_watchdog`, async () => {
        const e = await Engine.boot({ binary: counter64, files: storageFiles(run.load()), timeout_ms: 4 * 3_600_000 });
        try {
          await e.run('VC.link("feed")');
          const usage: number[] = [];
          for (let h = 1; h <= HOURS; h++) {
            await e.run("VC.run(3600)");
            usage.push((await e.eval<{ usage: number }>("process.memory()")).usage);
          }
          const st = await e.eval<State>("VC.state()");
          const allowed = await e.eval<number>(`VC.po[${run.atd}]&VC.pv[${run.atd}]&VC.po[${run.atc}]&VC.pv[${run.atc}]`);
          console.log(`      variables (64-bit build) at each hour: ${usage.join(" ")}`);
          assert.deepEqual(e.errors, []);
          assert.equal(st.err, 0, "no exception in a timer or handler");
          assert.ok(st.wdMiss <= 1000, `the watchdog was last kicked ${st.wdMiss} ms apart`);
          assert.equal(allowed, 1, "a sound bank keeps both outputs allowed");
          const grown = usage.filter((u) => u > usage[0]);
          assert.deepEqual(grown, [], `variables rose above the first hour's ${usage[0]}: ${usage.join(", ")}`);
        } finally {
          await e.close();
        }
      });
    });
  }
}
