// Per-battery state of the bank, filled from decoded link records. Everything is a typed array
// indexed by chain position - 1 (50 batteries x 16 cells fit in ~3 KB). The measurements come
// in one bank frame a second, laid out column by column (docs/battery-link.md): `col` holds the
// latest frame's columns in the same order, laid out as the longest frame seen, each field an
// array of its own over it, so a frame is taken with one native copy and no loop over batteries. What the bank summary
// needs every tick is kept in arrays that one native call reduces (Math.min/max.apply, E.sum,
// E.convolve): a slot with no battery holds a value that cannot win (docs/architecture.md "The
// bank, reduced natively"), so the tick costs the same for 1 battery as for 50.
import { FLAG_BALANCING, FLAG_FAULT, FRAME_BYTES, MAX_BATT } from "./protocol";

export const NO_LEVEL = 255;
/** free variables kept for the rest of the tick and the link's next chunks when the cells'
 * storage grows (our choice: the tick allocates nothing, a 32-byte chunk takes ~4) */
const CELLS_ROOM_VARS = 20;
/** level of a battery whose base voltage puts it beyond the longest string: E-B05 */
export const OFF_CHAIN = 254;

/** levels are worked out again at least this often, even when nothing says they changed */
export const LEVELS_DS = 100;

export class Bank {
  // identity (0 in nom_dV = no identity yet). The per-battery arrays of one element size are
  // slices of one typed array (made in the constructor: a typed array of its own costs ~2
  // variables more)
  readonly serial!: Uint32Array;
  readonly nom_dV!: Uint16Array;
  readonly cap_Ah!: Uint16Array;
  readonly fw!: Uint16Array;
  readonly idCells!: Uint8Array;
  readonly type!: Uint8Array;
  /** the latest bank frame's columns, in the frame's order, up to MAX_BATT slots each: the fields
   * below are views of it, and a frame's column is copied into its field with one native call */
  readonly col = new Uint8Array(FRAME_BYTES * MAX_BATT);
  flags!: Uint8Array;
  /** (laid out at byte N, the N the views are laid out for: the longest frame's, read as `cells.byteOffset`) */
  cells!: Uint8Array;
  v_cV!: Uint16Array;
  base_cV!: Uint16Array;
  i_dA!: Int16Array;
  /** temperature, for the highest (-0x8000: no measurement) ... */
  t_dC!: Int16Array;
  /** lowest cell (0xffff: no measurement) */
  cellMin_mV!: Uint16Array;
  /** highest cell (0: no measurement) */
  cellMax_mV!: Uint16Array;
  /** highest - lowest cell inside the battery (0: no measurement) */
  spread_mV!: Uint16Array;
  /** ... and the same for the lowest (0x7fff: no measurement) */
  readonly tLo_dC!: Int16Array;
  /** 1: balancing */
  readonly bal!: Uint8Array;
  /** 1: the measurement says the battery is unusable (cell count, fault flag): E-B01 */
  readonly bad!: Uint8Array;
  /** level in its string (0 = bottom), NO_LEVEL or OFF_CHAIN */
  readonly level!: Uint8Array;
  /** 1 for a battery at the top level: the bank voltage is the tops' base + own voltage ... */
  readonly tops!: Uint8Array;
  /** ... and 1 for one at the bottom level: the bank current is the bottoms' current */
  readonly bottoms!: Uint8Array;
  /** when an identified battery was last heard: its last measurement, else when it identified
   * itself (0xffffffff: not identified), for the silence codes and bms.learn() */
  readonly heard_ds!: Uint32Array;
  /** the first N of them, N the views are laid out for (buildViews): a frame of that N fills it */
  heardN!: Uint32Array;
  /** each battery's cells, `cellW` slots a battery, up to the highest position identified: as
   * many as the most cells an identity has said (none before the first), made again when one
   * says more or comes from further up the chain (the decoder copies an identity's cells into
   * its buffer as bytes: little-endian) */
  cell_mV = new Uint16Array(0);
  cellW = 0;
  // times in deciseconds since start; 0 = never
  /** first measurement from a battery that has not identified itself (E-B01 after 10 s) */
  readonly anon_ds!: Uint32Array;
  /** last good frame from a position the bank cannot hold (0 or beyond MAX_BATT): E-B05 */
  unplaced_ds = 0;
  /** set by the clock before frames are fed; starts at 1 so that 0 can mean "never" */
  now_ds = 1;
  /** the last frame's N, flags and cells columns as their CRC-32 (-1: work the levels out at the
   * next frame) */
  fc = -1;
  /** when the levels were last worked out */
  levels_ds = 0;
  /** counts changes of which serial is where (a battery identified, replaced or forgotten) */
  ids = 0;
  /** counts changes of anything else the layout depends on (identity fields, levels, anonymous
   * batteries): the summary works the layout out again only when this or `ids` moved */
  layout = 0;
  /** counts frames whose numbers other than the current differ from the one before (`rest`: the
   * CRC-32 of the last one's columns from the voltage up to the current, the last column). A
   * working bank's current changes every second: the tick reads it on its own
   * (Supervisor.evaluate), the rest of the summary waits for a change of the others */
  seq = 0;
  rest = 0;
  /** the top level, as the summary last worked it out (tops follows it) */
  top = 0;
  // views of the arrays the tick reduces, as long as the last identified battery's position
  // (made by the summary when the layout changes): a small bank is reduced over a few slots
  vMin_mV!: Uint16Array;
  vMax_mV!: Uint16Array;
  vSpread_mV!: Uint16Array;
  vLo_dC!: Int16Array;
  vHi_dC!: Int16Array;
  vHeard_ds!: Uint32Array;

