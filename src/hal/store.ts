// Storage: raw files for the checked records (src/record.ts; reading never throws) and the
// on-demand module (API_FILE, docs/architecture.md "Two files"), run from flash when needed.
import { API_FILE } from "../files";
import type { ApiModule, Store } from "../ports";

/** how long the module stays loaded after the last use of `bms` (a client polls every 1.5 s): our choice */
const API_KEEP_MS = 5000;
/**
 * Free variables the module needs to load and serve one call (measured on the 2,630-variable
 * pool: docs/device-budget.md "A client's session"). With fewer free it is not loaded: running out
 * of memory half-way would stop the interpreter, the tick with it. Callers try again later.
 */
export const API_NEED_VARS = 570;

const storage = require("Storage");
let kept: ApiModule | undefined;
let drop: number | undefined;

export const flashStore: Store = {
  read(name) {
    try {
      return storage.read(name);
    } catch (e) {
      return undefined;
    }
  },
  write: storage.write, // a static native: no closure needed
  mod(keep) {
    let m = kept;
    if (!m) {
      // false: no garbage collection for the usual answer (a pass over the pool); only when that
      // says short is the garbage collected and counted again. Espruino collects by itself only
      // when nearly nothing is free, so the last load's garbage (a client's session, the records
      // read at boot: ~400 variables) would otherwise look taken until then
      if (process.memory(false).free < API_NEED_VARS && process.memory().free < API_NEED_VARS) return null;
      const text = storage.read(API_FILE);
      // the file is a function's body: a function made by Function() closes over no scope, so
      // each function the module makes holds one scope, not a copy of the firmware's chain
      // (~4 variables less each on Espruino, docs/device-budget.md)
      m = text === undefined ? undefined : (Function(text)() as ApiModule);
    }
    if (keep && m) {
      kept = m;
      if (drop !== undefined) clearTimeout(drop);
      drop = setTimeout(() => {
        kept = drop = undefined;
      }, API_KEEP_MS);
    }
    return m;
  },
};
