// The battery side of docs/battery-link.md: encode identity records and the bank frame as bytes
// on the wire. Written from the protocol doc, independently of the firmware's decoder (src/link/),
// so that each checks the other.
/** the two bytes that start every record and the bank frame */
export const MARK = [0x7e, 0x5a] as const;
export const TYPE_IDENTITY = 1;
/** bytes per battery in the bank frame */
export const FRAME_BYTES = 16;
/** the most batteries a bank frame covers: a battery beyond position 50 puts its numbers in
 * slot 51 (each one nearer the BMS overwriting them), only so the BMS knows it is there */
export const MAX_N = 51;
export const LINK_BAUD = 57600;

export interface Identity {
  serial: number;
  nominal_dV: number; // 128, 256 or 512
  capacity_Ah: number;
  firmware: number; // major * 256 + minor
  cells: number;
  type: number; // 1 = Lithium NG
}

export interface Measurement {
  balancing: boolean;
  fault?: boolean;
  voltage_cV: number;
  base_cV: number;
  current_dA: number;
  temp_dC: number;
  cells_mV: ArrayLike<number>;
  /** what the battery reports as its lowest and highest cell, when not worked out from cells_mV */
  cellMin_mV?: number;
  cellMax_mV?: number;
}

/** CRC-32 as zlib computes it: reflected poly 0xEDB88320, init and final XOR 0xFFFFFFFF. */
export function crc32(bytes: ArrayLike<number>): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i] & 0xff;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A whole record on the wire: 7E 5A, then LEN POS TYPE PAYLOAD, then the CRC-32 of LEN..PAYLOAD. */
export function frame(pos: number, type: number, payload: ArrayLike<number>, opts: { badCrc?: boolean; len?: number } = {}): Uint8Array {
  const body = [opts.len ?? payload.length + 2, pos, type, ...Array.from(payload)];
  let crc = crc32(body);
  if (opts.badCrc) crc = (crc ^ 0x01010101) >>> 0;
  return Uint8Array.from([...MARK, ...body, crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]);
}

function le16(out: number[], v: number): void {
  out.push(v & 0xff, (v >> 8) & 0xff);
}

/** The identity record's payload: the 12 identity bytes, then `id.cells` cell voltages. */
export function identityPayload(id: Identity, cells_mV: ArrayLike<number>): number[] {
  const p: number[] = [];
  le16(p, id.serial & 0xffff);
  le16(p, (id.serial >>> 16) & 0xffff);
  le16(p, id.nominal_dV);
  le16(p, id.capacity_Ah);
  le16(p, id.firmware);
  p.push(id.cells, id.type);
  // as many cells as the identity says (a test's battery may claim more than its model has)
  for (let c = 0; c < id.cells; c++) le16(p, Math.round(cells_mV[c % cells_mV.length]));
  return p;
}

/** The fields of a battery's slot in the bank frame; it works out its own lowest and highest cell. */
export function slot(m: Measurement): number[] {
  const cells = Array.from(m.cells_mV, (v) => Math.round(v));
  const lo = m.cellMin_mV ?? Math.min(...cells);
  const hi = m.cellMax_mV ?? Math.max(...cells);
  return [(m.balancing ? 1 : 0) | (m.fault ? 2 : 0), cells.length, Math.round(m.voltage_cV), Math.round(m.base_cV),
    Math.round(m.temp_dC) & 0xffff, lo, hi, hi - lo, Math.round(m.current_dA) & 0xffff];
}

/**
 * The bank frame of positions 1..N (N = ms.length, ms[0] the battery next to the BMS):
 * 7E 5A 00 N, then each field's column (flags, cells: 1 byte each; the rest 2), then the CRC-32
 * of 00 .. the last column byte.
 */
export function bankFrame(ms: Measurement[], opts: { badCrc?: boolean } = {}): Uint8Array {
  const n = ms.length;
  const slots = ms.map(slot);
  const body = [0, n];
  for (let f = 0; f < 9; f++) {
    for (const sl of slots) {
      if (f < 2) body.push(sl[f] & 0xff);
      else le16(body, sl[f]);
    }
  }
  let crc = crc32(body);
  if (opts.badCrc) crc = (crc ^ 0x01010101) >>> 0;
  return Uint8Array.from([...MARK, ...body, crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]);
}

export const identityFrame = (pos: number, id: Identity, cells_mV: ArrayLike<number>): Uint8Array => frame(pos, TYPE_IDENTITY, identityPayload(id, cells_mV));
