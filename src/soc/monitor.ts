// The battery monitor: the coulomb counter, the history and the balancer status, persisted as
// two checked records. The SoC record is written at most every 5 minutes (and at once on a sync,
// a set or a reset) and carries the history's fast counters; the history record goes with it
// when a field only it keeps has changed. docs/soc.md has the flash-wear arithmetic.
import type { BankSummary } from "../link/summary";
import { RecordStore, type RawStore } from "../record";
import { type SocSettings, boundOffset, SocCounter } from "./counter";
import { cycle, newHistory, recordHistory, recordSync, resetHistory } from "./history";
import { H_CHARGED_Wh, H_COUNT, H_COUNT_V1, H_DISCHARGED_Wh, H_FAST, H_SINCE_FULL_s } from "./history-fields";

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

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}

export class SocMonitor {
  readonly counter = new SocCounter();
  readonly hist = newHistory();
  private readonly socRec: RecordStore;
  private readonly histRec: RecordStore;
  private socSavedAgo_s = 0;
  private histSavedAgo_s = 0;
  private dirty = false;
  /** a field that only the history record keeps (an extreme, a cycle, a flag) changed */
  private histDirty = false;
  private savedSoc = -1;
  private savedConsumed_Ah = 0;
  private savedEnergy_Wh = 0;
  /** seconds since a battery joined the bank (large = long ago) */
  sinceAdded_s = JUST_ADDED_S;
  /** false when the last write was refused (the supervisor raises E-B11) */
  storeOk = true;

  constructor(io: RawStore) {
    this.socRec = new RecordStore(io, "bms.soc", 1);
    this.histRec = new RecordStore(io, "bms.hist", 1);
    this.restore();
  }

  private restore(): void {
    const r = this.socRec.load();
    // [known 0/1, SoC 0..1, consumed Ah, s since full, offset A, the history's fast fields...];
    // the firmware before 0.2 wrote the first five as keys
    const a = r ? (Array.isArray(r.a) ? r.a : [r.k === true ? 1 : 0, r.s, r.c, r.f, r.o]) : [];
    if (typeof a[1] === "number" && a[1] >= 0 && a[1] <= 1 && typeof a[2] === "number" && a[2] <= 0) {
      this.counter.known = a[0] === 1;
      this.counter.soc = a[1];
      this.counter.consumed_Ah = a[2];
      if (typeof a[4] === "number") this.counter.offset_A = boundOffset(a[4]); // it allowed 0.25 A
    }
    const h = this.histRec.load();
    const list = h ? h.h : undefined;
    // an older firmware's record lacks the last fields: they keep their reset values
    if (Array.isArray(list) && (list.length === H_COUNT || list.length === H_COUNT_V1)) {
      for (let k = 0; k < list.length; k++) this.hist[k] = typeof list[k] === "number" ? list[k] : NaN;
    }
    if (typeof a[3] === "number" && a[3] >= 0) this.hist[H_SINCE_FULL_s] = a[3];
    // the SoC record is never older than the history record: its fast fields win
    for (let k = 0; k < H_FAST; k++) if (typeof a[5 + k] === "number") this.hist[k] = a[5 + k];
    this.savedEnergy_Wh = this.hist[H_DISCHARGED_Wh] + this.hist[H_CHARGED_Wh];
  }

