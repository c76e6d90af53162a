// The on-demand half of the firmware: the entry of dist/bms-api.js, stored as the Storage file
// "bms.api.js" next to .bootcde (docs/architecture.md "Two files"). The resident firmware
// evaluates it when a client uses `bms` and for a record to write (SoC every 5 minutes at most,
// learned batteries, nonce reservations), and lets it go after. At the firmware's load it reads
// the records (src/boot.ts) and is let go: the resident file holds no settings table, no checks
// and no record reading.
// The file evaluates to this object, nothing else.
import { createApi } from "./api";
import { bootRecords } from "./boot";
import { changeSetting } from "./config";
import { reserveNonces } from "./readout/keys";
import { writeSoc } from "./soc/monitor";
import { writeLearned } from "./link/learned";
import type { ApiModule } from "./ports";
import type { Supervisor } from "./supervisor";

let api: ReturnType<typeof createApi> | undefined;
const MODULE: ApiModule = {
  /** at the firmware's load, once */
  boot: bootRecords,
  /** the `bms` object for the supervisor (one per load of the module) */
  api: (sup: Supervisor) => api || (api = createApi(sup)),
  /** a setting changed outside the REPL (the PIN-recovery button), stored and applied */
  set: changeSetting,
  /** SocMonitor.save(): the SoC record, and the history record with it when `hist` (the
   * smallBMS NG's battery monitor; the Smart BMS 12-200 has none, and nothing calls it there) */
  saveSoc: (__PROFILE__ === "12-200" ? undefined : writeSoc) as typeof writeSoc,
  /** the learned serial numbers; false when the flash refused */
  saveLearned: writeLearned,
  /** Readout.reserve() */
  reserve: reserveNonces,
};

/** the value of the file: set by this entry, returned by the wrapper tools/build.ts puts around it */
declare let API: unknown;
// eslint-disable-next-line prefer-const, @typescript-eslint/no-unused-vars -- read by the wrapper (`return API`), not by TypeScript
API = MODULE;
