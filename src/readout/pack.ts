// Victron Instant Readout, record 0x0A (BMS), packed LSB-first into 16 bytes
// (docs/instant-readout.md). Each field is one row of [bit, width]; "not available" is the
// field's all-ones value, written by the caller.
export interface ReadoutFields {
  /** Victron BMS error number, 0 = none */
  error: number;
  /** time to go, minutes; 0xFFFF = n/a */
  ttg_min: number;
  /** 0.01 V signed; 0x7FFF = n/a */
  v_cV: number;
  /** 0.1 A signed, + = charging; 0x7FFF = n/a */
  i_dA: number;
  /** IO status: 2-bit fields, 0 = n/a, 1 = yes, 2 = no */
  io: number;
  /** warnings/alarms: 2-bit fields, 0 = n/a, 1 = ok, 2 = warning, 3 = alarm */
  alarms: number;
  /** 0.1 %, 0..1000; 0x3FF = n/a */
  soc_pm: number;
  /** consumed, 0.1 Ah as a positive number; 0xFFFFF = n/a */
  consumed_dAh: number;
  /** °C + 40, 0..126; 0x7F = n/a */
  temp_C40: number;
}

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

/** Write `width` bits of `value` at `bit` (out must start zeroed). */
function put(out: Uint8Array, bit: number, width: number, value: number): void {
  for (let k = 0; k < width; k++) {
    if ((value >>> k) & 1) out[(bit + k) >> 3] |= 1 << ((bit + k) & 7);
  }
}

export function packRecord(out: Uint8Array, f: ReadoutFields): void {
  out.fill(0);
  put(out, 0, 8, f.error);
  put(out, 8, 16, f.ttg_min);
  put(out, 24, 16, f.v_cV & 0xffff);
  put(out, 40, 16, f.i_dA & 0xffff);
  put(out, 56, 16, f.io);
  put(out, 72, 18, f.alarms);
  put(out, 90, 10, f.soc_pm);
  put(out, 100, 20, f.consumed_dAh);
  put(out, 120, 7, f.temp_C40);
  put(out, 127, 1, 1); // unused, set to 1
}
