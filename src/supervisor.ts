// The one supervisor: collects the inputs (remote, Mode, Bluetooth, later the bank and SoC),
// decides the outputs and LEDs, and applies them. Events that must act at once (a remote edge,
// Mode off) call decide() directly; the tick calls it every TICK_MS. Nothing here allocates.
import { blueLed, decideOutputs, redLed } from "./decide";
import type { Hardware } from "./hal/hardware";
import { RemoteFilter } from "./remote";

export const TICK_MS = 1000;

export class Supervisor {
  readonly remote = new RemoteFilter();
  modeOn = true;
  radioOn = true;
  connected = false;
  /** output bits last applied */
  outputs = 0;
  ticks = 0;

  constructor(private readonly hw: Hardware) {}

  get remoteOn(): boolean {
    return this.remote.on;
  }

  /** Decide and apply the outputs now. */
  decide(): void {
    // re-assert every time: a disturbed pin is put right within one tick
    this.outputs = decideOutputs(this);
    this.hw.setOutputs(this.outputs);
  }

  /** A debounced edge on Remote L or H: act inside this event (SPEC §3). */
  remoteEdge(): void {
    this.remote.edge(this.hw.remoteOn());
    this.decide();
  }

  tick(): void {
    this.ticks++;
    this.hw.kickWatchdog();
    this.remote.sample(this.hw.remoteOn());
    this.decide();
    this.hw.setLeds(redLed(false, false), blueLed(this.radioOn, this.connected));
  }

  setMode(on: boolean): void {
    this.modeOn = on;
    this.decide();
  }
}
