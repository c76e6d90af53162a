// Firmware entry: build the board, the hardware adapter and the supervisor, start the tick.
// Runs at load from Storage (.bootcde); outputs stay floating (reset state) until decided.
import { createApi } from "./api";
import { boardFor } from "./board";
import { createHardware } from "./hal/hardware";
import { Supervisor, TICK_MS } from "./supervisor";

let sup: Supervisor;
const hw = createHardware(boardFor(process.env.BOARD), {
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
sup.remoteEdge(); // take the remote as it is at boot
hw.lockConsole(); // configuration and the readout key need the PIN (SPEC §7)

(global as unknown as { bms: unknown }).bms = createApi(sup);
