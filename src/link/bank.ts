// Per-battery state of the bank, filled from decoded link records. Everything is a typed array
// indexed by chain position - 1 (50 batteries x 16 cells fit in ~3 KB). Each battery reports its
// own lowest and highest cell, so a record is read with a few native calls and its cells are
// copied natively: no loop over cells. What the bank summary needs every tick is kept here in
// arrays that one native call reduces (Math.min/max.apply, E.sum): a slot with no battery holds
// a value that cannot win (docs/architecture.md "The bank, reduced natively"), so the tick costs
// the same for 1 battery as for 50.
import { FLAG_BALANCING, FLAG_FAULT, MAX_BATT, MAX_CELLS, TYPE_IDENTITY } from "./protocol";

/** level of a battery that has not reported a measurement */
export const NO_LEVEL = 255;
/** level of a battery whose base voltage puts it beyond the longest string: E-B05 */
export const OFF_CHAIN = 254;

export class Bank {
  // identity (0 in nom_dV = no identity yet)
  readonly serial = new Uint32Array(MAX_BATT);
  readonly nom_dV = new Uint16Array(MAX_BATT);
  readonly cap_Ah = new Uint16Array(MAX_BATT);
  readonly fw = new Uint16Array(MAX_BATT);
  readonly idCells = new Uint8Array(MAX_BATT);
  readonly type = new Uint8Array(MAX_BATT);
  // latest measurement
  readonly flags = new Uint8Array(MAX_BATT);
  readonly cells = new Uint8Array(MAX_BATT);
  readonly v_cV = new Uint16Array(MAX_BATT);
  readonly base_cV = new Uint16Array(MAX_BATT);
  readonly i_dA = new Int16Array(MAX_BATT);
  /** lowest cell (0xffff: no measurement) */
  readonly cellMin_mV = new Uint16Array(MAX_BATT);
  /** highest cell (0: no measurement) */
  readonly cellMax_mV = new Uint16Array(MAX_BATT);
  /** highest - lowest cell inside the battery (0: no measurement) */
  readonly spread_mV = new Uint16Array(MAX_BATT);
  /** temperature, for the highest (-0x8000: no measurement) ... */
  readonly t_dC = new Int16Array(MAX_BATT);
  /** ... and the same for the lowest (0x7fff: no measurement) */
  readonly tLo_dC = new Int16Array(MAX_BATT);
  /** 1: balancing */
  readonly bal = new Uint8Array(MAX_BATT);
  /** 1: the measurement says the battery is unusable (cell count, fault flag): E-B01 */
  readonly bad = new Uint8Array(MAX_BATT);
  /** level in its string (0 = bottom), NO_LEVEL or OFF_CHAIN */
  readonly level = new Uint8Array(MAX_BATT);
  /** base + own voltage of a battery at the top level (else 0): the bank voltage's parts */
  readonly vTop_cV = new Uint16Array(MAX_BATT);
  /** current of a battery at the bottom level (else 0): the bank current's parts */
  readonly iBot_dA = new Int16Array(MAX_BATT);
  /** when an identified battery was last heard: its last measurement, else its first identity
   * (0xffffffff: not identified), for the silence codes */
  readonly heard_ds = new Uint32Array(MAX_BATT);
  readonly cell_mV = new Uint16Array(MAX_BATT * MAX_CELLS);
  /** the same memory as bytes, for the decoder's native copy of a record's cells (little-endian) */
  readonly cellBytes = new Uint8Array(this.cell_mV.buffer);
  // times in deciseconds since start; 0 = never
  readonly idAt_ds = new Uint32Array(MAX_BATT);
  readonly seen_ds = new Uint32Array(MAX_BATT);
  /** first measurement from a battery that has not identified itself (E-B01 after 10 s) */
  readonly anon_ds = new Uint32Array(MAX_BATT);
  /** last good frame from a position the bank cannot hold (0 or beyond MAX_BATT): E-B05 */
  unplaced_ds = 0;
  /** set by the clock before frames are fed; starts at 1 so that 0 can mean "never" */
  now_ds = 1;
  /** counts changes of which serial is where (a battery identified, replaced or forgotten) */
  ids = 0;
  /** counts changes of anything else the layout depends on (identity fields, levels, anonymous
   * batteries): the summary works the layout out again only when this or `ids` moved */
  layout = 0;
  /** the top level, as the summary last worked it out (vTop_cV follows it) */
  top = 0;
  // views of the arrays the tick reduces, as long as the last identified battery's position
  // (made by the summary when the layout changes): a small bank is reduced over a few slots
  vMin_mV = this.cellMin_mV;
  vMax_mV = this.cellMax_mV;
  vSpread_mV = this.spread_mV;
  vLo_dC = this.tLo_dC;
  vHi_dC = this.t_dC;
  vHeard_ds = this.heard_ds;

