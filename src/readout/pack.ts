// Victron Instant Readout, record 0x0A (BMS), packed LSB-first into 16 bytes
// (docs/instant-readout.md). Each field is one row of [bit, width]; "not available" is the
// field's all-ones value, written by the caller.
/** The record's fields, in the record's order: one typed array (numbers, no object), indexed by
 * the F_ constants; the last slot is the record's unused bit, always 1. */
export type ReadoutFields = Int32Array;
/** Victron BMS error number, 0 = none */
export const F_ERROR = 0;
/** time to go, minutes; 0xFFFF = n/a */
export const F_TTG = 1;
/** 0.01 V signed; 0x7FFF = n/a */
export const F_V = 2;
/** 0.1 A signed, + = charging; 0x7FFF = n/a */
export const F_I = 3;
/** IO status: 2-bit fields, 0 = n/a, 1 = yes, 2 = no */
export const F_IO = 4;
/** warnings/alarms: 2-bit fields, 0 = n/a, 1 = ok, 2 = warning, 3 = alarm */
export const F_ALARMS = 5;
/** 0.1 %, 0..1000; 0x3FF = n/a */
export const F_SOC = 6;
/** consumed, 0.1 Ah as a positive number; 0xFFFFF = n/a */
export const F_CONSUMED = 7;
/** °C + 40, 0..126; 0x7F = n/a */
export const F_TEMP = 8;
/** how many slots a ReadoutFields has */
export const F_COUNT = 10;

export const NA_TTG = 0xffff;
export const NA_V = 0x7fff;
export const NA_I = 0x7fff;
export const NA_SOC = 0x3ff;
export const NA_CONSUMED = 0xfffff;
export const NA_TEMP = 0x7f;

// IO status pairs (bit of the pair's low bit)
export const IO_CHARGE = 2;
export const IO_DISCHARGE = 4;
export const IO_REMOTE = 10;
export const IO_ALTERNATOR = 12;
// warnings/alarms pairs
export const WA_LOW_CELL = 0;
export const WA_BMS_TEMP = 4;
export const WA_CABLE = 8;
export const WA_LOW_SOC = 12;
export const WA_HIGH_TEMP = 16;

/** each field's width in bits + 48, in the record's order (the last: the unused bit): 8, 16,
 * 16, 16, 16, 18, 10, 20, 7, 1 */
const WIDTHS = "8@@@@B:D71";

/** The fields packed LSB-first into `out` (16 bytes); a signed field keeps its low bits. A byte
 * at a time, not a bit at a time: 19 steps for the record's 128 bits. */
export function packRecord(out: Uint8Array, f: ReadoutFields): void {
  out.fill(0);
  f[F_COUNT - 1] = 1; // unused, set to 1
  for (let k = 0, bit = 0; k < F_COUNT; k++) {
    let v = f[k];
    // the field's low bits that fit in the rest of the byte `bit` is in, then the next ones
    for (let w = WIDTHS.charCodeAt(k) - 48, n = 0; w > 0; bit += n, w -= n, v >>>= n) {
      n = 8 - (bit & 7);
      if (n > w) n = w;
      out[bit >> 3] |= (v & ((1 << n) - 1)) << (bit & 7);
    }
  }
}
