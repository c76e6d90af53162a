// The on-demand half of the firmware: the entry of dist/bms-api.js, stored as the Storage file
// "bms.api.js" next to .bootcde (docs/architecture.md "Two files"). The resident firmware
// (src/main.ts) evaluates it when a client uses `bms` (and once at boot to load the settings),
// and lets it go a few seconds later. The file evaluates to this object, nothing else.
import { createApi } from "./api";
import { bootSettings, changeSetting } from "./config";

/** the value of the file: set by this entry, returned by the wrapper tools/build.ts puts around it */
declare let API: unknown;
// eslint-disable-next-line prefer-const, @typescript-eslint/no-unused-vars -- read by the wrapper (`return API`), not by TypeScript
API = {
  /** the `bms` object for one supervisor */
  api: createApi,
  /** at boot: the stored settings, checked, into the supervisor's `cfg` */
  boot: bootSettings,
  /** a setting changed outside the REPL (the PIN-recovery button), stored and applied */
  set: changeSetting,
};
