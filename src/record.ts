// Checked records in Storage: JSON followed by its CRC-32 (the native E.CRC32, the link's own
// check, so no table) as 8 hex digits, written to two files in turn, each with a sequence number.
// A torn or corrupt write fails its check and the other copy (the previous good record) is used:
// never garbage, never a half-written record. A record written with the older CRC-16 check
// fails its check too: defaults, as for a corrupt record (docs/soc.md "Records").
// Part of the on-demand module only (docs/architecture.md "Two files"): records are read at boot
// and written every few minutes at most, so none of this stays in RAM.

export interface RawStore {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
}

function check(text: string): string {
  return ("0000000" + (E.CRC32(text) >>> 0).toString(16)).slice(-8);
}

/** The record's body if its check passes, else undefined. */
export function decodeRecord(raw: string | undefined, version: number): Record<string, unknown> | undefined {
  if (typeof raw !== "string" || raw.length < 10) return undefined;
  const body = raw.slice(0, -8);
  if (check(body) !== raw.slice(-8)) return undefined;
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
  return text + check(text);
}

/** The newest good copy of a record kind (files `file`0 and `file`1), or undefined (none, or both failed). */
export function loadRecord(io: RawStore, file: string, ver: number): Record<string, unknown> | undefined {
  const a = decodeRecord(io.read(file + "0"), ver);
  const b = decodeRecord(io.read(file + "1"), ver);
  return a && b ? ((a.n as number) >= (b.n as number) ? a : b) : a || b;
}

/** A copy exists in flash (so "no good copy" means corrupt, not new). */
export function recordFound(io: RawStore, file: string): boolean {
  return io.read(file + "0") !== undefined || io.read(file + "1") !== undefined;
}

/**
 * Write over the copy that is not the newest good one. false when the flash refused it (the
 * other copy is intact, and the next save tries the same file again).
 */
export function saveRecord(io: RawStore, file: string, ver: number, body: Record<string, unknown>): boolean {
  const last = loadRecord(io, file, ver);
  body.v = ver;
  body.n = last ? (last.n as number) + 1 : 1;
  return io.write(file + ((body.n as number) & 1), encodeRecord(body));
}
