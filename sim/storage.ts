// Simulated Espruino Storage: a flat flash file system held in memory, optionally mirrored to a
// JSON file so a simulated board keeps its data across `npm start` runs. Same API and failure
// behaviour as the device's `require("Storage")` for the calls we use; no extras.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Puck.js v2 Storage: 40 KB in all, shared by the code and every data file (docs/espruino.md). */
export const PUCK_STORAGE_BYTES = 40 * 1024;
/** Espruino's header of a Storage file: 4 bytes of size and flags, 28 of name */
export const STORAGE_HEADER_BYTES = 32;

function toBytes(data: unknown): Uint8Array {
  if (typeof data === "string") return Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff);
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (Array.isArray(data)) return Uint8Array.from(data as number[], (n) => n & 0xff);
  throw new Error("Storage.write: data must be a String, Array or ArrayBuffer");
}

function bytesToString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export interface StorageFault {
  /** the next write to a file matching this name is cut after this many bytes, then writes fail */
  tearAfterBytes?: number;
  /** every write fails (returns false), as a worn or full flash would */
  failWrites?: boolean;
  /** writes to the files whose name matches fail, the others go on (a record too big for the
   * space left; in tests, to tell which write raised an error) */
  failNames?: RegExp;
}

export class SimStorage {
  readonly files = new Map<string, Uint8Array>();
  fault: StorageFault = {};
  writes = 0;
  bytesWritten = 0;

  constructor(readonly capacity = PUCK_STORAGE_BYTES, readonly mirrorPath?: string) {
    if (mirrorPath && existsSync(mirrorPath)) {
      const saved = JSON.parse(readFileSync(mirrorPath, "utf8")) as Record<string, number[]>;
      for (const name of Object.keys(saved)) this.files.set(name, Uint8Array.from(saved[name]));
    }
  }

  /**
   * Bytes the files take, as Espruino's Storage lays them out on an nRF52: a 32-byte header
   * (size and 28-character name) and the data padded to the flash's 4-byte word, per file.
   * Space of replaced files is not counted: Storage reclaims it when it compacts.
   */
  used(): number {
    let n = 0;
    for (const f of this.files.values()) n += STORAGE_HEADER_BYTES + ((f.length + 3) & ~3);
    return n;
  }

  private persist(): void {
    if (!this.mirrorPath) return;
    const out: Record<string, number[]> = {};
    for (const [name, bytes] of this.files) out[name] = Array.from(bytes);
    writeFileSync(this.mirrorPath, JSON.stringify(out));
  }

  /** Storage.write(name, data, offset?, size?): whole file, or chunks into a file of `size`. */
  write(name: string, data: unknown, offset?: number, size?: number): boolean {
    if (typeof name !== "string" || name.length === 0 || name.length > 28) throw new Error("Storage: invalid file name");
    let bytes = toBytes(data);
    this.writes++;
    if (this.fault.failWrites || this.fault.failNames?.test(name)) return false;
    const start = offset ?? 0;
    const existing = this.files.get(name)?.length ?? 0;
    const total = size ?? (offset === undefined ? bytes.length : Math.max(start + bytes.length, existing));
    if (this.used() - existing + total > this.capacity) return false;
    if (this.fault.tearAfterBytes !== undefined) {
      bytes = bytes.slice(0, this.fault.tearAfterBytes);
      this.fault = { failWrites: true }; // the power is gone: nothing more gets written
    }
    const file = offset === undefined ? new Uint8Array(total).fill(0xff) : this.files.get(name) ?? new Uint8Array(total).fill(0xff);
    file.set(bytes, start);
    this.files.set(name, file);
    this.bytesWritten += bytes.length;
    this.persist();
    return true;
  }

  /** A file put there by an upload, before the board runs: no fault applies, no write is counted. */
  install(name: string, data: string): void {
    this.files.set(name, toBytes(data));
    this.persist();
  }

  read(name: string, offset = 0, length?: number): string | undefined {
    const f = this.files.get(name);
    if (!f) return undefined;
    return bytesToString(f.subarray(offset, length === undefined ? undefined : offset + length));
  }

  readArrayBuffer(name: string): ArrayBuffer | undefined {
    const f = this.files.get(name);
    return f ? f.slice().buffer : undefined;
  }

  writeJSON(name: string, data: unknown): boolean {
    return this.write(name, JSON.stringify(data));
  }

  readJSON(name: string, noExceptions?: boolean): unknown {
    const s = this.read(name);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s);
    } catch (e) {
      if (noExceptions) return undefined;
      throw e;
    }
  }

  erase(name: string): void {
    this.files.delete(name);
    this.persist();
  }

  list(pattern?: RegExp | string): string[] {
    const names = [...this.files.keys()];
    if (pattern === undefined) return names;
    const re = typeof pattern === "string" ? new RegExp(pattern) : pattern;
    return names.filter((n) => re.test(n));
  }

  getFree(): number {
    return this.capacity - this.used();
  }

  compact(): void {}

  /**
   * The object the firmware receives from require("Storage"): each call looks the method up when
   * made, so a test that wraps one (to count reads, say) sees the firmware's calls too.
   */
  api(): Record<string, unknown> {
    const api: Record<string, unknown> = {};
    for (const name of ["write", "read", "readArrayBuffer", "writeJSON", "readJSON", "erase", "list", "getFree", "compact"] as const) {
      api[name] = (...a: unknown[]) => (this[name] as (...x: unknown[]) => unknown).apply(this, a);
    }
    return api;
  }
}
