// The hardware adapter the supervisor talks to: the only object in the firmware that performs
// effects on Espruino globals (pins, LEDs, watchdog). Built from a board record.
import type { Board } from "../board";
import { driveOutput } from "./outputs";
import { type LedMode, showLed } from "./leds";
import { remoteIsOn, setupRemote } from "./remote";
import { OUT_ATC, OUT_ATD, OUT_PRE } from "../decide";

export interface Hardware {
  /** apply an output bit set (OUT_ATD | OUT_ATC | OUT_PRE) */
  setOutputs(bits: number): void;
  setLeds(red: LedMode, blue: LedMode): void;
  remoteOn(): boolean;
  kickWatchdog(): void;
}

/** Seconds without a tick before the watchdog resets the board (our choice: 10 ticks). */
export const WATCHDOG_S = 10;

export function createHardware(b: Board, onRemoteEdge: () => void): Hardware {
  setupRemote(b.remL, b.remH, onRemoteEdge);
  E.enableWatchdog(WATCHDOG_S, false);
  return {
    setOutputs(bits) {
      driveOutput(b.atd, (bits & OUT_ATD) !== 0);
      driveOutput(b.atc, (bits & OUT_ATC) !== 0);
      driveOutput(b.pre, (bits & OUT_PRE) !== 0);
    },
    setLeds(red, blue) {
      showLed(b.red, red);
      showLed(b.blue, blue);
    },
    remoteOn: () => remoteIsOn(b.remL, b.remH),
    kickWatchdog: () => E.kickWatchdog(),
  };
}
