// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
// Only the tick's work is resident: the settings table and checks, the records (read at boot,
// written every few minutes at most), the `bms` REPL API, the RPC and the views live in the
// Storage file API_FILE, loaded when used (docs/architecture.md "Two files").
import { BOARD } from "./hal/board";
import { API_FILE } from "./files";
import { createHardware } from "./hal/hardware";
import { DEFAULT_PIN, type Settings } from "./settings";
import type { ApiModule } from "./ports";
import { Supervisor, TICK_MS } from "./supervisor";

const MISSING = "bms: " + API_FILE + " missing: upload the firmware again";
let sup: Supervisor;
const hw = createHardware(BOARD, {
  remoteEdge: () => sup.remoteEdge(),
  linkData: (data) => sup.linkData(data),
});
// the settings come from the module at boot. Without it (an upload of .bootcde alone) there are
// none: Mode is not on, so the outputs float; Bluetooth stays on for an upload (docs/architecture.md)
sup = new Supervisor(hw, { bluetooth: 1 } as Settings);
// (a function, let go after load, so no variable holds the module afterwards)
function bootWith(m: ApiModule | undefined): void {
  if (m) m.boot(sup);
  else console.log(MISSING);
}
bootWith(hw.store.mod(false));

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
    if (!m) throw new Error(MISSING);
    return m.api!(sup);
  },
});
