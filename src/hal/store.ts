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
      // line 1: the records half; line 2, for a client: the `bms` API, handed line 1. Read as
      // flash-backed pieces (Storage.read with offset and length), never copied to RAM
      const st = require("Storage");
      const text = st.read(API_FILE);
      const cut = text === undefined ? -1 : text.indexOf("\n");
      const run = eval; // indirect: each line is one expression and needs none of our names
      m = cut < 0 ? undefined : (run(st.read(API_FILE, 0, cut)) as ApiModule);
      if (m && keep) m.api = (run(st.read(API_FILE, cut + 1)) as (r: ApiModule) => ApiModule["api"])(m);
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
