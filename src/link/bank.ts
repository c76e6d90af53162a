// Per-battery state of the bank, filled from decoded link records. Everything is a typed array
// indexed by chain position - 1 (50 batteries x 16 cells fit in ~3 KB). Each battery reports its
// own lowest and highest cell, so a record is read with a few native calls and its cells are
// copied natively: no loop over cells, and a tick looks at a few numbers per battery.
import { MAX_BATT, MAX_CELLS, TYPE_IDENTITY } from "./protocol";

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
  readonly t_dC = new Int16Array(MAX_BATT);
  readonly cellMin_mV = new Uint16Array(MAX_BATT);
  readonly cellMax_mV = new Uint16Array(MAX_BATT);
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
      // present or not (nom_dV 0 = not) and which serial: what the learned configuration follows
      if (serial !== this.serial[i] || !this.nom_dV[i] !== !nom) this.ids++;
      this.serial[i] = serial;
      this.nom_dV[i] = nom;
      this.cap_Ah[i] = dv.getUint16(at + 6, true);
      this.fw[i] = dv.getUint16(at + 8, true);
      this.idCells[i] = dv.getUint8(at + 10);
      this.type[i] = dv.getUint8(at + 11);
      if (!this.idAt_ds[i]) this.idAt_ds[i] = this.now_ds;
      this.anon_ds[i] = 0;
      return -1;
    }
    if (!this.nom_dV[i]) {
      // not used until the battery says what it is
      if (!this.anon_ds[i]) this.anon_ds[i] = this.now_ds;
      return -1;
    }
    const n = dv.getUint8(at + 1);
    this.flags[i] = dv.getUint8(at);
    this.cells[i] = n;
    this.v_cV[i] = dv.getUint16(at + 2, true);
    this.base_cV[i] = dv.getUint16(at + 4, true);
    this.i_dA[i] = dv.getInt16(at + 6, true);
    this.t_dC[i] = dv.getInt16(at + 8, true);
    this.cellMin_mV[i] = dv.getUint16(at + 10, true);
    this.cellMax_mV[i] = dv.getUint16(at + 12, true);
    // (at + 14, at + 15: which cells those are, 1-based; not used by the BMS today)
    this.seen_ds[i] = this.now_ds;
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
  }
}
