// AES-128-CTR as Victron's receivers expect it, built on ECB because Espruino's own CTR mode
// ignores the IV (docs/espruino.md): keystream = AES-ECB(key, [nonce lo, nonce hi, 0 x 14]).
export type EcbEncrypt = (block: Uint8Array, key: Uint8Array) => ArrayBuffer;

/** out = plain XOR keystream(nonce); `block` is 16 bytes of scratch. */
export function ctrEncrypt(ecb: EcbEncrypt, key: Uint8Array, nonce: number, plain: Uint8Array, out: Uint8Array, block: Uint8Array): void {
  block.fill(0);
  block[0] = nonce & 0xff;
  block[1] = (nonce >> 8) & 0xff;
  const ks = new Uint8Array(ecb(block, key));
  for (let k = 0; k < plain.length; k++) out[k] = plain[k] ^ ks[k];
}

/**
 * The 24 bytes after the company id 0x02E1: 0x10, 0x00, product id (LE), record type 0x0A,
 * nonce (LE), key check (key byte 0), then the 16 encrypted bytes.
 */
export function advertData(out: Uint8Array, productId: number, nonce: number, key: Uint8Array, enc: Uint8Array): void {
  out[0] = 0x10;
  out[1] = 0x00;
  out[2] = productId & 0xff;
  out[3] = productId >> 8;
  out[4] = 0x0a;
  out[5] = nonce & 0xff;
  out[6] = (nonce >> 8) & 0xff;
  out[7] = key[0];
  out.set(enc, 8);
}
