// The battery monitor: the coulomb counter, the history and the balancer status, persisted as
// two checked records. The SoC record is written at most every 5 minutes (and at once on a sync,
// a set or a reset) and carries the history's fast counters; the history record goes with it
// when a field only it keeps has changed. docs/soc.md has the flash-wear arithmetic.
import type { BankSummary } from "../link/summary";
import type { Store } from "../ports";
import { loadRecord, saveRecord } from "../record";
import { type SocSettings, boundOffset, SocCounter } from "./counter";
import { resetHistory } from "./history";
import {
  CYCLE_HIGH, CYCLE_LOW, H_CELL_MAX_mV, H_CELL_MIN_mV, H_CHARGED_Wh, H_COUNT, H_CYCLE_ARMED, H_CYCLES, H_DEEPEST_Ah,
  H_DISCHARGED_Wh, H_DRAWN_Ah, H_FAST, H_SINCE_FULL_s, H_SYNC_ARMED, H_SYNCS, H_T_MAX_dC, H_T_MIN_dC, H_V_MAX_cV, H_V_MIN_cV, SYNC_COUNTS_BELOW,
} from "./history-fields";

export const SOC_SAVE_EVERY_S = 300;
export const HISTORY_SAVE_EVERY_S = 300;
/** an idle bank still saves once a day, so "time since last full charge" survives a power cut */
export const SAVE_AT_LEAST_EVERY_S = 24 * 3600;
/** a change smaller than this is not worth a flash write (our choice) */
export const SOC_SAVE_STEP = 0.001;
export const CONSUMED_SAVE_STEP_Ah = 0.1;
/** charged + discharged energy: what makes the record due while SoC is pinned at 100 % (float) */
export const ENERGY_SAVE_STEP_Wh = 50;
export const BALANCE_UNKNOWN_AFTER_S = 30 * 24 * 3600; // not fully charged for 30 days
export const IMBALANCE_mV = 50; // our choice: a battery's cell spread above 50 mV is "imbalanced"
export const JUST_ADDED_S = 24 * 3600; // our choice: a battery added in the last day: "unknown"

export const BAL_UNKNOWN = 0;
export const BAL_BALANCED = 1;
export const BAL_IMBALANCED = 2;
export const BAL_BALANCING = 3;

export class SocMonitor {
  readonly counter = new SocCounter();
  readonly hist = new Float64Array(H_COUNT);
  /** the block being summed by the tick: current x time (dA x ds) over its length (ds) */
  q_dAds = 0;
  block_ds = 0;
  /** seconds counted (the clock of the times below, advanced by update) */
  t_s = 0;
  /** when the SoC record and the history record were last written (or tried) */
  socSavedAt_s = 0;
  histSavedAt_s = 0;
  /** when save() looks again whether a record is due */
  checkAt_s = 0;
  /** a field that only the history record keeps (an extreme, a cycle, a flag) changed (1; a
   * number, not a boolean: one variable instead of two) */
  histDirty = 0;
  savedSoc = -1;
  savedConsumed_Ah = 0;
  savedEnergy_Wh = 0;
  /** when a battery last joined the bank (long ago at start) */
  addedAt_s = -JUST_ADDED_S;
  /** 0 when a write was refused (the supervisor raises E-B11) */
  storeOk = 1;

  /** the records are read at boot by the on-demand module (`restoreSoc`) */
  constructor(readonly io: Store) {
    resetHistory(this.hist);
  }

  /** The BMV's cycle and sync rules at SoC 0..1; 1 when a count or a flag changed. (Its body
   * here, not a function of history.ts the method calls: a resident function less) */
  cycle(soc: number): number {
    const h = this.hist;
    let n = 0;
    if (soc < SYNC_COUNTS_BELOW && !h[H_SYNC_ARMED]) { h[H_SYNC_ARMED] = 1; n = 1; }
    if (soc < CYCLE_LOW) {
      if (!h[H_CYCLE_ARMED]) { h[H_CYCLE_ARMED] = 1; n = 1; }
    } else if (soc > CYCLE_HIGH && h[H_CYCLE_ARMED]) {
      h[H_CYCLES]++;
      h[H_CYCLE_ARMED] = 0;
      n = 1;
    }
    return n;
  }

  /** A sync to 100 %, both records saved at once: counted when SoC was below 90 % since the
   * previous sync, or unknown (BMV rule). `before`: SoC 0..1 before it, -1 when unknown (so below
   * 90 % too). */
  synced(before: number): void {
    const h = this.hist;
    if (before < SYNC_COUNTS_BELOW || h[H_SYNC_ARMED]) h[H_SYNCS]++;
    h[H_SYNC_ARMED] = 0;
    h[H_SINCE_FULL_s] = 0;
    this.cycle(1);
    this.save(true);
  }

