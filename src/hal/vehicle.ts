// The Smart BMS 12-200 profile's hardware (docs/smart-bms-12-200.md "Wiring"): two voltages
// through dividers. Its three more outputs (alternator, System+ discharge, System+ charge) are
// driven and read back with the others by hw.setOutputs (hal/hardware.ts).
import { DIVIDER_cV, type Board } from "./board";
import type { Vehicle } from "../vehicle/vehicle";

/** The tick's measurements: analogRead is a fraction of the ADC reference (the board's supply). */
export function readVehicle(b: Board, v: Vehicle): void {
  const ref = E.getAnalogVRef();
  v.vref_mV = Math.round(ref * 1000);
  v.start_cV = Math.round(analogRead(b.aStart!) * ref * DIVIDER_cV);
  v.sys_cV = Math.round(analogRead(b.aSys!) * ref * DIVIDER_cV);
  v.temp_dC = Math.round(E.getTemperature() * 10);
}