  constructor() {
    for (let i = 0; i < MAX_BATT; i++) this.forget(i);
  }

  /** No measurement at `i`: every per-battery value back to the one that cannot win. */
  private forget(i: number): void {
    this.cellMin_mV[i] = 0xffff;
    this.cellMax_mV[i] = this.spread_mV[i] = this.bal[i] = this.bad[i] = this.vTop_cV[i] = this.iBot_dA[i] = 0;
    this.t_dC[i] = -0x8000;
    this.tLo_dC[i] = 0x7fff;
    this.level[i] = NO_LEVEL;
    this.heard_ds[i] = 0xffffffff;
    this.layout++;
  }

  /**
   * A checked record: `dv` over the received text, its POS byte at `at`, the payload after TYPE.
   * Returns the battery's index when its measurement was taken (the decoder then copies the
   * cells into `cellBytes`), else -1.
   */
  ingest(dv: DataView, at: number, type: number): number {
    const i = dv.getUint8(at) - 1;
    if (i < 0 || i >= MAX_BATT) {
      this.unplaced_ds = this.now_ds;
      return -1;
    }
    at += 2;
    if (type === TYPE_IDENTITY) {
      const serial = dv.getUint32(at, true);
      const nom = dv.getUint16(at + 4, true);
      const cap = dv.getUint16(at + 6, true);
      const cells = dv.getUint8(at + 10);
      const kind = dv.getUint8(at + 11);
      // present or not (nom_dV 0 = not) and which serial: what the learned configuration follows
      if (serial !== this.serial[i] || !this.nom_dV[i] !== !nom) this.ids++;
      if (nom !== this.nom_dV[i] || cap !== this.cap_Ah[i] || cells !== this.idCells[i] || kind !== this.type[i] || this.anon_ds[i]) this.layout++;
      if (!nom && this.nom_dV[i]) this.forget(i); // not part of the bank: its last measurement no longer counts
      this.serial[i] = serial;
      this.nom_dV[i] = nom;
      this.cap_Ah[i] = cap;
      this.fw[i] = dv.getUint16(at + 8, true);
      this.idCells[i] = cells;
      this.type[i] = kind;
      if (!this.idAt_ds[i]) this.idAt_ds[i] = this.now_ds;
      if (nom && this.heard_ds[i] === 0xffffffff) this.heard_ds[i] = this.seen_ds[i] || this.idAt_ds[i];
      this.anon_ds[i] = 0;
      return -1;
    }
    if (!this.nom_dV[i]) {
      // not used until the battery says what it is
      if (!this.anon_ds[i]) {
        this.anon_ds[i] = this.now_ds;
        this.layout++;
      }
      return -1;
    }
    const n = dv.getUint8(at + 1);
    const flags = dv.getUint8(at);
    const v = dv.getUint16(at + 2, true);
    const base = dv.getUint16(at + 4, true);
    const i_dA = dv.getInt16(at + 6, true);
    const t = dv.getInt16(at + 8, true);
    const lo = dv.getUint16(at + 10, true);
    const hi = dv.getUint16(at + 12, true);
    // (at + 14, at + 15: which cells those are, 1-based; not used by the BMS today)
    this.flags[i] = flags;
    this.cells[i] = n;
    this.v_cV[i] = v;
    this.base_cV[i] = base;
    this.i_dA[i] = i_dA;
    this.t_dC[i] = this.tLo_dC[i] = t;
    this.cellMin_mV[i] = lo;
    this.cellMax_mV[i] = hi;
    this.spread_mV[i] = hi > lo ? hi - lo : 0;
    this.bal[i] = flags & FLAG_BALANCING;
    this.bad[i] = n !== this.idCells[i] || flags & FLAG_FAULT ? 1 : 0;
    // a battery's level in its string: its base voltage in units of its own voltage
    let level = v ? Math.round(base / v) : OFF_CHAIN;
    if (level >= MAX_BATT) level = OFF_CHAIN;
    if (level !== this.level[i]) {
      this.level[i] = level;
      this.layout++;
    }
    this.vTop_cV[i] = level === this.top ? base + v : 0;
    this.iBot_dA[i] = level === 0 ? i_dA : 0;
    this.seen_ds[i] = this.heard_ds[i] = this.now_ds;
    return i;
  }

  /** Forget a battery (after bms.learn() drops one that is gone). */
  clear(i: number): void {
    this.ids++;
    this.nom_dV[i] = 0;
    this.seen_ds[i] = 0;
    this.idAt_ds[i] = 0;
    this.anon_ds[i] = 0;
    this.cells[i] = 0;
    this.forget(i);
  }
}