  /** Once a SoC block (SOC_BLOCK_S, summed by the supervisor's tick) with valid bank data: `i_dA`
   * the block's average current over its dt_s seconds; returns SoC in per mille, or -1 when
   * unknown. */
  update(s: BankSummary, st: SocSettings, i_dA: number, dt_s: number): number {
    const c = this.counter;
    const before = c.known ? c.soc : -1;
    c.update(i_dA, s, st, dt_s);
    const soc = c.known ? c.soc : -1;
    // the history (history.ts, BMV rules): energy, the deepest discharge, the time since full, the
    // cycle and sync flags (the extremes are taken by the tick, extremes())
    const h = this.hist;
    const i = i_dA;
    const v = s.voltage_cV;
    if (i < 0) {
      h[H_DRAWN_Ah] -= (i * dt_s) / 36000; // dA x s -> Ah
      h[H_DISCHARGED_Wh] -= (v * i * dt_s) / 3.6e6; // cV x dA x s -> Wh
    } else if (i > 0) h[H_CHARGED_Wh] += (v * i * dt_s) / 3.6e6;
    if (c.consumed_Ah < h[H_DEEPEST_Ah]) h[H_DEEPEST_Ah] = c.consumed_Ah;
    h[H_SINCE_FULL_s] += dt_s;
    if (soc >= 0 && this.cycle(soc)) this.histDirty = 1;
    // the records are looked at every SOC_SAVE_EVERY_S (save): a step with nothing due reads
    // one comparison
    this.t_s += dt_s;
    if (c.synced) this.synced(before);
    else if (this.t_s >= this.checkAt_s) this.save(false);
    return soc < 0 ? -1 : Math.round(soc * 1000);
  }

  /**
   * The history's extremes (NaN until a first value: a comparison with NaN is false). Only the
   * current changes between two summaries (Supervisor.evaluate works the rest out again when new
   * numbers come), so the tick calls this only with a fresh summary. In the step the six
   * comparisons cost 0.009 reference loops a second at 1s1p, and behind an `if` more (Espruino
   * reads the text it skips); called, 1s1p is 0.0083 lower, for 7 variables (measured).
   */
  extremes(s: BankSummary): void {
    const h = this.hist;
    const v = s.voltage_cV;
    if (!(h[H_V_MIN_cV] <= v)) { h[H_V_MIN_cV] = v; this.histDirty = 1; }
    if (!(h[H_V_MAX_cV] >= v)) { h[H_V_MAX_cV] = v; this.histDirty = 1; }
    if (!(h[H_CELL_MIN_mV] <= s.cellMin_mV)) { h[H_CELL_MIN_mV] = s.cellMin_mV; this.histDirty = 1; }
    if (!(h[H_CELL_MAX_mV] >= s.cellMax_mV)) { h[H_CELL_MAX_mV] = s.cellMax_mV; this.histDirty = 1; }
    if (!(h[H_T_MIN_dC] <= s.tempMin_dC)) { h[H_T_MIN_dC] = s.tempMin_dC; this.histDirty = 1; }
    if (!(h[H_T_MAX_dC] >= s.tempMax_dC)) { h[H_T_MAX_dC] = s.tempMax_dC; this.histDirty = 1; }
  }

  /**
   * Write what is due; `now` writes both records at once. Flash wears: the SoC record is due when a
   * change that matters has built up since it was written (docs/soc.md) or a day has passed, the
   * history record when a field only it keeps has changed; each at most every 5 minutes, looked
   * at again 5 minutes later. The history record is written only with a SoC record (first), so the
   * SoC record is never the older one. The writing is done by the on-demand module (`writeSoc`);
   * without it nothing is written, tried again 5 min later.
   */
  save(now: boolean): void {
    const t = this.t_s;
    const c = this.counter;
    this.checkAt_s = t + SOC_SAVE_EVERY_S;
    const hist = now || (this.histDirty === 1 && t - this.histSavedAt_s >= HISTORY_SAVE_EVERY_S);
    if (hist || (t - this.socSavedAt_s >= SOC_SAVE_EVERY_S && (Math.abs((c.known ? c.soc : -1) - this.savedSoc) >= SOC_SAVE_STEP ||
      Math.abs(c.consumed_Ah - this.savedConsumed_Ah) >= CONSUMED_SAVE_STEP_Ah || t - this.socSavedAt_s >= SAVE_AT_LEAST_EVERY_S ||
      Math.abs(this.hist[H_DISCHARGED_Wh] + this.hist[H_CHARGED_Wh] - this.savedEnergy_Wh) >= ENERGY_SAVE_STEP_Wh))) {
      const m = this.io.mod(false);
      if (m) m.saveSoc(this, hist);
      else this.socSavedAt_s = this.histSavedAt_s = t;
    }
  }
}

/** SoC in per mille, or -1 when unknown (feeds W-B07 and A-B07): the tick has it from update(). */
export function socPm(m: SocMonitor): number {
  return m.counter.known ? Math.round(m.counter.soc * 1000) : -1;
}

