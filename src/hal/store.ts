// Small JSON records in Storage. Reading never throws: a missing or corrupt record is undefined.
const storage = require("Storage");

export function readRecord(name: string): unknown {
  try {
    return storage.readJSON(name, true);
  } catch (e) {
    return undefined;
  }
}

/** false when the flash refused the write */
export function writeRecord(name: string, value: unknown): boolean {
  return storage.writeJSON(name, value);
}
