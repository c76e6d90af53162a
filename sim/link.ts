// The battery side of docs/battery-link.md: encode identity and measurement records as bytes on
// the wire. Written from the protocol doc, independently of the firmware's decoder (src/link/),
// so that each checks the other.
/** the two bytes that start every record */
export const MARK = [0x7e, 0x5a] as const;
export const TYPE_IDENTITY = 1;
export const TYPE_MEASUREMENT = 2;
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

export function identityPayload(id: Identity): number[] {
  const p: number[] = [];
  le16(p, id.serial & 0xffff);
  le16(p, (id.serial >>> 16) & 0xffff);
  le16(p, id.nominal_dV);
  le16(p, id.capacity_Ah);
  le16(p, id.firmware);
  p.push(id.cells, id.type);
  return p;
}

/** The battery works out its own lowest and highest cell (the first one of equals, 1-based). */
export function measurementPayload(m: Measurement): number[] {
  const cells = Array.from(m.cells_mV, (v) => Math.round(v));
  let lo = 0;
  let hi = 0;
  cells.forEach((v, c) => {
    if (v < cells[lo]) lo = c;
    if (v > cells[hi]) hi = c;
  });
  const p: number[] = [(m.balancing ? 1 : 0) | (m.fault ? 2 : 0), cells.length];
  le16(p, Math.round(m.voltage_cV));
  le16(p, Math.round(m.base_cV));
  le16(p, Math.round(m.current_dA) & 0xffff);
  le16(p, Math.round(m.temp_dC) & 0xffff);
  le16(p, cells[lo]);
  le16(p, cells[hi]);
  p.push(lo + 1, hi + 1);
  for (const v of cells) le16(p, v);
  return p;
}

export const identityFrame = (pos: number, id: Identity): Uint8Array => frame(pos, TYPE_IDENTITY, identityPayload(id));
export const measurementFrame = (pos: number, m: Measurement): Uint8Array => frame(pos, TYPE_MEASUREMENT, measurementPayload(m));
