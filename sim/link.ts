// The battery side of docs/battery-link.md: encode identity and measurement frames as bytes on
// the wire. Written from the protocol doc, independently of the firmware's decoder (src/link/),
// so that each checks the other.
export const START = 0x7e;
export const ESC = 0x7d;
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

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF. */
export function crc16(bytes: ArrayLike<number>, from = 0, to = bytes.length): number {
  let crc = 0xffff;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i] << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** A whole frame on the wire: 7E, then LEN POS TYPE PAYLOAD CRC, byte-stuffed. */
export function frame(pos: number, type: number, payload: ArrayLike<number>, opts: { badCrc?: boolean; len?: number } = {}): Uint8Array {
  const body = [opts.len ?? payload.length + 2, pos, type, ...Array.from(payload)];
  let crc = crc16(body);
  if (opts.badCrc) crc ^= 0x0101;
  body.push(crc & 0xff, crc >> 8);
  const out = [START];
  for (const b of body) {
    if (b === START || b === ESC) out.push(ESC, b ^ 0x20);
    else out.push(b);
  }
  return Uint8Array.from(out);
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

export function measurementPayload(m: Measurement): number[] {
  const p: number[] = [(m.balancing ? 1 : 0) | (m.fault ? 2 : 0), m.cells_mV.length];
  le16(p, Math.round(m.voltage_cV));
  le16(p, Math.round(m.base_cV));
  le16(p, Math.round(m.current_dA) & 0xffff);
  le16(p, Math.round(m.temp_dC) & 0xffff);
  for (let i = 0; i < m.cells_mV.length; i++) le16(p, Math.round(m.cells_mV[i]));
  return p;
}

export const identityFrame = (pos: number, id: Identity): Uint8Array => frame(pos, TYPE_IDENTITY, identityPayload(id));
export const measurementFrame = (pos: number, m: Measurement): Uint8Array => frame(pos, TYPE_MEASUREMENT, measurementPayload(m));
