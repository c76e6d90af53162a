// The one rule both budget test files assert by (budgets.test.ts, budgets-12200.test.ts): a budget
// the firmware meets is asserted as the budget; one not met yet as a ceiling at today's figure.
import assert from "node:assert/strict";

/** Assert `figure` against the budget when it is met, else against today's ceiling; print it. */
export function withinBudget(what: string, figure: number, budget: number, ceiling: number): void {
  if (figure <= budget) {
    console.log(`      ${what}: ${figure} (budget ${budget}: met)`);
    return;
  }
  console.log(`      ${what}: ${figure} (budget ${budget}: NOT MET; ceiling ${ceiling})`);
  assert.ok(figure <= ceiling, `${what} ${figure} is above today's ceiling ${ceiling} (budget ${budget})`);
}

/** a CPU figure to two decimals, as printed */
export const round = (x: number): number => Math.round(x * 100) / 100;
