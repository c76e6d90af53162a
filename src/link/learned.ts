// The learned battery configuration (SPEC §1, §4 E-B05): the serial numbers of the batteries
// that make up the bank, kept in Storage so a battery missing after a restart is noticed.
// Our choices: the first sound configuration seen 30 s after start is learned by itself; a new
// battery joining a sound bank is added by itself; a battery that is gone needs bms.learn().
import { E_B05 } from "../codes";
import type { RecordStore } from "../record";
import type { Bank } from "./bank";
import { MAX_BATT } from "./protocol";
import type { BankSummary } from "./summary";

/** batteries have 30 s after start to identify themselves before one counts as missing */
export const LEARN_WINDOW_DS = 300;

export class Learned {
  readonly serials = new Uint32Array(MAX_BATT);
  n = 0;
  /** changed since last saved */
  dirty = false;
  /** a battery joined a bank that was already learned (the balancer status turns "unknown") */
  added = false;
  // the bank's `ids` when each answer below was last worked out (-1: work it out again), so that
  // a tick costs nothing while no battery comes, goes or changes its serial
  private presentAt = -1;
  private presentAll = false;
  private addedAt = -1;

  /** From Storage: a list of at most 50 serial numbers. Returns false (and keeps none) if not. */
  load(v: unknown): boolean {
    this.n = 0;
    this.presentAt = this.addedAt = -1;
    if (!Array.isArray(v) || v.length > MAX_BATT) return false;
    for (let k = 0; k < v.length; k++) {
      const s = v[k];
      if (typeof s !== "number" || s < 0 || s > 0xffffffff || Math.floor(s) !== s) return false;
    }
    for (let k = 0; k < v.length; k++) this.serials[this.n++] = v[k];
    return true;
  }

  list(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.n; k++) out.push(this.serials[k]);
    return out;
  }

  private knows(serial: number): boolean {
    for (let k = 0; k < this.n; k++) if (this.serials[k] === serial) return true;
    return false;
  }

  private present(b: Bank, serial: number): boolean {
    for (let i = 0; i < MAX_BATT; i++) if (b.nom_dV[i] && b.serial[i] === serial) return true;
    return false;
  }

  /** Every learned battery has identified itself (at start, outputs wait for this or E-B05). */
  allPresent(b: Bank): boolean {
    if (this.presentAt !== b.ids) {
      this.presentAt = b.ids;
      this.presentAll = true;
      for (let k = 0; k < this.n; k++) if (!this.present(b, this.serials[k])) this.presentAll = false;
    }
    return this.presentAll;
  }

  /** Once per tick: the E-B05 bit if a learned battery is missing; learns sound additions. */
  update(b: Bank, s: BankSummary, now_ds: number): number {
    if (now_ds < LEARN_WINDOW_DS) return 0;
    if (!this.allPresent(b)) return 1 << E_B05;
    if (!s.valid || this.addedAt === b.ids) return 0;
    this.addedAt = b.ids;
    for (let i = 0; i < MAX_BATT; i++) {
      if (b.nom_dV[i] && !this.knows(b.serial[i]) && this.n < MAX_BATT) {
        if (this.n > 0) this.added = true;
        this.serials[this.n++] = b.serial[i];
        this.dirty = true;
        this.presentAt = -1;
      }
    }
    return 0;
  }

  /** bms.learn(): the batteries present now become the configuration. */
  learnNow(b: Bank): void {
    this.n = 0;
    this.presentAt = this.addedAt = -1;
    for (let i = 0; i < MAX_BATT; i++) if (b.nom_dV[i]) this.serials[this.n++] = b.serial[i];
    this.dirty = true;
  }
}

/** Persist the learned serials; false when the flash refused (E-B11). */
export function saveLearned(rec: RecordStore, l: Learned): boolean {
  l.dirty = false;
  return rec.save({ b: l.list() });
}
