// The one supervisor: collects the inputs (remote, Mode, Bluetooth, later the bank and SoC),
// decides the outputs and LEDs, and applies them. Events that must act at once (a remote edge,
// Mode off) call decide() directly; the tick calls it every TICK_MS. Nothing here allocates.
import { blueLed, decideOutputs, redLed } from "./decide";
import type { Hardware } from "./hal/hardware";

export const TICK_MS = 1000;

export class Supervisor {
  remoteOn = false;
  modeOn = true;
  radioOn = true;
  connected = false;
  /** output bits last applied */
  outputs = 0;
  ticks = 0;

  constructor(private readonly hw: Hardware) {}

  /** Re-read the inputs and apply the outputs now. */
  decide(): void {
    this.remoteOn = this.hw.remoteOn();
    // re-assert every time: a disturbed pin is put right within one tick
    this.outputs = decideOutputs(this);
    this.hw.setOutputs(this.outputs);
  }

  tick(): void {
    this.ticks++;
    this.hw.kickWatchdog();
    this.decide();
    this.hw.setLeds(redLed(false, false), blueLed(this.radioOn, this.connected));
  }

  setMode(on: boolean): void {
    this.modeOn = on;
    this.decide();
  }
}
