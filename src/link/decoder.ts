// Streaming decoder of the battery link (docs/battery-link.md): bytes in, checked frames out.
// One fixed buffer, no allocation per byte or per frame. A 7E always starts a new frame, so a
// cut or garbled frame can never swallow the next good one.
//
//   IDLE --7E--> FRAME --LEN..CRC complete--> check --> IDLE
//   FRAME --7E--> FRAME (framing error: the partial frame is dropped)
import { CRC_INIT, crcStep, makeCrcTable } from "./crc";
import { ESC, IDENTITY_BYTES, MAX_LEN, START, TYPE_IDENTITY, TYPE_MEASUREMENT } from "./protocol";

/** Called with the unstuffed frame: buf[0] LEN, buf[1] POS, buf[2] TYPE, payload from buf[3]. */
export type FrameSink = (buf: Uint8Array) => void;

export class LinkDecoder {
  readonly buf = new Uint8Array(MAX_LEN + 3);
  private readonly crcTable = makeCrcTable();
  private inFrame = false;
  private esc = false;
  private n = 0;
  private need = 0;
  private crc = CRC_INIT;
  // counters since start, for bms.battery() and the tests
  frames = 0;
  crcErrors = 0;
  lengthErrors = 0;
  framingErrors = 0;

  constructor(private readonly sink: FrameSink) {}

  /** Bytes as Espruino's Serial 'data' event gives them: a string of char codes 0..255. */
  push(data: string): void {
    for (let i = 0; i < data.length; i++) this.byte(data.charCodeAt(i));
  }

  byte(b: number): void {
    if (b === START) {
      if (this.inFrame && this.n > 0) this.framingErrors++;
      this.inFrame = true;
      this.esc = false;
      this.n = 0;
      this.crc = CRC_INIT;
      return;
    }
    if (!this.inFrame) return; // noise between frames
    if (b === ESC) {
      this.esc = true;
      return;
    }
    if (this.esc) {
      b ^= 0x20;
      this.esc = false;
    }
    if (this.n === 0) {
      if (b < 2 || b > MAX_LEN) return this.drop();
      this.need = b + 3; // LEN itself + LEN bytes + 2 CRC bytes
    }
    if (this.n < this.need - 2) this.crc = crcStep(this.crcTable, this.crc, b);
    this.buf[this.n++] = b;
    if (this.n === this.need) this.finish();
  }

  private drop(): void {
    this.lengthErrors++;
    this.inFrame = false;
  }

  private finish(): void {
    this.inFrame = false;
    const buf = this.buf;
    const len = buf[0];
    if ((buf[len + 1] | (buf[len + 2] << 8)) !== this.crc) {
      this.crcErrors++;
      return;
    }
    if (!payloadFits(buf[2], len - 2, buf[4])) {
      this.lengthErrors++;
      return;
    }
    this.frames++;
    this.sink(buf);
  }
}

/**
 * Is this a type we know, with the payload size its type needs? Any position passes: a good
 * frame from a place the bank cannot hold (0, or beyond MAX_BATT) is a battery heard, and the
 * bank makes it E-B05, never silence.
 */
function payloadFits(type: number, payload: number, cells: number): boolean {
  if (type === TYPE_IDENTITY) return payload === IDENTITY_BYTES;
  if (type !== TYPE_MEASUREMENT) return false;
  return (cells === 4 || cells === 8 || cells === 16) && payload === 10 + 2 * cells;
}
