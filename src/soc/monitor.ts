// The battery monitor: the coulomb counter, the history and the balancer status, persisted as
// two checked records. The SoC record is written at most every 5 minutes (and at once on a sync,
// a set or a reset), the history at most every hour: docs/soc.md has the flash-wear arithmetic.
import type { BankSummary } from "../link/summary";
import { RecordStore, type RawStore } from "../record";
import { type SocSettings, SocCounter } from "./counter";
import { newHistory, recordHistory, recordSync, resetHistory } from "./history";
import { H_COUNT, H_SINCE_FULL_s } from "./history-fields";

export const SOC_SAVE_EVERY_S = 300;
export const HISTORY_SAVE_EVERY_S = 3600;
/** an idle bank still saves once a day, so "time since last full charge" survives a power cut */
export const SAVE_AT_LEAST_EVERY_S = 24 * 3600;
/** a change smaller than this is not worth a flash write (our choice) */
export const SOC_SAVE_STEP = 0.001;
export const CONSUMED_SAVE_STEP_Ah = 0.1;
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
  private savedSoc = -1;
  private savedConsumed_Ah = 0;
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
    if (r && typeof r.s === "number" && r.s >= 0 && r.s <= 1 && typeof r.c === "number" && r.c <= 0) {
      this.counter.known = r.k === true;
      this.counter.soc = r.s;
      this.counter.consumed_Ah = r.c;
      if (typeof r.o === "number" && r.o >= -0.25 && r.o <= 0.25) this.counter.offset_A = r.o;
    }
    const h = this.histRec.load();
    const list = h ? h.h : undefined;
    if (Array.isArray(list) && list.length === H_COUNT) {
      for (let k = 0; k < H_COUNT; k++) this.hist[k] = typeof list[k] === "number" ? list[k] : NaN;
    }
    if (r && typeof r.f === "number" && r.f >= 0) this.hist[H_SINCE_FULL_s] = r.f;
  }

  /** Once per tick with valid bank data. */
  update(s: BankSummary, st: SocSettings, dt_s: number): void {
    const c = this.counter;
    const before = c.known ? c.soc : -1;
    c.update(s.current_dA, s.voltage_cV, s.capacity_Ah, s.cellsSeries, st, dt_s);
    recordHistory(this.hist, s, c.consumed_Ah, c.known ? c.soc : -1, dt_s);
    this.sinceAdded_s += dt_s;
    this.socSavedAgo_s += dt_s;
    this.histSavedAgo_s += dt_s;
    // flash wears: only a change that matters makes the record due (docs/soc.md)
    if (Math.abs((c.known ? c.soc : -1) - this.savedSoc) >= SOC_SAVE_STEP ||
      Math.abs(c.consumed_Ah - this.savedConsumed_Ah) >= CONSUMED_SAVE_STEP_Ah || this.socSavedAgo_s >= SAVE_AT_LEAST_EVERY_S) {
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
    this.save(true);
  }

  /** `bms.resetHistory()` */
  resetHistory(): void {
    resetHistory(this.hist);
    this.save(true);
  }

  /** Write what is due; `now` writes both records at once. */
  save(now: boolean): void {
    const c = this.counter;
    const soc = c.known ? c.soc : -1;
    if (now || (this.dirty && this.socSavedAgo_s >= SOC_SAVE_EVERY_S)) {
      // rounded: 17-digit numbers would double the record and the flash it wears
      this.storeOk = this.socRec.save({ k: c.known, s: round(c.soc, 1e5), c: round(c.consumed_Ah, 1e3), f: Math.round(this.hist[H_SINCE_FULL_s]), o: round(c.offset_A, 1e4) }) && this.storeOk;
      this.socSavedAgo_s = 0;
      this.savedSoc = soc;
      this.savedConsumed_Ah = c.consumed_Ah;
      this.dirty = false;
      if (!now && this.histSavedAgo_s >= HISTORY_SAVE_EVERY_S) now = true; // history rides along
    }
    if (now) {
      const list: (number | null)[] = [];
      for (let k = 0; k < H_COUNT; k++) list.push(this.hist[k] === this.hist[k] ? round(this.hist[k], 1e3) : null);
      this.storeOk = this.histRec.save({ h: list }) && this.storeOk;
      this.histSavedAgo_s = 0;
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
