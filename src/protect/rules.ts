// The protection rules of SPEC §4 as rows for the generic limit evaluator, plus the two rules
// that couple to time or current: the pre-alarm lead before A-B01 and the low-SoC delay after A-B07.
// Every number here is SPEC's (or marked "our choice" there and in docs/protection.md).
import { A_B01, A_B07, A_B08, A_B09, R_CELL_HIGH, R_COLD, R_SOC_LOW, W_B01, W_B07 } from "../codes";
import type { BankSummary } from "../link/summary";
import type { Settings } from "../settings";
import { Limits } from "./limits";
import {
  Q_CELL_MIN_mV, Q_CELL_MAX_mV, Q_TEMP_MIN_dC, Q_TEMP_MAX_dC, Q_BANK_cV, Q_SOC_pm, PREALARM_HYST_mV, CELL_UV_mV, CELL_UV_CLEAR_mV, PRE_LEAD_ms, CELL_HIGH_mV, CELL_HIGH_CLEAR_mV, COLD_BELOW_dC, COLD_CLEAR_dC, HOT_ABOVE_dC, HOT_CLEAR_dC, BANK_LOW_cV, BANK_LOW_CLEAR_cV, BANK_LOW_DELAY_ds, SOC_WARN_HYST_pm, SOC_FLOOR_HYST_pm, CHARGING_dA,
} from "./thresholds";

// the rows, numbered as the constructor lays them out (numbers the build puts in place): rW01 0,
// rUV 1, rHigh 2, rCold 3, rHot 4, ...
const rW01 = 0;
const rBank = 5;
const rW07 = 6;
const rB07 = 7;
const rSocLow = 8;

export class Protection {
  readonly limits = new Limits();
  readonly q = new Int32Array(6);
  // (the flags here are 0/1 numbers: a property holding a number takes one variable, a boolean two)
  /** A-B01 is raised (ATD open) and stays until every cell >= 3.20 V (1) */
  private uvAlarm = 0;
  /** the rows' numbers no longer match the settings (1, set by every settings change) ... */
  stale = 1;
  /** ... or the layout and whether SoC was known (1) when they were worked out */
  private tunedSeries = -1;
  private tunedKnown = 0;

  constructor() {
    // the rows: the code each sets, the quantity it reads, 1 for a low limit (value falling)
    const l = this.limits;
    l.code.set([W_B01, A_B01, R_CELL_HIGH, R_COLD, A_B09, A_B08, W_B07, A_B07, R_SOC_LOW]);
    l.q.set([Q_CELL_MIN_mV, Q_CELL_MIN_mV, Q_CELL_MAX_mV, Q_TEMP_MIN_dC, Q_TEMP_MAX_dC, Q_BANK_cV, Q_SOC_pm, Q_SOC_pm, Q_SOC_pm]);
    l.low.set([1, 1, 0, 1, 0, 1, 1, 1, 1]);
    // the numbers of the rows no setting moves (rUV, rHigh, rCold, rHot); `tune` writes the others
    l.set.set([0, CELL_UV_mV, CELL_HIGH_mV, COLD_BELOW_dC - 1, HOT_ABOVE_dC + 1]);
    l.clear.set([0, CELL_UV_CLEAR_mV, CELL_HIGH_CLEAR_mV, COLD_CLEAR_dC, HOT_CLEAR_dC]);
  }

  /** Rewrite the rows' numbers from the settings and the bank layout. */
  private tune(st: Settings, cellsSeries: number, socKnown: boolean): void {
    const l = this.limits;
    const pre_mV = Math.round(st.preAlarmCellVoltage * 1000);
    l.tune(rW01, pre_mV, pre_mV + (PREALARM_HYST_mV + 1), 0, true);
    l.tune(rBank, BANK_LOW_cV * cellsSeries - 1, BANK_LOW_CLEAR_cV * cellsSeries, BANK_LOW_DELAY_ds, cellsSeries > 0);
    // the battery monitor's rows: the smallBMS NG's only (limits.ts ROWS_USED)
    if (__PROFILE__ === "12-200") return;
    const warn = st.lowSocWarning * 10;
    const floor = st.dischargeFloor * 10;
    l.tune(rW07, warn, warn + (SOC_WARN_HYST_pm + 1), 0, socKnown);
    // A-B07 at once; its effect (R_SOC_LOW opens ATD) after the low-SoC delay (datasheet)
    l.tune(rB07, floor, floor + SOC_FLOOR_HYST_pm, 0, socKnown && floor > 0);
    l.tune(rSocLow, floor, floor + SOC_FLOOR_HYST_pm, st.lowSocDelay * 10, socKnown && floor > 0);
  }

  /**
   * The code bits of the measured limits. `soc_pm` is SoC in per mille, or -1 when unknown;
   * `preOn_ms` is how long the pre-alarm output has been on (0 = off), in ms: the
   * lead is a promise to the user and must not be shortened by rounding.
   */
  evaluate(s: BankSummary, st: Settings, soc_pm: number, preOn_ms: number, now_ds: number): number {
    const known = soc_pm >= 0;
    // the rows give the same answer for the same values unless one is waiting out a delay: they
    // are evaluated again only when a value, a setting or the time can change it
    let again = this.limits.timing === 1;
    if (this.stale || s.cellsSeries !== this.tunedSeries || +known !== this.tunedKnown) {
      this.stale = 0;
      this.tunedSeries = s.cellsSeries;
      this.tunedKnown = +known;
      this.tune(st, s.cellsSeries, known);
      again = true;
    }
    const q = this.q;
    if (q[Q_CELL_MIN_mV] !== s.cellMin_mV || q[Q_CELL_MAX_mV] !== s.cellMax_mV || q[Q_TEMP_MIN_dC] !== s.tempMin_dC ||
      q[Q_TEMP_MAX_dC] !== s.tempMax_dC || q[Q_BANK_cV] !== s.voltage_cV || q[Q_SOC_pm] !== soc_pm) {
      q[Q_CELL_MIN_mV] = s.cellMin_mV;
      q[Q_CELL_MAX_mV] = s.cellMax_mV;
      q[Q_TEMP_MIN_dC] = s.tempMin_dC;
      q[Q_TEMP_MAX_dC] = s.tempMax_dC;
      q[Q_BANK_cV] = s.voltage_cV;
      q[Q_SOC_pm] = soc_pm;
      again = true;
    }
    // the low-SoC delay starts again while charging is detected (datasheet)
    // (a row's set delay restarts: its start is moved to now, if it has begun)
    const since = this.limits.since_ds;
    if (__PROFILE__ !== "12-200" && s.current_dA >= CHARGING_dA && since[rSocLow]) since[rSocLow] = now_ds;
    const bits = again ? this.limits.evaluate(q, now_ds) : this.limits.bits;
    const uv = (bits & (1 << A_B01)) !== 0;
    // A-B01 (it opens ATD) is raised only once the pre-alarm has been on for 30 s (SPEC §2, §4),
    // however fast the cell fell through both levels; during the lead the user sees W-B01
    this.uvAlarm = uv && (this.uvAlarm || preOn_ms >= PRE_LEAD_ms) ? 1 : 0;
    return this.uvAlarm ? bits : bits & ~(1 << A_B01);
  }
}
