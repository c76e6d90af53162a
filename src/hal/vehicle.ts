// The Smart BMS 12-200 profile's hardware (docs/smart-bms-12-200.md "Wiring"): two voltages
// through dividers. Its three more outputs (alternator, System+ discharge, System+ charge) are
// driven and read back with the others by hw.setOutputs (hal/hardware.ts).
import type { Board } from "./board";
import { outsideBands, type Vehicle } from "../vehicle/vehicle";

/** the 12-200 profile's dividers (100 kΩ over 15 kΩ): centivolts at the input per volt at the pin,
 * 115 / 15 x 100 written as one quotient: the build folds it, and a reading takes one
 * multiplication less (a product written out is left to the device) */
export const DIVIDER_cV = 11500 / 15;

/**
 * The tick's measurements, as a function of the board: analogRead is a fraction of the ADC
 * reference (the board's supply), which is read with the board temperature when `slow` (every
 * SLOW_READ_TICKS ticks, from the first). Rounded by `+ .5 | 0` (a reading is never negative): an
 * operator, not a call. True when the rules must be worked out again: `slow`, or a reading on or
 * beyond an edge of the bands the last Vehicle.evaluate set (outsideBands, on the values in hand).
 * The hardware calls it every tick: one call, its pins held by the closure.
 */
export function vehicleReader(b: Board): (v: Vehicle, slow: boolean) => boolean {
  const startPin = b.aStart!;
  const sysPin = b.aSys!;
  return (v, slow) => {
    // (a call, not a block: Espruino reads the text of a block it skips, nine ticks in ten)
    if (slow) readSlow(v);
    const st = (v.start_cV = (analogRead(startPin) * v.scale + 0.5) | 0);
    const sy = (v.sys_cV = (analogRead(sysPin) * v.scale + 0.5) | 0);
    // (looked at whenever the reader runs, so that the build writes it out here: no call)
    const out = outsideBands(v, st, sy);
    return slow || out;
  };
}

/** The ADC reference, the board temperature and the dividers' factor (every SLOW_READ_TICKS ticks). */
function readSlow(v: Vehicle): void {
  const ref = E.getAnalogVRef();
  v.vref_mV = Math.round(ref * 1000);
  v.temp_dC = Math.round(E.getTemperature() * 10);
  v.scale = ref * DIVIDER_cV;
}
