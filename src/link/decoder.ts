// Decoder of the battery link (docs/battery-link.md): received text in, checked records and bank
// frames out, with no JavaScript loop over the bytes or the batteries. Native calls do the work:
// String indexOf finds the start mark, E.CRC32 checks a record or frame, typed-array copies take
// its fields. Nothing is byte-stuffed, so the mark may also occur inside one: every candidate is
// checked (header, then CRC), and a failed one is skipped by only the mark's two bytes, so that a
// garbled record can never hide the good one after it.
import type { Bank } from "./bank";
import { FRAME_BYTES, IDENTITY_LEN, MARK, MARK0, MARK1, MAX_BATT, MAX_CELLS, TYPE_IDENTITY } from "./protocol";

/** a candidate still waiting for its rest this long after it began is given up (a whole frame of
 * 50 batteries takes 0.14 s on the line; a false header must not hold the line for long) */
const WAIT_DS = 5;

export class LinkDecoder {
  /** received text not yet decoded: at most one incomplete record or frame */
  private pending = "";
  /** when the candidate at the start of `pending` began to wait for its rest ... */
  private wait_ds = 0;
  /** ... and how long `pending` must be for it to be whole (0: none waits) */
  private need = 0;
  // counters since start, for bms.battery() and the tests
  frames = 0;
  crcErrors = 0;
  lengthErrors = 0;
  framingErrors = 0;

  constructor(private readonly bank: Bank) {}

  /** Bytes as Espruino's Serial 'data' event gives them: a string of char codes 0..255. */
  push(data: string): void {
    // (kept in `pending` at once: the text before is freed now, not after a whole frame is read)
    const s = (this.pending += data);
    const now = this.bank.now_ds;
    // a record or frame still on its way (a bank frame comes in many chunks): nothing to look at yet
    if (s.length < this.need && now - this.wait_ds < WAIT_DS) return;
    let dv: DataView | undefined;
    let p = 0;
    let need = 0;
    for (;;) {
      p = s.indexOf(MARK, p);
      if (p < 0) {
        p = s.length - 1; // keep the last byte: it may be the first of a mark
        break;
      }
      // wait for MARK LEN POS TYPE (this also covers Espruino's false match at the text's end)
      if (p + 5 > s.length) break;
      if (s.charCodeAt(p + 1) !== MARK1) {
        p++;
        continue;
      }
      // LEN 0: the bank frame (MARK 00 N columns CRC32), else a record (MARK LEN POS TYPE payload CRC32)
      const len = s.charCodeAt(p + 2);
      const n = s.charCodeAt(p + 3);
      const end = len ? p + len + 7 : p + FRAME_BYTES * n + 8;
      if (len ? s.charCodeAt(p + 4) !== TYPE_IDENTITY || (len !== IDENTITY_LEN + 8 && len !== IDENTITY_LEN + 16 && len !== IDENTITY_LEN + 32) : !n) {
        if (!this.fail(s, p, p + 5, false)) break;
        p += 2;
        continue;
      }
      if (end > s.length) {
        // the rest is still on its way, unless this is the candidate that has kept us waiting too
        // long (else the check at the top would have returned)
        if (!p && this.need) {
          this.framingErrors++;
          p += 2;
          continue;
        }
        this.wait_ds = now;
        need = end - p;
        break;
      }
      if (!dv) dv = new DataView(E.toArrayBuffer(s));
      if (E.CRC32(new Uint8Array(dv.buffer, p + 2, end - p - 6)) !== dv.getUint32(end - 4, true)) {
        if (!this.fail(s, p, end, true)) break;
        p += 2;
        continue;
      }
      // an identity's LEN must match its own cell count
      if (len && len !== IDENTITY_LEN + 2 * s.charCodeAt(p + 15)) this.lengthErrors++;
      else {
        this.frames++;
        const bk = this.bank;
        if (len) {
          // the cells, natively: a view of the record's bytes copied into the bank's cell array
          const i = bk.identity(dv, p + 3);
          if (i >= 0) bk.cellBytes.set(new Uint8Array(dv.buffer, p + 17, len - IDENTITY_LEN), 2 * MAX_CELLS * i);
        } else {
          // each field's column (n values of 1 byte for flags and cells, 2 for the rest) with one
          // native copy into the bank's array of it (a frame of 50 is laid out as the bank: one
          // copy), and the temperatures once more for the lowest
          let m = n;
          if (n > MAX_BATT) {
            bk.unplaced_ds = now; // a battery beyond position 50: E-B05
            m = MAX_BATT;
          }
          if (n === MAX_BATT) bk.col.set(new Uint8Array(dv.buffer, p + 4, FRAME_BYTES * MAX_BATT));
          else for (let o = 0; o < FRAME_BYTES; o += o < 2 ? 1 : 2) bk.col.set(new Uint8Array(dv.buffer, p + 4 + o * n, o < 2 ? m : 2 * m), o * MAX_BATT);
          bk.tLo_dC.set(bk.t_dC.subarray(0, m));
          bk.frame(s.substr(p + 4, 2 * n), m);
        }
      }
      p = end;
    }
    this.need = need;
    this.pending = p > 0 ? s.substr(p) : s;
  }

  /**
   * Count a candidate that is no record: a framing error when another mark starts inside it (a
   * record cut short by the next one), else a CRC or length error. False (count nothing yet)
   * when that depends on a byte still to come: the text ends inside it with the mark's first byte.
   */
  private fail(s: string, p: number, end: number, crc: boolean): boolean {
    if (end >= s.length && s.charCodeAt(s.length - 1) === MARK0) return false;
    const q = s.indexOf(MARK, p + 1);
    if (q >= 0 && q < end && s.charCodeAt(q + 1) === MARK1) this.framingErrors++;
    else if (crc) this.crcErrors++;
    else this.lengthErrors++;
    return true;
  }
}
