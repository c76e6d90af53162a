// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), table-driven: one table look-up per byte,
// because a bit loop costs ~8x more interpreted statements per byte on Espruino.
export const CRC_INIT = 0xffff;

export function makeCrcTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
}

export function crcStep(table: Uint16Array, crc: number, byte: number): number {
  return ((crc << 8) ^ table[((crc >> 8) ^ byte) & 0xff]) & 0xffff;
}
