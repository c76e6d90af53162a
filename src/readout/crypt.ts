// AES-128-CTR as Victron's receivers expect it, built on ECB because Espruino's own CTR mode
// ignores the IV (docs/espruino.md): keystream = AES-ECB(key, [nonce lo, nonce hi, 0 x 14]).
export type EcbEncrypt = (block: Uint8Array, key: Uint8Array) => ArrayBuffer;

/**
 * The 24 bytes after the company id 0x02E1: 0x10, 0x00, product id (LE), record type 0x0A,
 * nonce (LE), key check (key byte 0), then the 16 bytes of `plain` encrypted: plain XOR
 * keystream(nonce), AES-CTR done with AES-ECB (`block` is 16 bytes of scratch).
 */
export function sealAdvert(out: Uint8Array, ecb: EcbEncrypt, productId: number, nonce: number, key: Uint8Array, plain: Uint8Array, block: Uint8Array): void {
  out[0] = 0x10;
  out[1] = 0x00;
  out[2] = productId & 0xff;
  out[3] = productId >> 8;
  out[4] = 0x0a;
  block.fill(0);
  out[5] = block[0] = nonce & 0xff;
  out[6] = block[1] = (nonce >> 8) & 0xff;
  out[7] = key[0];
  const ks = new Uint8Array(ecb(block, key));
  // (16, not plain.length: a length is a getter Espruino looks up by name, at every turn)
  for (let k = 0; k < 16; k++) out[8 + k] = plain[k] ^ ks[k];
}