  constructor() {
    // slice k of a typed array of MAX_BATT-long slices (an arrow of the constructor's: let go after)
    const slice = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, k: number): T => a.subarray(k * MAX_BATT, k * MAX_BATT + MAX_BATT) as T;
    const b = this as { -readonly [K in keyof Bank]: Bank[K] };
    const w32 = new Uint32Array(3 * MAX_BATT);
    const w16 = new Uint16Array(4 * MAX_BATT);
    const w8 = new Uint8Array(7 * MAX_BATT);
    b.serial = slice(w32, 0);
    b.heard_ds = slice(w32, 1);
    b.anon_ds = slice(w32, 2);
    b.nom_dV = slice(w16, 0);
    b.cap_Ah = slice(w16, 1);
    b.fw = slice(w16, 2);
    b.tLo_dC = new Int16Array(w16.buffer, 6 * MAX_BATT, MAX_BATT);
    b.idCells = slice(w8, 0);
    b.type = slice(w8, 1);
    b.bal = slice(w8, 2);
    b.bad = slice(w8, 3);
    b.level = slice(w8, 4);
    b.tops = slice(w8, 5);
    b.bottoms = slice(w8, 6);
    buildViews(this, 1);
    for (let i = 0; i < MAX_BATT; i++) this.forget(i);
  }

  /** No measurement at `i`: every per-battery value back to the one that cannot win. */
  forget(i: number): void {
    // (-1 written into the unsigned arrays reads back as 0xffff and 0xffffffff: 2 bytes of
    // code, not 5 and 10)
    this.cellMin_mV[i] = -1;
    this.cellMax_mV[i] = this.spread_mV[i] = this.bal[i] = this.bad[i] = 0;
    this.t_dC[i] = -0x8000;
    this.tLo_dC[i] = 0x7fff;
    this.level[i] = NO_LEVEL;
    this.heard_ds[i] = -1;
  }

  /**
   * A checked identity record: its POS byte at `rx[at]`. Returns the battery's index when it is
   * part of the bank (the decoder then copies its cells into `cell_mV`), else -1.
   */
  identity(rx: Uint8Array, at: number): number {
    const i = rx[at] - 1;
    if (i < 0 || i >= MAX_BATT) {
      this.unplaced_ds = this.now_ds;
      return -1;
    }
    at += 2;
    const serial = (rx[at] | (rx[at + 1] << 8) | (rx[at + 2] << 16) | (rx[at + 3] << 24)) >>> 0;
    const nom = rx[at + 4] | (rx[at + 5] << 8);
    const cap = rx[at + 6] | (rx[at + 7] << 8);
    const cells = rx[at + 10];
    const kind = rx[at + 11];
    const old = this.cell_mV;
    const w = this.cellW;
    const n = w ? old.length / w : 0;
    if (nom && (cells > w || i >= n)) {
      // more cells a battery, or a battery further up, than there is room for: the cells again,
      // laid out for both (rare: while the bank identifies itself, or a layout change). Refused
      // for want of memory, the battery is one the bank cannot place: E-B05
      const cw = cells > w ? cells : w;
      // (rows for twice as many batteries, up to MAX_BATT: a bank identifying itself battery by
      // battery is laid out a few times, not once a battery)
      const slots = (i >= n ? Math.min(MAX_BATT, Math.max(i + 1, 2 * n)) : n) * cw;
      // Espruino does not throw when memory runs out: it stops the running code, the tick with it.
      // So look first (garbage collected once before a refusal): the new array (2 bytes a slot,
      // ~10 a variable) and CELLS_ROOM_VARS more for the rest of the tick
      const need = slots / 5 + CELLS_ROOM_VARS;
      if (process.memory(false).free < need && process.memory().free < need) {
        this.unplaced_ds = this.now_ds;
        return -1;
      }
      // eslint-disable-next-line no-restricted-syntax -- once per new layout, never per tick
      const a = new Uint16Array(slots);
      // (a native copy a battery, into rows as wide or wider)
      for (let k = 0; k < n; k++) a.set(old.subarray(k * w, k * w + w), k * cw);
      this.cell_mV = a;
      this.cellW = cw;
    }
    // present or not (nom_dV 0 = not) and which serial: what the learned configuration follows
    if (serial !== this.serial[i] || !this.nom_dV[i] !== !nom) this.ids++;
    if (nom !== this.nom_dV[i] || cap !== this.cap_Ah[i] || cells !== this.idCells[i] || kind !== this.type[i] || this.anon_ds[i]) {
      this.layout++;
      this.fc = -1; // its level and E-B01 bit, at the next frame
    }
    if (!nom && this.nom_dV[i]) this.forget(i); // not part of the bank: its last measurement no longer counts
    this.serial[i] = serial;
    this.nom_dV[i] = nom;
    this.cap_Ah[i] = cap;
    this.fw[i] = rx[at + 8] | (rx[at + 9] << 8);
    this.idCells[i] = cells;
    this.type[i] = kind;
    // (not heard yet: 0xffffffff, whose ~ is 0)
    if (nom && !~this.heard_ds[i]) this.heard_ds[i] = this.now_ds;
    this.anon_ds[i] = 0;
    return nom ? i : -1;
  }

  /**
   * A checked bank frame at `rx[p]` (its mark) .. `rx[end]` (just past its CRC), of N
   * batteries (its byte at p + 3). Its columns (N values each, of 1 byte for flags and cells, 2
   * for the rest) are copied into the fields, views laid out as a frame of the longest N seen
   * (buildViews): a frame of that N is one native copy. A shorter one (a battery out cuts the
   * chain) is copied a column at a time, so the batteries after the cut keep their last numbers.
   * What needs a look at each battery (levels, flags, batteries that have not identified
   * themselves) is worked out only when N, the flags or the cells changed (one number compare:
   * their CRC-32), an identity changed, a battery in the frame has no identity, or LEVELS_DS
   * after the last time. (Here, not in the decoder's scan: the text an identity record skips
   * there is read too, 0.04 reference loops a second with 50 batteries.)
   */
  frame(rx: Uint8Array, p: number, end: number, view: (from: number, to: number) => Uint8Array): void {
    const now = this.now_ds;
    const n = rx[p + 3];
    let m = n;
    if (n > MAX_BATT) {
      this.unplaced_ds = now; // a battery beyond position MAX_BATT: E-B05
      m = MAX_BATT;
    }
    // the N the views are laid out for (buildViews; a typed array's byteOffset is a getter
    // Espruino looks up by name: read once)
    let c = this.cells.byteOffset;
    if (m > c) buildViews(this, (c = m));
    // (its batteries heard now: `fill` over a view of them costs a third of `fill` with a range)
    if (n === c) {
      this.col.set(view(p + 4, end - 4));
      this.heardN.fill(now);
    } else {
      // (column by column, its first m batteries: `w` bytes a battery, 1 for flags and cells, then 2)
      for (let k = 0, a = p + 4, w = 1; k < FRAME_BYTES; k += w, a += w * n, w = k < 2 ? 1 : 2) this.col.set(view(a, a + w * m), k * c);
      this.heard_ds.fill(now, 0, m);
    }
    // N and the flags and cells columns, as one number that changes when they do; and the
    // columns after them up to the current, the last (docs/battery-link.md), likewise
    const fc = E.CRC32(view(p + 3, p + 4 + 2 * n));
    const rest = E.CRC32(view(p + 4 + 2 * n, p + 4 + 14 * n));
    if (fc !== this.fc || rest !== this.rest) {
      this.seq++;
      // the lowest temperatures follow the column (a change of the layout sets `fc` to -1 first)
      this.tLo_dC.set(this.t_dC.subarray(0, m));
    }
    this.rest = rest;
    // (indexOf's -1, none without identity, is 2^32 - 1 as unsigned)
    const same = fc === this.fc && now - this.levels_ds < LEVELS_DS && this.nom_dV.indexOf(0) >>> 0 >= m;
    this.fc = fc;
    if (same) return;
    // the per-battery part of a frame: what it says about each battery beyond its numbers
    this.levels_ds = now;
    for (let i = 0; i < m; i++) {
      if (!this.nom_dV[i]) {
        // not used until the battery says what it is
        if (!this.anon_ds[i]) {
          this.anon_ds[i] = now;
          this.layout++;
        }
        this.forget(i);
        continue;
      }
      const flags = this.flags[i];
      const v = this.v_cV[i];
      this.bal[i] = flags & FLAG_BALANCING;
      this.bad[i] = this.cells[i] !== this.idCells[i] || flags & FLAG_FAULT ? 1 : 0;
      // a battery's level in its string: its base voltage in units of its own voltage
      let level = v ? Math.round(this.base_cV[i] / v) : OFF_CHAIN;
      if (level >= MAX_BATT) level = OFF_CHAIN;
      if (level !== this.level[i]) {
        this.level[i] = level;
        this.layout++;
      }
    }
  }
}

