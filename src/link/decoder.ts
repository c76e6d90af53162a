// Decoder of the battery link (docs/battery-link.md): received bytes in, checked records and bank
// frames out, with no JavaScript loop over the bytes or the batteries. Each chunk of received text
// is copied with one native call into a receive buffer allocated once (as long as the longest
// frame), so no string of a whole frame and no flat copy of it ever exist. Native calls do the
// rest: typed-array indexOf finds the start mark, E.CRC32 checks a record or frame over a view of
// the buffer, typed-array copies take its fields. Nothing is byte-stuffed, so the mark may also
// occur inside one: every candidate is checked (header, then CRC), and a failed one is skipped by
// only the mark's two bytes, so that a garbled record can never hide the good one after it.
import type { Bank } from "./bank";
import { FRAME_BYTES, IDENTITY_LEN, MARK0, MARK1, MAX_N, TYPE_IDENTITY } from "./protocol";

/** a candidate still waiting for its rest this long after it began is given up (a whole frame of
 * 50 batteries takes 0.14 s on the line; a false header must not hold the line for long) */
const WAIT_DS = 5;
/** the receive buffer: the longest frame (MAX_N batteries; a record is at most 53 bytes) */
const RX_BYTES = FRAME_BYTES * MAX_N + 8;
const CRC_RESIDUE = 0x2144df1c;

export class LinkDecoder {
  /** received bytes not yet decoded, from index 0 to `got`: a candidate still on its way always
   * starts at 0 */
  private readonly rx = new Uint8Array(RX_BYTES);
  // the buffer's own subarray(), bound once: called as `rx.subarray(…)`, Espruino finds the method
  // by name among its built-ins at every call; bound, it does not (docs/device-budget.md "Built-ins
  // held in variables"). A frame makes 5 to 8 views; 4 variables. (Not `set` too: one call a
  // chunk, it would save 0.0015 reference loops a second at 1s1p and 0.05 at 2s25p, which meets
  // its budget without it, for as many variables; RAM is the scarcer)
  private readonly view = this.rx.subarray.bind(this.rx);
  private got = 0;
  /** when the candidate at 0 began to wait for its rest ... */
  private wait_ds = 0;
  /** ... and how many bytes it needs to be whole (0: none waits) */
  private need = 0;
  // counters since start, for bms.battery() and the tests
  frames = 0;
  crcErrors = 0;
  lengthErrors = 0;
  framingErrors = 0;

  /** `now`: the clock in deciseconds (read once a scan, not once a chunk) */
  constructor(private readonly bank: Bank, private readonly now: () => number) {}

  /**
   * The Serial 'data' handler itself (bound, so nothing runs between the event and the copy):
   * bytes as a string of char codes 0..255. A frame comes in many chunks: each is copied on, and
   * nothing more is done until the candidate waiting is whole or has waited too long, judged by
   * the bank's clock as the last scan or tick set it (no clock read per chunk).
   */
  push(data: string): void {
    const g = this.got;
    // (a string's length is a getter Espruino looks up by name: read once, a local costs less)
    const n = data.length;
    if (n > RX_BYTES - g) {
      // (rare) taken in parts: a full buffer is always scanned, and a scan always leaves room
      this.push(data.substr(0, RX_BYTES - g));
      this.push(data.substr(RX_BYTES - g));
      return;
    }
    // Espruino's set() takes a string as its char codes: one native copy (the simulated board
    // does the same)
    this.rx.set(data as unknown as Uint8Array, g);
    if ((this.got = g + n) >= this.need || this.bank.now_ds - this.wait_ds >= WAIT_DS) this.scan();
  }

  /** Decode what the buffer holds; keep (moved to the start) only a candidate still on its way. */
  private scan(): void {
    const rx = this.rx;
    const got = this.got;
    const now = (this.bank.now_ds = this.now());
    let p = 0;
    let need = 0;
    // (a mark's first byte just past the bytes received stops every search there: beyond are old ones)
    if (got < RX_BYTES) rx[got] = MARK0;
    // the next mark, where the last record ended or by a native search, is the loop's condition:
    // Espruino leaves a loop whose condition fails without reading its body again, whereas a
    // `break` reads the rest of the body to its end (docs/device-budget.md "The cost model")
    for (; (rx[p] === MARK0 || (p = rx.indexOf(MARK0, p)) >= 0) && p < got; ) {
      // wait for MARK LEN POS TYPE
      if (p + 5 > got) break;
      if (rx[p + 1] !== MARK1) {
        p++;
        continue;
      }
      // LEN 0: the bank frame (MARK 00 N columns CRC32), else a record (MARK LEN POS TYPE payload CRC32)
      const len = rx[p + 2];
      const n = rx[p + 3];
      const end = len ? p + len + 7 : p + FRAME_BYTES * n + 8;
      if (len ? rx[p + 4] !== TYPE_IDENTITY || (len !== IDENTITY_LEN + 8 && len !== IDENTITY_LEN + 16 && len !== IDENTITY_LEN + 32) : !n || n > MAX_N) {
        if (!this.fail(p, p + 5, false)) break;
        p += 2;
        continue;
      }
      if (end > got) {
        // the rest is still on its way, unless this is the candidate that has kept us waiting too
        // long (else push would not have scanned)
        if (!p && this.need) {
          this.framingErrors++;
          p += 2;
          continue;
        }
        this.wait_ds = now;
        need = end - p;
        break;
      }
      // (the CRC-32 of bytes followed by their own CRC, little-endian, is always CRC_RESIDUE)
      if (E.CRC32(this.view(p + 2, end)) !== CRC_RESIDUE) {
        if (!this.fail(p, end, true)) break;
        p += 2;
        continue;
      }
      // an identity's LEN must match its own cell count
      if (len && len !== IDENTITY_LEN + 2 * rx[p + 15]) this.lengthErrors++;
      else {
        this.frames++;
        const bk = this.bank;
        if (len) {
          // the cells, natively: a view of the record's bytes copied into the bank's cell array
          const i = bk.identity(rx, p + 3);
          if (i >= 0) new Uint8Array(bk.cell_mV.buffer).set(this.view(p + 17, end - 4), bk.cellW * 2 * i);
        } else bk.frame(rx, p, end, this.view);
      }
      p = end;
    }
    // (no mark before the end: all is read)
    if (p < 0 || p > got) p = got;
    this.need = need;
    if (p) {
      if (p < got) rx.set(this.view(p, got));
      this.got = got - p;
    }
  }

  /**
   * Count a candidate that is no record: a framing error when another mark starts inside it (a
   * record cut short by the next one), else a CRC or length error. False (count nothing yet)
   * when that depends on a byte still to come: the bytes end inside it with the mark's first
   * byte (unless the buffer is full: then it is counted as it stands).
   */
  private fail(p: number, end: number, crc: boolean): boolean {
    const rx = this.rx;
    const got = this.got;
    if (end >= got && got < RX_BYTES && rx[got - 1] === MARK0) return false;
    for (let q = p + 1; ; q++) {
      q = rx.indexOf(MARK0, q);
      if (q < 0 || q >= end || q + 1 >= got) break;
      if (rx[q + 1] === MARK1) {
        this.framingErrors++;
        return true;
      }
    }
    if (crc) this.crcErrors++;
    else this.lengthErrors++;
    return true;
  }
}
