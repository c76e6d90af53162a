// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
import { createApi } from "./api";
import { boardFor } from "./board";
import { createHardware } from "./hal/hardware";
import { defaultSettings } from "./settings";
import { Supervisor, TICK_MS } from "./supervisor";

let sup: Supervisor;
const board = boardFor(process.env.BOARD);
const hw = createHardware(board, {
  remoteEdge: () => sup.remoteEdge(),
  linkData: (data) => sup.linkData(data),
});
sup = new Supervisor(hw);

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
const recover = setWatch(() => sup.set("pin", defaultSettings().pin), board.btn, { edge: "rising", repeat: true, debounce: 50 });
setTimeout(() => clearWatch(recover), 30000);
sup.remoteEdge(); // take the remote as it is at boot
hw.lockConsole(); // configuration and the readout key need the PIN (SPEC §7)

(global as unknown as { bms: unknown }).bms = createApi(sup);