/**
 * The fields as views of `col` laid out as a frame of `n` (at most MAX_BATT) batteries, each
 * column n values: a frame of that N is then one native copy, however many batteries it holds.
 * Made for a longer frame than any before (it allocates: once per new length, its numbers all
 * come with that frame); a battery beyond every frame's N has no slot: no measurement, as one
 * that sent none.
 */
export function buildViews(b: Bank, n: number): void {
  const c = b.col.buffer;
  b.flags = new Uint8Array(c, 0, n);
  b.cells = new Uint8Array(c, n, n);
  b.v_cV = new Uint16Array(c, 2 * n, n);
  b.base_cV = new Uint16Array(c, 4 * n, n);
  b.vHi_dC = b.t_dC = new Int16Array(c, 6 * n, n);
  b.vMin_mV = b.cellMin_mV = new Uint16Array(c, 8 * n, n);
  b.vMax_mV = b.cellMax_mV = new Uint16Array(c, 10 * n, n);
  b.vSpread_mV = b.spread_mV = new Uint16Array(c, 12 * n, n);
  b.i_dA = new Int16Array(c, 14 * n, n);
  b.vLo_dC = b.tLo_dC;
  b.vHeard_ds = b.heard_ds;
  b.heardN = b.heard_ds.subarray(0, n);
  b.layout++; // the summary makes its views of these again
}
