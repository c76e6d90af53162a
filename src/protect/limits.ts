// Generic limit evaluation (STYLE §5): one routine applies a threshold with its set/clear
// hysteresis and its set delay; the rows of data in rules.ts say which quantity, which way and
// which numbers. No if-ladder per quantity.
//
//   CLEAR --value past `set` for `delay`--> SET --value back past `clear`--> CLEAR
//
// Thresholds are integers in the quantity's unit and inclusive: "set when value <= set" for a
// low limit, "value >= set" for a high one (a strict "<" is written as set - 1), and "clear when
// value >= clear" (low) or "value <= clear" (high).

const P12200 = typeof __PROFILE__ !== "undefined" && __PROFILE__ === "12-200"; // src/profile.ts
/** the rows (rules.ts lays out this many) */
export const ROWS_MAX = 9;
/** the rows evaluated: the Smart BMS 12-200 has no battery monitor, so not the last three (the
 * low-SoC rows, rules.ts) */
export const ROWS_USED = P12200 ? 6 : ROWS_MAX;

export class Limits {
  readonly code = new Uint8Array(ROWS_MAX);
  /** index into the quantity array */
  readonly q = new Uint8Array(ROWS_MAX);
  /** 1 = a low limit (value falling), 0 = a high limit */
  readonly low = new Uint8Array(ROWS_MAX);
  readonly set = new Int32Array(ROWS_MAX);
  readonly clear = new Int32Array(ROWS_MAX);
  readonly delay_ds = new Uint32Array(ROWS_MAX);
  /** when the set condition began to hold (0 = it does not) */
  readonly since_ds = new Uint32Array(ROWS_MAX);
  /** rows set now, as code bits */
  bits = 0;
  /** a row is waiting out its set delay: the next evaluation depends on the time, not only on the
   * values (1; a number: one variable, a boolean takes two) */
  timing = 0;

  /** The rows (`code`, `q`, `low`) are laid out by their owner at start-up; their numbers
   * are (re)written by `tune` as settings change. */
  /** A row switched off (`on` false, e.g. discharge floor 0) gets numbers no value reaches: it
   * never sets, and clears at its next evaluation. */
  tune(r: number, set: number, clear: number, delay_ds: number, on: boolean): void {
    const off = this.low[r] ? -1e9 : 1e9;
    this.set[r] = on ? set : off;
    this.clear[r] = on ? clear : off;
    this.delay_ds[r] = delay_ds;
  }

  /** Evaluate every row against the quantities; returns the code bits set. */
  evaluate(values: Int32Array, now_ds: number): number {
    this.timing = 0;
    for (let r = 0; r < ROWS_USED; r++) {
      const bit = 1 << this.code[r];
      const v = values[this.q[r]];
      const low = this.low[r];
      if (this.bits & bit) {
        if (low ? v >= this.clear[r] : v <= this.clear[r]) this.bits &= ~bit;
        continue;
      }
      if (!(low ? v <= this.set[r] : v >= this.set[r])) {
        this.since_ds[r] = 0;
        continue;
      }
      if (!this.since_ds[r]) this.since_ds[r] = now_ds;
      if (now_ds - this.since_ds[r] >= this.delay_ds[r]) {
        this.bits |= bit;
        this.since_ds[r] = 0;
      } else this.timing = 1;
    }
    return this.bits;
  }
}
