// The Smart BMS 12-200 profile's hardware (docs/smart-bms-12-200.md "Wiring"): three more outputs
// (alternator, System+ discharge, System+ charge) and two voltages through dividers.
import { DIVIDER, type Board } from "../board";
import { OUT_ALT, OUT_SYSC, OUT_SYSD, type Vehicle } from "../vehicle/vehicle";
import { driveOutput, outputIsHigh } from "./outputs";

/** Drive the three outputs; false if one driven high reads back low (E-B11, like the others). */
export function driveVehicle(b: Board, bits: number): boolean {
  return drive(b.alt!, bits & OUT_ALT) && drive(b.sysD!, bits & OUT_SYSD) && drive(b.sysC!, bits & OUT_SYSC);
}

function drive(pin: Pin, on: number): boolean {
  driveOutput(pin, on !== 0);
  return !on || outputIsHigh(pin);
}

/** The tick's measurements: analogRead is a fraction of the ADC reference (the board's supply). */
export function readVehicle(b: Board, v: Vehicle): void {
  const ref = E.getAnalogVRef();
  v.vref_mV = Math.round(ref * 1000);
  v.start_cV = Math.round(analogRead(b.aStart!) * ref * DIVIDER * 100);
  v.sys_cV = Math.round(analogRead(b.aSys!) * ref * DIVIDER * 100);
  v.temp_dC = Math.round(E.getTemperature() * 10);
}
