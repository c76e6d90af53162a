// Decoder of the battery link (docs/battery-link.md): received text in, checked records out,
// with no JavaScript loop over the bytes. Native calls do the work: String indexOf finds the
// start mark, E.CRC32 checks a record, a DataView reads its fields. Records are not
// byte-stuffed, so the mark may also occur inside one: every candidate is checked (header, then
// CRC), and a failed one is skipped by only the mark's two bytes, so that a garbled record can
// never hide the good one after it.
import type { Bank } from "./bank";
import { IDENTITY_LEN, MARK, MAX_CELLS, MARK0, MARK1, MEASUREMENT_LEN, TYPE_IDENTITY, TYPE_MEASUREMENT } from "./protocol";

export class LinkDecoder {
  /** received text not yet decoded: at most one incomplete record */
  private pending = "";
  // counters since start, for bms.battery() and the tests
  frames = 0;
  crcErrors = 0;
  lengthErrors = 0;
  framingErrors = 0;

  constructor(private readonly bank: Bank) {}

  /** Bytes as Espruino's Serial 'data' event gives them: a string of char codes 0..255. */
  push(data: string): void {
    const s = this.pending + data;
    let dv: DataView | undefined;
    let p = 0;
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
      const len = s.charCodeAt(p + 2);
      const type = s.charCodeAt(p + 4);
      const end = p + len + 7; // MARK, LEN, LEN bytes, CRC32
      if (type === TYPE_IDENTITY ? len !== IDENTITY_LEN : type !== TYPE_MEASUREMENT || (len !== MEASUREMENT_LEN + 8 && len !== MEASUREMENT_LEN + 16 && len !== MEASUREMENT_LEN + 32)) {
        if (!this.fail(s, p, p + 5, false)) break;
        p += 2;
        continue;
      }
      if (end > s.length) break; // the rest is still on its way
      if (!dv) dv = new DataView(E.toArrayBuffer(s));
      if (E.CRC32(s.substr(p + 2, len + 1)) !== dv.getUint32(end - 4, true)) {
        if (!this.fail(s, p, end, true)) break;
        p += 2;
        continue;
      }
      if (type === TYPE_MEASUREMENT && len !== MEASUREMENT_LEN + 2 * s.charCodeAt(p + 6)) this.lengthErrors++;
      else {
        this.frames++;
        const i = this.bank.ingest(dv, p + 3, type);
        // the cells, natively: a view of the record's bytes copied into the bank's cell array
        if (i >= 0) this.bank.cellBytes.set(new Uint8Array(dv.buffer, p + 21, len - MEASUREMENT_LEN), 2 * MAX_CELLS * i);
      }
      p = end;
    }
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
