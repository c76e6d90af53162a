// Checked records in Storage: JSON followed by its CRC-16 as 4 hex digits, written to two files
// in turn, each with a sequence number. A torn or corrupt write fails its check and the other
// copy (the previous good record) is used: never garbage, never a half-written record.
import { CRC_INIT, crcStep, makeCrcTable } from "./link/crc";

export interface RawStore {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
}

let table: Uint16Array | undefined;
function crcOf(text: string): number {
  if (!table) table = makeCrcTable();
  let crc = CRC_INIT;
  for (let i = 0; i < text.length; i++) crc = crcStep(table, crc, text.charCodeAt(i) & 0xff);
  return crc;
}

function hex4(n: number): string {
  return ("000" + n.toString(16)).slice(-4);
}

/** The record's body if its check passes, else undefined. */
export function decodeRecord(raw: string | undefined, version: number): Record<string, unknown> | undefined {
  if (typeof raw !== "string" || raw.length < 6) return undefined;
  const body = raw.slice(0, -4);
  if (hex4(crcOf(body)) !== raw.slice(-4)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return undefined;
  }
  if (!v || typeof v !== "object") return undefined;
  const r = v as Record<string, unknown>;
  return r.v === version && typeof r.n === "number" ? r : undefined;
}

export function encodeRecord(body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  return text + hex4(crcOf(text));
}

/** Two alternating copies of one record kind. */
export class RecordStore {
  seq = 0;
  /** a copy existed in flash at the last load (so "no good copy" means corrupt, not new) */
  found = false;
  constructor(private readonly io: RawStore, private readonly file: string, private readonly ver: number) {}

  /** The newest good copy, or undefined (none, or both failed their check). */
  load(): Record<string, unknown> | undefined {
    const rawA = this.io.read(this.file + "0");
    const rawB = this.io.read(this.file + "1");
    this.found = rawA !== undefined || rawB !== undefined;
    const a = decodeRecord(rawA, this.ver);
    const b = decodeRecord(rawB, this.ver);
    const best = a && b ? ((a.n as number) >= (b.n as number) ? a : b) : a || b;
    if (best) this.seq = best.n as number;
    return best;
  }

  /** Write over the older copy. false when the flash refused it (the other copy is intact). */
  save(body: Record<string, unknown>): boolean {
    this.seq++;
    body.v = this.ver;
    body.n = this.seq;
    return this.io.write(this.file + (this.seq & 1), encodeRecord(body));
  }
}
