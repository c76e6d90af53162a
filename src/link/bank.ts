// Per-battery state of the bank, filled from decoded link frames. Everything is a typed array
// indexed by chain position - 1 (50 batteries x 16 cells fit in ~3 KB), and each measurement
// updates its battery's min/max cell at once, so a tick looks at a few numbers per battery,
// never at 800 cells.
import { MAX_BATT, MAX_CELLS, TYPE_IDENTITY } from "./protocol";

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function s16(b: Uint8Array, at: number): number {
  const v = u16(b, at);
  return v & 0x8000 ? v - 0x10000 : v;
}

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
  // times in deciseconds since start; 0 = never
  readonly idAt_ds = new Uint32Array(MAX_BATT);
  readonly seen_ds = new Uint32Array(MAX_BATT);
  /** first measurement from a battery that has not identified itself (E-B01 after 10 s) */
  readonly anon_ds = new Uint32Array(MAX_BATT);
  /** last good frame from a position the bank cannot hold (0 or beyond MAX_BATT): E-B05 */
  unplaced_ds = 0;
  /** set by the clock before frames are fed; starts at 1 so that 0 can mean "never" */
  now_ds = 1;

  /** A checked frame from the decoder: buf[1] POS, buf[2] TYPE, payload from buf[3]. */
  ingest(buf: Uint8Array): void {
    const i = buf[1] - 1;
    if (i < 0 || i >= MAX_BATT) {
      this.unplaced_ds = this.now_ds;
      return;
    }
    if (buf[2] === TYPE_IDENTITY) return this.identity(i, buf);
    this.measurement(i, buf);
  }

  private identity(i: number, b: Uint8Array): void {
    this.serial[i] = (u16(b, 3) | (u16(b, 5) << 16)) >>> 0;
    this.nom_dV[i] = u16(b, 7);
    this.cap_Ah[i] = u16(b, 9);
    this.fw[i] = u16(b, 11);
    this.idCells[i] = b[13];
    this.type[i] = b[14];
    if (!this.idAt_ds[i]) this.idAt_ds[i] = this.now_ds;
    this.anon_ds[i] = 0;
  }

  private measurement(i: number, b: Uint8Array): void {
    if (!this.nom_dV[i]) {
      // not used until the battery says what it is
      if (!this.anon_ds[i]) this.anon_ds[i] = this.now_ds;
      return;
    }
    const n = b[4];
    this.flags[i] = b[3];
    this.cells[i] = n;
    this.v_cV[i] = u16(b, 5);
    this.base_cV[i] = u16(b, 7);
    this.i_dA[i] = s16(b, 9);
    this.t_dC[i] = s16(b, 11);
    let lo = 0xffff;
    let hi = 0;
    const at = i * MAX_CELLS;
    for (let c = 0; c < n; c++) {
      const mv = u16(b, 13 + 2 * c);
      this.cell_mV[at + c] = mv;
      if (mv < lo) lo = mv;
      if (mv > hi) hi = mv;
    }
    this.cellMin_mV[i] = lo;
    this.cellMax_mV[i] = hi;
    this.seen_ds[i] = this.now_ds;
  }

  /** Forget a battery (after bms.learn() drops one that is gone). */
  clear(i: number): void {
    this.nom_dV[i] = 0;
    this.seen_ds[i] = 0;
    this.idAt_ds[i] = 0;
    this.anon_ds[i] = 0;
    this.cells[i] = 0;
  }
}
