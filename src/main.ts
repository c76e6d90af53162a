// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
// Only the tick's work is resident: the `bms` REPL API, the RPC, settings checks, the views and
// the records (read at boot, written every few minutes at most) live in the Storage file
// API_FILE, loaded when used and once at boot (docs/architecture.md "Two files").
import { BOARD } from "./hal/board";
import { applySettings } from "./config";
import { API_FILE } from "./files";
import { createHardware } from "./hal/hardware";
import type { ApiModule } from "./ports";
import { DEFAULTS } from "./defaults";
import { DEFAULT_PIN } from "./settings";
import { Supervisor, TICK_MS } from "./supervisor";

let sup: Supervisor;
const hw = createHardware(BOARD, {
  remoteEdge: () => sup.remoteEdge(),
});
sup = new Supervisor(hw, DEFAULTS);
// the link's bytes go straight to the decoder (docs/architecture.md "Data flow")
Serial1.on("data", sup.decoder.push.bind(sup.decoder));
/**
 * The records (settings, learned batteries, SoC, readout key) are read by the module, which is let
 * go after (nothing resident holds it). Our choice (docs/architecture.md "Two files"): settings
 * that cannot be read are not replaced by defaults the user may have changed (the Mode switch,
 * the thresholds): E-B11 floats both outputs until the firmware is uploaded whole and restarted.
 */
function readRecords(m: ApiModule | null | undefined): void {
  if (m) return m.boot(sup);
  sup.hardwareError();
  applySettings(sup); // (load-only here: the build lets it go after)
  // (short: what to do is said at the first use of `bms`, which a person sees; 64 B of flash less)
  console.log("bms: E-B11, " + (m === null ? "low on memory" : API_FILE + " missing"));
}
readRecords(hw.store.mod(false));

// one function for both: "connect" gives the client's address (a string), "disconnect" a reason
// code (a number)
const conn = (a: unknown) => {
  sup.connected = typeof a === "string" ? 1 : 0;
  if (!sup.connected) E.lockConsole(); // the next client must give the PIN again
  sup.decide(); // the blue LED: on while a client is connected
};
NRF.on("connect", conn);
NRF.on("disconnect", conn);

// (bound, as the link's handler: no function of ours runs between the timer and the tick)
setInterval(sup.tick.bind(sup), TICK_MS);
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
