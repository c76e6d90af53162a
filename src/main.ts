// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
// Only the tick's work is resident: the `bms` REPL API, the RPC, settings checks and the views
// live in the Storage file API_FILE, loaded when used (docs/architecture.md "Two files").
import type { createApi } from "./api";
import type { bootSettings, changeSetting } from "./config";
import { boardFor } from "./board";
import { API_FILE } from "./files";
import { createHardware } from "./hal/hardware";
import { defaultSettings } from "./settings";
import { Supervisor, TICK_MS } from "./supervisor";

/** how long the module stays loaded after the last use of `bms` (a client polls every 1.5 s): our choice */
const API_KEEP_MS = 5000;
/** what API_FILE evaluates to (src/api-module.ts) */
interface ApiModule {
  api: typeof createApi;
  boot: typeof bootSettings;
  set: typeof changeSetting;
}
/** the module, run from flash; undefined when the file is missing (an incomplete upload) */
function loadModule(): ApiModule | undefined {
  const text = require("Storage").read(API_FILE);
  const run = eval; // indirect: the module is one expression and needs none of our names
  return text === undefined ? undefined : (run(text) as ApiModule);
}

let sup: Supervisor;
const board = boardFor(process.env.BOARD);
const hw = createHardware(board, {
  remoteEdge: () => sup.remoteEdge(),
  linkData: (data) => sup.linkData(data),
});
sup = new Supervisor(hw, (s) => {
  const m = loadModule();
  if (m) m.boot(s);
  else console.log("bms: " + API_FILE + " missing, settings defaults in use: upload the firmware again");
});

NRF.on("connect", () => {
  sup.connected = true;
});
NRF.on("disconnect", () => {
  sup.connected = false;
  hw.lockConsole(); // the next client must give the PIN again
});

setInterval(() => sup.tick(), TICK_MS);
// PIN recovery by physical access: the button pressed in the first 30 s after power-up puts the
// PIN back to its default (docs/web.md "PIN recovery")
const recover = setWatch(() => {
  const m = loadModule();
  if (m) m.set(sup, "pin", defaultSettings().pin);
}, board.btn, { edge: "rising", repeat: true, debounce: 50 });
setTimeout(() => clearWatch(recover), 30000);
sup.remoteEdge(); // take the remote as it is at boot
hw.lockConsole(); // configuration and the readout key need the PIN (SPEC §7)

// `bms` is a getter: each use loads the module (or reuses it for API_KEEP_MS), so between clients
// the API costs no RAM
let api: ReturnType<typeof createApi> | undefined;
let drop: number | undefined;
Object.defineProperty(global, "bms", {
  get: () => {
    if (!api) {
      const m = loadModule();
      if (!m) throw new Error("bms: " + API_FILE + " missing: upload the firmware again");
      api = m.api(sup);
    }
    if (drop !== undefined) clearTimeout(drop);
    drop = setTimeout(() => {
      api = drop = undefined;
    }, API_KEEP_MS);
    return api;
  },
});
