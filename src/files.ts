// Storage file names shared by the firmware and the host tools (build, upload, simulator), so the
// name the firmware loads is the name every tool writes.

/** the on-demand module (dist/bms-api.js): the `bms` API, the RPC, settings checks, the views */
export const API_FILE = "bms.api.js";