  /** Once per tick with valid bank data. */
  update(s: BankSummary, st: SocSettings, dt_s: number): void {
    const c = this.counter;
    const before = c.known ? c.soc : -1;
    c.update(s.current_dA, s.voltage_cV, s.capacity_Ah, s.cellsSeries, st, dt_s);
    if (recordHistory(this.hist, s, c.consumed_Ah, c.known ? c.soc : -1, dt_s)) this.histDirty = true;
    this.sinceAdded_s += dt_s;
    this.socSavedAgo_s += dt_s;
    this.histSavedAgo_s += dt_s;
    // flash wears: only a change that matters makes the record due (docs/soc.md)
    if (Math.abs((c.known ? c.soc : -1) - this.savedSoc) >= SOC_SAVE_STEP ||
      Math.abs(c.consumed_Ah - this.savedConsumed_Ah) >= CONSUMED_SAVE_STEP_Ah || this.socSavedAgo_s >= SAVE_AT_LEAST_EVERY_S ||
      Math.abs(this.hist[H_DISCHARGED_Wh] + this.hist[H_CHARGED_Wh] - this.savedEnergy_Wh) >= ENERGY_SAVE_STEP_Wh) {
      this.dirty = true;
    }
    if (c.synced) {
      recordSync(this.hist, before, before >= 0);
      this.save(true);
    } else this.save(false);
  }

  /** `bms.sync()`: a person's word, not a measured full charge, so no drift is learned from it */
  sync(): void {
    const before = this.counter.known ? this.counter.soc : -1;
    this.counter.sync();
    this.counter.stopDrift();
    recordSync(this.hist, before, before >= 0);
    this.save(true);
  }

  /** `bms.setSoc(pct)` */
  set(soc: number, capacity_Ah: number): void {
    this.counter.set(soc, capacity_Ah);
    cycle(this.hist, soc); // the flags the next tick would set go into this save
    this.save(true);
  }

  /** `bms.resetHistory()` */
  resetHistory(): void {
    resetHistory(this.hist);
    this.save(true);
  }

  /**
   * Write what is due; `now` writes both records at once. The history record is written only
   * with a SoC record (first), so the SoC record is never the older one.
   */
  save(now: boolean): void {
    const c = this.counter;
    const soc = c.known ? c.soc : -1;
    const hist = now || (this.histDirty && this.histSavedAgo_s >= HISTORY_SAVE_EVERY_S);
    if (hist || (this.dirty && this.socSavedAgo_s >= SOC_SAVE_EVERY_S)) {
      // rounded: 17-digit numbers would double the record and the flash it wears
      // an array, not keys: this record is written every 5 minutes while the bank works
      // (the history's Ah to 0.1, as shown; its Wh to 1; the offset to 1 mA)
      const a = [c.known ? 1 : 0, round(c.soc, 1e5), round(c.consumed_Ah, 1e3), Math.round(this.hist[H_SINCE_FULL_s]), round(c.offset_A, 1e3)];
      for (let k = 0; k < H_FAST; k++) a.push(round(this.hist[k], k < H_DISCHARGED_Wh ? 10 : 1));
      this.storeOk = this.socRec.save({ a: a }) && this.storeOk;
      this.socSavedAgo_s = 0;
      this.savedSoc = soc;
      this.savedConsumed_Ah = c.consumed_Ah;
      this.savedEnergy_Wh = this.hist[H_DISCHARGED_Wh] + this.hist[H_CHARGED_Wh];
      this.dirty = false;
    }
    if (hist) {
      const list: (number | null)[] = [];
      for (let k = 0; k < H_COUNT; k++) list.push(this.hist[k] === this.hist[k] ? round(this.hist[k], 1e3) : null);
      this.storeOk = this.histRec.save({ h: list }) && this.storeOk;
      this.histSavedAgo_s = 0;
      this.histDirty = false;
    }
  }

  /** SoC in per mille, or -1 when unknown (feeds W-B07 and A-B07). */
  soc_pm(): number {
    return this.counter.known ? Math.round(this.counter.soc * 1000) : -1;
  }

  /** Balancer status (SPEC §6) from the bank's worst cell spread and balancing flags. */
  balancer(s: BankSummary): number {
    if (!this.counter.known || this.sinceAdded_s < JUST_ADDED_S || this.hist[H_SINCE_FULL_s] > BALANCE_UNKNOWN_AFTER_S) return BAL_UNKNOWN;
    if (s.balancing && s.current_dA > 0) return BAL_BALANCING;
    return s.spread_mV > IMBALANCE_mV ? BAL_IMBALANCED : BAL_BALANCED;
  }
}
