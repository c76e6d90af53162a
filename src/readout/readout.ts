// Instant Readout state: the key, the nonce and the last payload. Each tick the live state is
// packed; only a payload that differs from the one on air is encrypted, under the next nonce.
// Nonces survive restarts by reservation: a record holds the first nonce of the next block, so
// a restart starts past every nonce used before it and a nonce never carries two payloads.
import { RecordStore, type RawStore } from "../record";
import { advertData, ctrEncrypt, type EcbEncrypt } from "./crypt";
import { packRecord, type ReadoutFields } from "./pack";

export const PRODUCT_SMALLBMS_NG = 0xa3ec;
export const NONCE_BLOCK = 4096; // one flash write per 4096 payloads (~68 min at one a second)

export interface ReadoutRadio {
  ecb: EcbEncrypt;
  /** 32 random bits */
  random(): number;
  /** put the 24 bytes of manufacturer data on air */
  advertise(data: Uint8Array): void;
}

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (let k = 0; k < bytes.length; k++) s += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
  return s;
}

/** Bytes from hex, or undefined unless it is exactly `n` bytes of hex digits. */
export function unhex(text: unknown, n: number): Uint8Array | undefined {
  if (typeof text !== "string" || text.length !== 2 * n || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = parseInt(text.slice(2 * k, 2 * k + 2), 16);
  return out;
}

export class Readout {
  readonly key = new Uint8Array(16);
  readonly fields: ReadoutFields = { error: 0, ttg_min: 0, v_cV: 0, i_dA: 0, io: 0, alarms: 0, soc_pm: 0, consumed_dAh: 0, temp_C40: 0 };
  readonly plain = new Uint8Array(16);
  readonly onAir = new Uint8Array(16);
  readonly data = new Uint8Array(24);
  private readonly enc = new Uint8Array(16);
  private readonly block = new Uint8Array(16);
  nonce = 0;
  private reservedTo = 0;
  private sent = false;
  private readonly keyRec: RecordStore;
  private readonly nonceRec: RecordStore;
  /** false when a record write was refused (E-B11) */
  storeOk = true;

  constructor(readonly radio: ReadoutRadio, io: RawStore) {
    this.keyRec = new RecordStore(io, "bms.key", 1);
    this.nonceRec = new RecordStore(io, "bms.nonce", 1);
    const k = this.keyRec.load();
    const key = k ? unhex(k.k, 16) : undefined;
    if (key) this.key.set(key);
    else this.newKey(this.radio.random() & 0xff);
    const r = this.nonceRec.load();
    this.nonce = r && typeof r.r === "number" ? r.r & 0xffff : 0;
    this.reserve();
  }

  private reserve(): void {
    this.reservedTo = this.nonce + NONCE_BLOCK;
    // an unrecorded block could be reused after a restart: then nothing more is sent (E-B11)
    this.storeOk = this.nonceRec.save({ r: this.reservedTo & 0xffff }) && this.storeOk;
  }

  /** A new key: byte 0 given (receivers match on it), the other 15 random. */
  newKey(byte0: number): void {
    this.key[0] = byte0 & 0xff;
    for (let k = 1; k < 16; k += 4) {
      const r = this.radio.random();
      for (let j = 0; j < 4 && k + j < 16; j++) this.key[k + j] = (r >> (8 * j)) & 0xff;
    }
    this.storeOk = this.keyRec.save({ k: hex(this.key) }) && this.storeOk;
    this.sent = false; // what is on air was under the old key
  }

  /** Send the next payload even if unchanged (after the radio was given other adverts). */
  resend(): void {
    this.sent = false;
  }

  /** Pack `fields`; if the payload changed, send it under the next nonce. true if sent. */
  update(): boolean {
    packRecord(this.plain, this.fields);
    let same = this.sent;
    for (let k = 0; k < 16 && same; k++) same = this.plain[k] === this.onAir[k];
    if (same || !this.storeOk) return false;
    this.nonce = (this.nonce + 1) & 0xffff;
    if (this.nonce === (this.reservedTo & 0xffff)) this.reserve();
    if (!this.storeOk) return false;
    ctrEncrypt(this.radio.ecb, this.key, this.nonce, this.plain, this.enc, this.block);
    advertData(this.data, PRODUCT_SMALLBMS_NG, this.nonce, this.key, this.enc);
    this.onAir.set(this.plain);
    this.sent = true;
    this.radio.advertise(this.data);
    return true;
  }
}
