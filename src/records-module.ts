// The records half of the on-demand module: the first line of the Storage file API_FILE
// (dist/bms-api.js, docs/architecture.md "Two files"). The resident firmware evaluates this line
// alone at boot (the settings and the records read, src/boot.ts) and for a record to write (SoC
// every 5 minutes at most, learned batteries, nonce reservations), and lets it go after: so the
// `bms` API's functions (the second line, src/api-module.ts) cost no RAM then. The second line is
// evaluated only for a client, and is handed this object for the settings and the records.
// The line evaluates to this object, nothing else.
import { bootRecords } from "./boot";
import { changeSetting, resetSettings } from "./config";
import { learnedList, learnNow, writeLearned } from "./link/learned";
import { newKey, reserveNonces } from "./readout/keys";
import { hex } from "./readout/readout";
import { label, schema } from "./settings";
import { writeSoc } from "./soc/monitor";
import type { Records } from "./ports";

const RECORDS: Records = {
  /** at boot: the default settings, then the records, into the supervisor */
  boot: bootRecords,
  /** a setting stored and applied (`bms.set`, the PIN-recovery button) */
  set: changeSetting,
  /** SocMonitor.save(): the SoC record, and the history record with it when `hist` */
  saveSoc: writeSoc,
  /** the learned serial numbers; false when the flash refused */
  saveLearned: writeLearned,
  /** Readout.reserve() */
  reserve: reserveNonces,
  // for the `bms` API (src/api.ts)
  reset: resetSettings,
  newKey: newKey,
  hex: hex,
  learned: learnedList,
  learn: learnNow,
  schema: schema,
  label: label,
};

/** the value of the line: set by this entry, returned by the wrapper tools/build.ts puts around it */
declare let API: unknown;
// eslint-disable-next-line prefer-const, @typescript-eslint/no-unused-vars -- read by the wrapper (`return API`), not by TypeScript
API = RECORDS;
