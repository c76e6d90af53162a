// The `bms` half of the on-demand module: the second line of the Storage file API_FILE
// (dist/bms-api.js, docs/architecture.md "Two files"), evaluated when a client uses `bms` and
// let go 5 s after the last use. It is handed the records half (the first line,
// src/records-module.ts) for the settings, their checks and the records, so those are in flash
// once. The line evaluates to a function of that object, nothing else.
import { createApi } from "./api";
import type { Records } from "./ports";
import type { Supervisor } from "./supervisor";

let api: ReturnType<typeof createApi> | undefined;
/** the `bms` object for the supervisor (one per load of the module) */
const MODULE = (r: Records) => (sup: Supervisor) => api || (api = createApi(sup, r));

/** the value of the line: set by this entry, returned by the wrapper tools/build.ts puts around it */
declare let API: unknown;
// eslint-disable-next-line prefer-const, @typescript-eslint/no-unused-vars -- read by the wrapper (`return API`), not by TypeScript
API = MODULE;
