// Raw Storage files for the checked records (src/record.ts). Reading never throws.
import type { RawStore } from "../record";

const storage = require("Storage");

export const flashStore: RawStore = {
  read(name) {
    try {
      return storage.read(name);
    } catch (e) {
      return undefined;
    }
  },
  write: (name, data) => storage.write(name, data),
};
