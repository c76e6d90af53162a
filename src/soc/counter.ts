// Coulomb counter (SPEC §6), the BMV-712 way: the bank current integrated over time, charge
// counted at 99 % efficiency, discharge corrected by Peukert (1.05, at the 20-hour rate), with
// currents under 0.1 A counted as zero. SoC is unknown until the first sync or manual set.
//
//   UNKNOWN --sync / set--> KNOWN  (a restart keeps KNOWN through the persisted record)
//
// Sync to 100 %: bank voltage >= charged voltage AND current <= tail current, both held for the
// charged detection time. Nothing here allocates.
import type { BankSummary } from "../link/summary";
export const CHARGE_EFFICIENCY = 0.99;
export const PEUKERT = 1.05;
/** PEUKERT - 1, the exponent of the correction, written out: 1.05 - 1 is not 0.05 in binary, so
 * the build would leave the subtraction for the device to do every second */
const PEUKERT_EXP = 0.05;
export const ZERO_BAND_dA = 1; // |I| < 0.1 A counts as zero
/**
 * SoC is counted in blocks of this many seconds: the tick only sums the bank current over time,
 * the step (this counter, the history, the records) runs once a block on the block's average
 * current. Our choice, for the device's CPU budget (docs/device-budget.md): the step is most of a
 * 1-battery second's work, and SoC moves at most 0.3 % in 10 s (200 A on 200 Ah), under the
 * 1 % the low-SoC codes are set in and far under their delay (lowSocDelay, 300 s by default).
 */
export const SOC_BLOCK_S = 10;
export const AVG_WINDOW_S = 180; // time to go uses the current averaged over 3 min ...
/** ... kept as the average current of each step's block (the last 18 blocks) */
const AVG_SLOTS = AVG_WINDOW_S / SOC_BLOCK_S;
/** Learning the current sensor's offset from one full charge to the next (our addition, below) */
export const DRIFT_MIN_S = 12 * 3600;
/** under the zero band, so a corrected reading of 0.0 A is still zero: an idle bank never moves */
export const OFFSET_MAX_A = 0.09;

/** The learned offset within +/-OFFSET_MAX_A (also one read from a record: a hand-made one may be anything). */
export function boundOffset(o: number): number {
  return Math.max(-OFFSET_MAX_A, Math.min(OFFSET_MAX_A, o));
}

/** The settings the counter reads (settings.ts has their units and ranges). */
export interface SocSettings {
  /** charged voltage per cell, V (x cells in series = the bank's charged voltage) */
  chargedCellVoltage: number;
  /** tail current, % of capacity */
  tailCurrent: number;
  /** charged detection time, min */
  chargedTime: number;
}

export class SocCounter {
  known = false;
  /** state of charge 0..1, Peukert- and efficiency-corrected */
  soc = 0;
  /** Ah since the last full charge, <= 0: what a person would read off a meter */
  consumed_Ah = 0;
  /** how long the sync conditions have held, s; -1 = they do not hold; -2 = synced, and they
   * must break before the next sync (else a charger holding them would sync every 3 min) */
  chargedFor_s = -1;
  /** a sync happened at the last update (for history and persistence) (1; a number, not a boolean:
   * one variable instead of two) */
  synced = 0;
  /**
   * The batteries' current sensors may be off by a few tens of mA; over a week that is several
   * percent of SoC. Between two automatic syncs the bank went from full to full, so the SoC the
   * counter added up over that time (with efficiency and Peukert, before the clamp at 100 %) is
   * the sensors' error: divided by the time it is their offset, which is then subtracted from
   * every reading. Bounded to +/-0.09 A. A manual set or sync starts the measurement over.
   */
  offset_A = 0;
  drift_Ah = 0;
  /** -1: no drift measured (after a manual set or sync, until the next automatic full charge) */
  driftFor_s = -1;
  /** the average current of each of the last AVG_SLOTS steps (dA), `avgAt` the next one written */
  readonly avg = new Float32Array(AVG_SLOTS);
  avgAt = 0;
  /** steps counted since start */
  avgN = 0;

  /**
   * One step of dt_s seconds at the average current `current_dA` over them (+ = charging) and the
   * bank's voltage now. The supervisor's tick runs it once a block of SOC_BLOCK_S (through
   * SocMonitor.update): the zero band, Peukert and the sync conditions judge the block's average
   * current.
   */
  update(current_dA: number, s: BankSummary, st: SocSettings, dt_s: number): void {
    const capacity_Ah = s.capacity_Ah;
    this.synced = 0;
    // the blocks of the last AVG_WINDOW_S, for the time to go
    this.avg[this.avgAt] = current_dA;
    this.avgAt = (this.avgAt + 1) % AVG_SLOTS;
    this.avgN++;
    if (capacity_Ah <= 0) return;
    let i_A = current_dA / 10 - this.offset_A;
    if (i_A * 10 > -ZERO_BAND_dA && i_A * 10 < ZERO_BAND_dA) i_A = 0; // the zero band after the correction
    if (i_A !== 0) {
      const ah = (i_A * dt_s) / 3600;
      this.consumed_Ah = Math.min(0, this.consumed_Ah + ah);
      const counted = i_A > 0 ? ah * CHARGE_EFFICIENCY : ah * Math.pow(-i_A / (capacity_Ah / 20), PEUKERT_EXP);
      this.soc = Math.max(0, Math.min(1, this.soc + counted / capacity_Ah));
      this.drift_Ah += counted; // read only while driftFor_s >= 0, set to 0 when that starts
    }
    if (this.driftFor_s >= 0) this.driftFor_s += dt_s;
    const charged = s.voltage_cV * 10 >= Math.round(st.chargedCellVoltage * 1000) * s.cellsSeries && i_A * 100 <= st.tailCurrent * capacity_Ah;
    // the first step that sees the conditions starts the clock at 0; -2 (synced) stays
    if (!charged) this.chargedFor_s = -1;
    else if (this.chargedFor_s !== -2 && (this.chargedFor_s = this.chargedFor_s < 0 ? 0 : this.chargedFor_s + dt_s) >= st.chargedTime * 60) {
      this.sync(true);
    }
  }

  /**
   * To 100 %: `auto` at the end of a charge (the drift since the last one is learned, and
   * measured again until the next), or `bms.sync()` (a person's word: no drift is learned
   * until the next automatic full charge).
   */
  sync(auto: boolean): void {
    if (auto && this.driftFor_s >= DRIFT_MIN_S) {
      // (a name as the argument: the build puts the bound in place of the call, no function kept resident)
      const learned_A = this.offset_A + this.drift_Ah / (this.driftFor_s / 3600);
      this.offset_A = boundOffset(learned_A);
    }
    this.driftFor_s = auto ? 0 : -1;
    this.drift_Ah = 0;
    this.known = true;
    this.soc = 1;
    this.consumed_Ah = 0;
    this.chargedFor_s = -2;
    this.synced = 1;
  }

  /** Minutes until the discharge floor at the 3-min average current; -1 while charging, idle or unknown. */
  timeToGo_min(capacity_Ah: number, floor_pct: number): number {
    const n = this.avgN < AVG_SLOTS ? this.avgN : AVG_SLOTS;
    const i_A = (n ? E.sum(this.avg) / n : 0) / 10;
    if (!this.known || capacity_Ah <= 0 || i_A > -ZERO_BAND_dA / 10) return -1;
    const left = this.soc - floor_pct / 100;
    if (left <= 0) return 0;
    const drain_A = -i_A * Math.pow(-i_A / (capacity_Ah / 20), PEUKERT_EXP);
    return Math.round((left * capacity_Ah * 60) / drain_A);
  }
}
