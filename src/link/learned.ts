// The learned battery configuration (SPEC §1, §4 E-B05): the serial numbers of the batteries
// that make up the bank, kept in Storage so a battery missing after a restart is noticed.
// Our choices: the first sound configuration seen 30 s after start is learned by itself; a new
// battery joining a sound bank is added by itself; a battery that is gone needs bms.learn().
import { E_B05 } from "../codes";
import { loadRecord, saveRecord } from "../record";
import type { Supervisor } from "../supervisor";
import type { Bank } from "./bank";
import { MAX_BATT } from "./protocol";
import type { BankSummary } from "./summary";

/** batteries have 30 s after start to identify themselves before one counts as missing */
export const LEARN_WINDOW_DS = 300;

export class Learned {
  readonly serials = new Uint32Array(MAX_BATT);
  n = 0;
  // (0/1 flags, not booleans: one variable each instead of two, docs/device-budget.md)
  /** changed since last saved (1) */
  dirty = 0;
  /** a battery joined a bank that was already learned (the balancer status turns "unknown") (1) */
  added = 0;
  // the bank's `ids` when each answer below was last worked out (-1: work it out again), so that
  // a tick costs nothing while no battery comes, goes or changes its serial
  presentAt = -1;
  private presentAll = 0;
  addedAt = -1;

  /** Every learned battery has identified itself (at start, outputs wait for this or E-B05). */
  allPresent(b: Bank): boolean {
    if (this.presentAt !== b.ids) {
      this.presentAt = b.ids;
      this.presentAll = 1;
      for (let k = 0; k < this.n && this.presentAll; k++) {
        // is learned battery k in the bank (identified, at any position)? A native search for its
        // serial, again past each position that holds it without an identity (rare)
        let i = b.serial.indexOf(this.serials[k]);
        while (i >= 0 && !b.nom_dV[i]) i = b.serial.indexOf(this.serials[k], i + 1);
        if (i < 0) this.presentAll = 0;
      }
    }
    return this.presentAll === 1;
  }

  /** Once per tick: the E-B05 bit if a learned battery is missing; learns sound additions. */
  update(b: Bank, s: BankSummary, now_ds: number): number {
    if (now_ds < LEARN_WINDOW_DS) return 0;
    if (!this.allPresent(b)) return 1 << E_B05;
    if (!s.valid || this.addedAt === b.ids) return 0;
    this.addedAt = b.ids;
    for (let i = 0; i < MAX_BATT; i++) {
      // an identified battery not learned yet? (a native search: its serial's first place in the
      // list is among the first n when it is learned; none, -1, is 2^32 - 1 as unsigned)
      if (b.nom_dV[i] && this.serials.indexOf(b.serial[i]) >>> 0 >= this.n && this.n < MAX_BATT) {
        if (this.n > 0) this.added = 1;
        this.serials[this.n++] = b.serial[i];
        this.dirty = 1;
        this.presentAt = -1;
      }
    }
    return 0;
  }
}

// The rest runs in the on-demand module (src/api-module.ts): at boot, when the learned
// configuration changed, and for `bms.learn()`.
const FILE = "bms.bank";

/** From Storage: a list of at most 50 serial numbers. Keeps none if it is not one. */
export function loadLearned(sup: Supervisor): void {
  const l = sup.learned;
  const r = loadRecord(sup.hw.store, FILE);
  const v = r ? r.b : undefined;
  l.n = 0;
  l.presentAt = l.addedAt = -1;
  if (!Array.isArray(v) || v.length > MAX_BATT) return;
  // each a whole number 0..2^32-1, or the list is not read: the serials' Uint32Array holds such a
  // number as it is and any other value as another (a fraction cut, a string as 0), so a value
  // that does not read back the same is refused (and with it the list: n stays 0)
  for (let k = 0; k < v.length; k++) if ((l.serials[k] = v[k] as number) !== v[k]) return;
  l.n = v.length;
}

export function learnedList(l: Learned): number[] {
  // (a plain array of the first n: JSON and the REPL show a typed array otherwise)
  return [].slice.call(l.serials, 0, l.n);
}

/** Persist the learned serials; false when the flash refused (E-B11). */
export function writeLearned(sup: Supervisor): boolean {
  sup.learned.dirty = 0;
  return saveRecord(sup.hw.store, FILE, { b: learnedList(sup.learned) });
}

/** bms.learn(): forget batteries that are gone, learn the ones present now. */
export function learnNow(sup: Supervisor): void {
  const b = sup.bank;
  const l = sup.learned;
  const now = sup.hw.now_ds();
  l.n = 0;
  l.presentAt = l.addedAt = -1;
  for (let i = 0; i < MAX_BATT; i++) {
    if (!b.nom_dV[i]) continue;
    if (now - b.heard_ds[i] >= 50) {
      // gone: forget it (here, in the module: a method less resident)
      b.ids++;
      b.nom_dV[i] = 0;
      b.anon_ds[i] = 0;
      b.cells[i] = 0;
      b.forget(i);
    } else l.serials[l.n++] = b.serial[i]; // present: learned
  }
  if (!writeLearned(sup)) sup.hardwareError();
  sup.evaluate(now, true);
  sup.decide();
}
