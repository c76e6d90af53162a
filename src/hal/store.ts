// Storage: raw files for the checked records (src/record.ts; reading never throws) and the
// on-demand module (API_FILE, docs/architecture.md "Two files"), run from flash when needed.
import type { createApi } from "../api";
import type { changeSetting } from "../config";
import type { writeLearned } from "../link/learned";
import type { reserveNonces } from "../readout/keys";
import type { writeSoc } from "../soc/monitor";
import type { Supervisor } from "../supervisor";
import { API_FILE } from "../files";
import type { RawStore } from "../record";

/** how long the module stays loaded after the last use of `bms` (a client polls every 1.5 s): our choice */
const API_KEEP_MS = 5000;

/** what API_FILE evaluates to (src/api-module.ts) */
export interface ApiModule {
  api(sup: Supervisor): ReturnType<typeof createApi>;
  set: typeof changeSetting;
  saveSoc: typeof writeSoc;
  saveLearned: typeof writeLearned;
  reserve: typeof reserveNonces;
}

export interface Store extends RawStore {
  /**
   * The on-demand module, undefined when the file is missing (an incomplete upload). `keep`: a
   * client's use, kept API_KEEP_MS after the last one; else (boot, a record to write) it is let
   * go after the call unless a client has it loaded.
   */
  mod(keep: boolean): ApiModule | undefined;
}

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