/** Balancer status (SPEC §6) from the bank's worst cell spread and balancing flags (on demand: `bms.status()`). */
export function balancer(m: SocMonitor, s: BankSummary): number {
  if (!m.counter.known || m.t_s - m.addedAt_s < JUST_ADDED_S || m.hist[H_SINCE_FULL_s] > BALANCE_UNKNOWN_AFTER_S) return BAL_UNKNOWN;
  if (s.balancing && s.current_dA > 0) return BAL_BALANCING;
  return s.spread_mV > IMBALANCE_mV ? BAL_IMBALANCED : BAL_BALANCED;
}

// The rest runs in the on-demand module (src/api-module.ts): at boot, for a record that is due
// (every 5 minutes at most) and for `bms.sync()`, `bms.setSoc()`, `bms.resetHistory()`.
const SOC_FILE = "bms.soc";
const HIST_FILE = "bms.hist";

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}

/** At boot: the SoC and history records into the monitor. */
export function restoreSoc(m: SocMonitor): void {
  const r = loadRecord(m.io, SOC_FILE);
  // [known 0/1, SoC 0..1, consumed Ah, s since full, offset A, the history's fast fields...]
  // (development builds wrote other shapes, and fewer history fields: not read, defaults)
  const a = r && Array.isArray(r.a) ? r.a : [];
  if (typeof a[1] === "number" && a[1] >= 0 && a[1] <= 1 && typeof a[2] === "number" && a[2] <= 0) {
    m.counter.known = a[0] === 1;
    m.counter.soc = a[1];
    m.counter.consumed_Ah = a[2];
    if (typeof a[4] === "number") m.counter.offset_A = boundOffset(a[4]);
  }
  const h = loadRecord(m.io, HIST_FILE);
  const list = h ? h.h : undefined;
  if (Array.isArray(list) && list.length === H_COUNT) {
    for (let k = 0; k < list.length; k++) m.hist[k] = typeof list[k] === "number" ? list[k] : NaN;
  }
  if (typeof a[3] === "number" && a[3] >= 0) m.hist[H_SINCE_FULL_s] = a[3];
  // the SoC record is never older than the history record: its fast fields win
  for (let k = 0; k < H_FAST; k++) if (typeof a[5 + k] === "number") m.hist[k] = a[5 + k];
  m.savedEnergy_Wh = m.hist[H_DISCHARGED_Wh] + m.hist[H_CHARGED_Wh];
}

/** SocMonitor.save(): the SoC record, and the history record after it when `hist`. */
export function writeSoc(m: SocMonitor, hist: boolean): void {
  const c = m.counter;
  // rounded: 17-digit numbers would double the record and the flash it wears
  // an array, not keys: this record is written every 5 minutes while the bank works
  // (the history's Ah to 0.1, as shown; its Wh to 1; the offset to 1 mA)
  const a = [c.known ? 1 : 0, round(c.soc, 1e5), round(c.consumed_Ah, 1e3), Math.round(m.hist[H_SINCE_FULL_s]), round(c.offset_A, 1e3)];
  for (let k = 0; k < H_FAST; k++) a.push(round(m.hist[k], k < H_DISCHARGED_Wh ? 10 : 1));
  if (!saveRecord(m.io, SOC_FILE, { a: a })) m.storeOk = 0;
  m.socSavedAt_s = m.t_s;
  m.savedSoc = c.known ? c.soc : -1;
  m.savedConsumed_Ah = c.consumed_Ah;
  m.savedEnergy_Wh = m.hist[H_DISCHARGED_Wh] + m.hist[H_CHARGED_Wh];
  if (hist) {
    const list: (number | null)[] = [];
    for (let k = 0; k < H_COUNT; k++) list.push(m.hist[k] === m.hist[k] ? round(m.hist[k], 1e3) : null);
    if (!saveRecord(m.io, HIST_FILE, { h: list })) m.storeOk = 0;
    m.histSavedAt_s = m.t_s;
    m.histDirty = 0;
  }
}

/** `bms.sync()`: a person's word, not a measured full charge, so no drift is learned from it */
export function syncSoc(m: SocMonitor): void {
  const before = m.counter.known ? m.counter.soc : -1;
  m.counter.sync(false);
  m.synced(before);
}

/** `bms.setSoc(pct)` */
export function setSoc(m: SocMonitor, soc: number, capacity_Ah: number): void {
  // the person knows better: no drift is learned until the next full charge
  const c = m.counter;
  c.driftFor_s = -1;
  c.known = true;
  c.soc = soc;
  c.consumed_Ah = -(1 - soc) * capacity_Ah;
  m.cycle(soc); // the flags the next tick would set go into this save
  m.save(true);
}

/** `bms.resetHistory()` */
export function resetSocHistory(m: SocMonitor): void {
  resetHistory(m.hist); // (a method for it cost the resident ~3 variables for ~30 B of flash)
  m.save(true);
}
