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

/** The text of a stored record without its check, if the check passes, else undefined. */
function checked(raw: string | undefined): string | undefined {
  // (a text of 8 characters or fewer leaves no body: "" whose check is not the rest, or fails
  // the version's pattern after it)
  if (!raw) return undefined;
  const body = raw.slice(0, -8);
  return check(body) === raw.slice(-8) ? body : undefined;
}

/** The one version of every record kind this firmware writes and reads: a record of another
 * version is not read (defaults, as for a corrupt one), and is written over first. */
const VERSION = 1;

/**
 * The record's body if its check passes and it is of VERSION, else undefined. A good copy of
 * VERSION ends in `"v":1,"n":<sequence>}` (`sequence`, saveRecord writes them last), so its
 * checked text is one of our JSON objects: parsed, it is an object with `v` and `n`.
 */
function decodeRecord(raw: string | undefined): Record<string, unknown> | undefined {
  if (!sequence(raw)) return undefined;
  try {
    return JSON.parse(checked(raw)!) as Record<string, unknown>;
  } catch (e) {
    return undefined;
  }
}

/** The newest good copy of a record kind (files `file`0 and `file`1), or undefined (none, or both failed). */
export function loadRecord(io: RawStore, file: string): Record<string, unknown> | undefined {
  const a = decodeRecord(io.read(file + "0"));
  const b = decodeRecord(io.read(file + "1"));
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
export function saveRecord(io: RawStore, file: string, body: Record<string, unknown>): boolean {
  const a = sequence(io.read(file + "0"));
  const b = sequence(io.read(file + "1"));
  const n = (a > b ? a : b) + 1;
  body.v = VERSION;
  body.n = n;
  const text = JSON.stringify(body);
  // the body's data (50 serial numbers are ~100 variables) let go before the text is copied
  // with its check: the body is the caller's literal, used for nothing after
  for (const k in body) delete body[k];
  return io.write(file + (n & 1), text + check(text));
}

/**
 * The sequence number of a good copy (its check passes, of VERSION), else 0: what loadRecord
 * would pick by, read from the end of the text (saveRecord writes `v` and `n` last) without
 * parsing the body, so that a save holds no copy of the old record's data (a list of 50 serial
 * numbers is ~100 variables on Espruino, and a save may run while a client holds the module).
 */
function sequence(raw: string | undefined): number {
  const body = checked(raw);
  if (body === undefined) return 0;
  // (`"v":1`: VERSION)
  const m = /"v":1,"n":(\d+)\}$/.exec(body);
  return m ? +m[1] : 0;
}
