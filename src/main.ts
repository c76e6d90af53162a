// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
// Only the tick's work is resident: the `bms` REPL API, the RPC, settings checks, the views and
// the records (read at boot, written every few minutes at most) live in the Storage file
// API_FILE, loaded when used (docs/architecture.md "Two files").
import { BOARD } from "./hal/board";
import { bootRecords } from "./boot";
import { API_FILE } from "./files";
import { createHardware } from "./hal/hardware";
import { DEFAULT_PIN, defaultSettings } from "./settings";
import { Supervisor, TICK_MS } from "./supervisor";

let sup: Supervisor;
const hw = createHardware(BOARD, {
  remoteEdge: () => sup.remoteEdge(),
  linkData: (data) => sup.linkData(data),
});
sup = new Supervisor(hw, defaultSettings());
bootRecords(sup);
// without the module the BMS protects as usual and reads its records, but writes none (docs/architecture.md)
if (hw.store.read(API_FILE) === undefined) console.log("bms: " + API_FILE + " missing, no REPL and no records written: upload the firmware again");

NRF.on("connect", () => {
  sup.connected = true;
});
NRF.on("disconnect", () => {
  sup.connected = false;
  E.lockConsole(); // the next client must give the PIN again
});

setInterval(() => sup.tick(), TICK_MS);
// PIN recovery by physical access: the button pressed in the first 30 s after power-up puts the
// PIN back to its default (docs/web.md "PIN recovery")
const recover = setWatch(() => {
  const m = hw.store.mod(false);
  if (m) m.set(sup, "pin", DEFAULT_PIN);
}, BOARD.btn, { edge: "rising", repeat: true, debounce: 50 });
setTimeout(() => clearWatch(recover), 30000);
sup.remoteEdge(); // take the remote as it is at boot
E.lockConsole(); // configuration and the readout key need the PIN (SPEC §7)

// `bms` is a getter: each use loads the module (or reuses it for 5 s after the last use), so
// between clients the API costs no RAM
Object.defineProperty(global, "bms", {
  get: () => {
    const m = hw.store.mod(true);
    if (!m) throw new Error(m === null ? "bms: low on memory, try again" : "bms: " + API_FILE + " missing: upload the firmware again");
    return m.api(sup);
  },
});
