// Issue 15: the Smart BMS 12-200 profile must meet the same device budgets on its own. Its bank
// is 12.8 V batteries only, at most 5 in parallel, so its largest bank is 1s5p: that bank stands
// for "the largest bank" of the smallBMS NG's 50. Measured like test/engine/budgets.test.ts, on
// the profile's own bundle (dist/12-200/). A budget not met yet is held at a ceiling a little
// above today's figure, so it can only get better.
import assert from "node:assert/strict";
import { findInterpreters, HOW_TO_GET, which } from "../../tools/espruino/engine.ts";
import { bankFeed, bench12200Bank } from "../../tools/espruino/feed.ts";
import { measureCpu, measureMemory } from "../../tools/espruino/measure.ts";
import { profileBundle } from "../helpers.ts";
import { storedBytes } from "../../tools/pretokenise.ts";
import { round, withinBudget } from "./within-budget.ts";

const PUCK_VARIABLES = 2630;
/** issue 13's "must" column, which the profile inherits */
const BUDGET = { vars: 1300, cpu1: 0.2, cpu5: 2.0, flash_B: 20 * 1024 };
/** today's figures for the budgets not met yet (measured 2026-11-29, evening: CPU with 1 battery
 * in steady operation over a 60-s window, the stand-in's JavaScript for the board's native calls
 * taken out, with the current sensors' noise in the feed, 0.356; 0.355 and flash 24,026 B since
 * the settings are held under shortened keys, seventh session; 0.349 and 23,972 B since the
 * tick's remote reading and the outputs' pin-mode check that could never fail went, eighth
 * session; 23,961 B since `bms.resetHistory()` takes the extremes again at the next tick and the
 * sync's count lost a test that could never decide, ninth session; 24,124 B since SoC is counted
 * in 10-s blocks and the LEDs and the readout are decided with the outputs, tenth session: the
 * NG's 1-battery CPU budget is met by it; the 12-200 decides every tick and is at 0.347; 0.276
 * and 22,772 B since it is decided on change too (with its alternator output's readiness) and
 * the NG's flash cuts, eleventh session; 22,641 B with the NG's build passes and cuts of the
 * twelfth; thirteenth session: 0.2471 once the stand-in's six-pin read was no longer counted as
 * the firmware's, 0.2176 and 23,050 B since its rules are worked out only when a reading leaves
 * its band or a timer is due, the reference and board temperature read every tenth tick: 409 B
 * of flash for 0.03 a second; 22,909 B with the NG's cuts, 22,913 B with the band test a function of its own). The variables (1,199) and CPU with 5 batteries (0.330) meet their
 * budgets: asserted as the budgets */
const CEILING = { cpu1: 0.22, flash_B: 22920 };

const interpreters = findInterpreters();

if (!interpreters.puck32 || !interpreters.counter64) {
  console.log(`12-200 device budgets not measured: ${HOW_TO_GET}`);
} else {
  describe("device budgets of the Smart BMS 12-200 profile (dist/12-200/)", function () {
    this.timeout(3_600_000);
    const files = () => { const b = profileBundle("12-200"); return { firmware: b.code, api: b.api }; };

    it(`loads_and_runs_with_5_batteries_on_the_2630_variable_pool_within_the_variables_budget_${BUDGET.vars}`, async () => {
      const m = await measureMemory(interpreters.puck32!, { ...files(), feed: bankFeed(bench12200Bank(5)) }, 3, 300_000);
      assert.deepEqual(m.errors, [], "no out-of-memory or uncaught error while loading and running");
      assert.equal(m.total, PUCK_VARIABLES);
      console.log(`      ${m.free} variables free on a Puck.js's pool`);
      withinBudget("12-200 firmware variables (1s5p, 32-bit)", m.firmware, BUDGET.vars, BUDGET.vars);
    });

    it(`bytes_that_reach_flash_budget_${BUDGET.flash_B}_ceiling_${CEILING.flash_B}_until_met`, () => {
      const f = files();
      withinBudget("12-200 firmware as stored, both files (B)", storedBytes(f.firmware) + storedBytes(f.api), BUDGET.flash_B, CEILING.flash_B);
    });

    if (!which("valgrind")) console.log("12-200 CPU budgets not measured: valgrind is missing");
    else {
      it(`cpu_one_battery_budget_${BUDGET.cpu1}_ceiling_${CEILING.cpu1}_until_met_and_five_batteries_budget_${BUDGET.cpu5}`, async () => {
        const one = await measureCpu(interpreters.counter64!, { ...files(), feed: bankFeed(bench12200Bank(1)) });
        assert.deepEqual(one.errors, []);
        withinBudget("12-200 CPU, 1s1p with the link (reference loops/s)", round(one.link), BUDGET.cpu1, CEILING.cpu1);
        const five = await measureCpu(interpreters.counter64!, { ...files(), feed: bankFeed(bench12200Bank(5)) });
        assert.deepEqual(five.errors, []);
        withinBudget("12-200 CPU, 1s5p with the link (reference loops/s)", round(five.link), BUDGET.cpu5, BUDGET.cpu5);
      });
    }
  });
}
