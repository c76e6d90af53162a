// Instant Readout state: the key, the nonce and the last payload. Whenever the outputs are
// decided the live state is looked at. A payload whose codes, outputs or remote changed goes out
// at once; any other change waits until READOUT_GAP ticks have passed since the last payload
// (and the next decision after that); an unchanged one needs no nonce. Nonces survive restarts
// by reservation: a record holds the last nonce of a small block, written before the block is
// used, so a restart starts past every nonce used before it. When the 16-bit space is spent the
// key rotates (byte 0 + 1) and the nonce starts again (docs/readout.md).
import { type EcbEncrypt, sealAdvert } from "./crypt";
import { liveFields, type LiveState } from "./live";
import { bankData } from "../protect/link-codes";
import { F_COUNT, packRecord } from "./pack";

export const PRODUCT_SMALLBMS_NG = 0xa3ec;
/** nonces reserved per flash write: a restart wastes at most this many (docs/readout.md) */
export const NONCE_BLOCK = 64;
/** ticks between two payloads unless a code, an output or the remote changed (our choice; the
 * look after the gap comes with the next decision, at most OUT_REASSERT_TICKS later) */
export const READOUT_GAP = 60;

export interface ReadoutRadio {
  ecb: EcbEncrypt;
  /** put the 24 bytes of manufacturer data on air */
  advertise(data: Uint8Array): void;
}

export function hex(bytes: Uint8Array): string {
  let s = "";
  // (256 + a byte: three hex digits, the first "1")
  for (let k = 0; k < bytes.length; k++) s += (bytes[k] + 256).toString(16).slice(1);
  return s;
}

/** A readout key's 16 bytes from its 32 hex digits, or undefined unless it is exactly that. */
export function unhexKey(text: unknown): Uint8Array | undefined {
  // (Espruino's regular expressions have no {n}: the length is checked apart)
  if (typeof text !== "string" || text.length !== 32 || !/^[0-9a-f]*$/i.test(text)) return undefined;
  const out = new Uint8Array(16);
  for (let k = 0; k < 16; k++) out[k] = parseInt(text.substr(2 * k, 2), 16);
  return out;
}

/** Storage, and the on-demand module that records the nonce reservations (the `Store` port, src/ports.ts) */
export interface ReadoutStore {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
  mod(keep: boolean): { reserve(ro: Readout): void } | null | undefined;
}

export class Readout {
  readonly key = new Uint8Array(16);
  /** the record's fields (pack.ts F_...), written by liveFields */
  readonly fields = new Int32Array(F_COUNT);
  readonly plain = new Uint8Array(16);
  readonly onAir = new Uint8Array(16);
  readonly data = new Uint8Array(24);
  nonce = 0;
  reservedTo = 0;
  // (the flags below are 0/1, not booleans: a small number is held in the property's own
  // variable, a boolean takes one more, docs/device-budget.md "The cost model")
  /** a payload is on air (1) */
  sent = 0;
  /** the radio showed something else: put the payload back on air at the next update (1) */
  again = 0;
  /** the tick of the last payload (or of the last look after the gap that found nothing new) */
  private at = 0;
  /** what the look was last made for: the codes and the urgent fields' inputs as one number */
  private lastKey = -1;
  /** 0 when a record write was refused (E-B11) */
  storeOk = 1;

  /** the radio and Storage: the hardware itself (one field, not two) */
  constructor(readonly radio: ReadoutRadio & { readonly store: ReadoutStore }) {}

  /**
   * Called with the live state whenever the outputs are decided (Supervisor.decide: when the
   * codes change, at a remote edge, a new Mode or settings, and every OUT_REASSERT_TICKS). The
   * payload is made (live.ts) and packed only when what the urgent fields (error, IO status,
   * warnings and alarms) are made of changed, or the gap has passed: else a call costs two
   * comparisons, the other numbers are looked at again once READOUT_GAP ticks have passed, and a
   * change goes out then. Then it is sent under the next nonce if it changed and may go now. true
   * if sent.
   */
  update(s: LiveState): boolean {
    const codes = s.active;
    // besides the codes, every input of the urgent fields as one number: a new input of those
    // fields belongs here too
    // (codes below 2^32, the inputs below 2^11: one exact number)
    const key = codes * 0x800 + (s.outputs | (s.remoteOn ? 0x100 : 0) | (__PROFILE__ !== "12-200" && s.soc.counter.known ? 0x200 : 0) | (bankData(s.summary) ? 0x400 : 0));
    if (this.sent && !this.again && s.ticks - this.at < READOUT_GAP && key === this.lastKey) return false;
    return this.look(s, key);
  }

  /**
   * The payload made, packed and sent if it changed and may go now (update, when something that
   * matters changed or the gap has passed). A method of its own: Espruino reads every character of
   * a function it calls, run or skipped, and update runs every tick (docs/device-budget.md).
   */
  private look(s: LiveState, key: number): boolean {
    this.lastKey = key;
    liveFields(this.fields, s);
    packRecord(this.plain, this.fields);
    const p = this.plain;
    const o = this.onAir;
    let same = this.sent === 1;
    for (let k = 0; k < 16 && same; k++) same = p[k] === o[k];
    if (!this.storeOk) return false;
    if (same) {
      // the same plaintext under the same nonce is the same advert: no new nonce needed
      if (this.again) this.radio.advertise(this.data);
      this.again = 0;
      // looked at after the gap and nothing changed: look again after another gap
      if (s.ticks - this.at >= READOUT_GAP) this.at = s.ticks;
      return false;
    }
    // error (byte 0), IO status and warnings/alarms (bits 56..89) go out at once
    let urgent = !this.sent || this.again === 1 || p[0] !== o[0] || ((p[11] ^ o[11]) & 3) !== 0;
    for (let k = 7; k < 11 && !urgent; k++) urgent = p[k] !== o[k];
    if (!urgent && s.ticks - this.at < READOUT_GAP) return false;
    if (this.nonce >= this.reservedTo) {
      // record that nonces up to nonce + NONCE_BLOCK may be used (before any of them is); a new
      // key when the 16-bit space is spent. The work is in the on-demand module (keys.ts
      // `reserveNonces`); without it nothing is reserved, so nothing is sent
      const m = this.radio.store.mod(false);
      if (m) m.reserve(this);
    }
    if (!this.storeOk || this.nonce >= this.reservedTo) return false;
    this.nonce++;
    sealAdvert(this.data, this.radio.ecb, PRODUCT_SMALLBMS_NG, this.nonce, this.key, this.plain, this.onAir); // (onAir as AES scratch: set again just below)
    this.onAir.set(this.plain);
    this.sent = 1;
    this.again = 0;
    this.at = s.ticks;
    this.radio.advertise(this.data);
    return true;
  }
}
