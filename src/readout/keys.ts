// The readout's records, in the on-demand module (src/api-module.ts): the key and the nonce
// reservation, read at boot and written every NONCE_BLOCK adverts and for `bms.newReadoutKey()`,
// never on the tick (docs/readout.md "Reservation").
import { loadRecord, saveRecord } from "../record";
import { hex, NONCE_BLOCK, type Readout, unhexKey } from "./readout";

const KEY_FILE = "bms.key";
const NONCE_FILE = "bms.nonce";

/** At boot: the stored key and nonce reservation, or a new key. */
export function loadReadout(ro: Readout): void {
  const r = loadRecord(ro.radio.store, NONCE_FILE);
  const n = r ? r.r : undefined;
  const k = loadRecord(ro.radio.store, KEY_FILE);
  const key = k ? unhexKey(k.k) : undefined;
  if (key) ro.key.set(key);
  // which nonces the stored key has used is known only from a good reservation: else a new key
  if (key && typeof n === "number" && (n & 0xffff) === n) {
    ro.nonce = n;
    reserveNonces(ro);
  } else newKey(ro, key ? key[0] + 1 : E.hwRand());
}

/** Readout.reserve(): the next block of nonces recorded, or a new key when the space is spent. */
export function reserveNonces(ro: Readout): void {
  if (ro.nonce >= 0xffff) return newKey(ro, ro.key[0] + 1);
  ro.reservedTo = Math.min(ro.nonce + NONCE_BLOCK, 0xffff);
  // an unrecorded block could be reused after a restart: then nothing more is sent (E-B11)
  if (!saveRecord(ro.radio.store, NONCE_FILE, { r: ro.reservedTo })) ro.storeOk = 0;
}

/** A new key: byte 0 given (receivers match on it), the other 15 random; nonces from 1 again. */
export function newKey(ro: Readout, byte0: number): void {
  // (a Uint8Array keeps the low 8 bits of what it is given: byte 0 wraps from 255 to 0, and
  // each other byte is the low byte of 32 random bits from the radio's generator)
  ro.key[0] = byte0;
  for (let k = 1; k < 16; k++) ro.key[k] = E.hwRand();
  // the key is stored before its first reservation: a restart in between finds the new key
  // with the old key's reservation, which only skips nonces
  if (!saveRecord(ro.radio.store, KEY_FILE, { k: hex(ro.key) })) ro.storeOk = 0;
  ro.sent = 0; // what is on air was under the old key
  ro.nonce = 0;
  reserveNonces(ro);
}
