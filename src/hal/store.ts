// Storage: raw files for the checked records (src/record.ts; reading never throws) and the
// on-demand module (API_FILE, docs/architecture.md "Two files"), run from flash when needed.
import { API_FILE } from "../files";
import type { ApiModule, Store } from "../ports";

/** how long the module stays loaded after the last use of `bms` (a client polls every 1.5 s): our choice */
const API_KEEP_MS = 5000;

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
  write: (name, data) => storage.write(name, data),
  mod(keep) {
    let m = kept;
    if (!m) {
      const text = require("Storage").read(API_FILE);
      const run = eval; // indirect: the module is one expression and needs none of our names
      m = text === undefined ? undefined : (run(text) as ApiModule);
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
