// Issue 15: the Smart BMS 12-200 profile must meet the same device budgets on its own. Its bank
// is 12.8 V batteries only, at most 5 in parallel, so its largest bank is 1s5p: that bank stands
// for "the largest bank" of the smallBMS NG's 50. Measured like test/engine/budgets.test.ts, on
// the profile's own bundle (dist/12-200/), each against the budget itself.
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
/* Every budget is met since the fourteenth session, and asserted as the budget. The way there
 * (docs/device-budget.md): CPU with 1 battery 0.356 (seventh session) -> 0.276 decided on change
 * (eleventh) -> 0.2471 with the stand-in's six-pin read no longer counted as the firmware's ->
 * 0.2183 with its rules worked out only when a reading leaves its band or a timer is due
 * (thirteenth) -> 0.1987 with no battery monitor, as the product (fourteenth); flash 24,124 B
 * (tenth) -> 22,913 B (thirteenth) -> 18,968 B without the monitor; variables 1,199 -> 1,038. */

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

    it(`bytes_that_reach_flash_budget_${BUDGET.flash_B}`, () => {
      const f = files();
      withinBudget("12-200 firmware as stored, both files (B)", storedBytes(f.firmware) + storedBytes(f.api), BUDGET.flash_B, BUDGET.flash_B);
    });

    if (!which("valgrind")) console.log("12-200 CPU budgets not measured: valgrind is missing");
    else {
      it(`cpu_one_battery_budget_${BUDGET.cpu1}_and_five_batteries_budget_${BUDGET.cpu5}`, async () => {
        const one = await measureCpu(interpreters.counter64!, { ...files(), feed: bankFeed(bench12200Bank(1)) });
        assert.deepEqual(one.errors, []);
        withinBudget("12-200 CPU, 1s1p with the link (reference loops/s)", round(one.link), BUDGET.cpu1, BUDGET.cpu1);
        const five = await measureCpu(interpreters.counter64!, { ...files(), feed: bankFeed(bench12200Bank(5)) });
        assert.deepEqual(five.errors, []);
        withinBudget("12-200 CPU, 1s5p with the link (reference loops/s)", round(five.link), BUDGET.cpu5, BUDGET.cpu5);
      });
    }
  });
}
