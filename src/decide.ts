// The decision: what the outputs and LEDs should be at this moment, as a pure function of the
// supervisor's inputs. Outputs are one bit set, cheap to compare and to store.
import { LED_BLINK, LED_OFF, LED_ON, type LedMode } from "./hal/leds";

export const OUT_ATD = 1;
export const OUT_ATC = 2;
export const OUT_PRE = 4;

export interface DecideInput {
  /** remote terminals say ON (SPEC §3) */
  remoteOn: boolean;
  /** the app/REPL Mode switch (SPEC §3) */
  modeOn: boolean;
}

/** The system is on only when remote is ON and Mode is ON (SPEC §3). */
export function systemOn(i: DecideInput): boolean {
  return i.remoteOn && i.modeOn;
}

/** Output bits for this moment. The protection rules of SPEC §2/§4 join this as they land. */
export function decideOutputs(i: DecideInput): number {
  // system off: ATD and ATC float, pre-alarm off; Bluetooth and monitoring go on (SPEC §3)
  if (!systemOn(i)) return 0;
  return OUT_ATD | OUT_ATC;
}

/** Blue LED (SPEC §5): off = Bluetooth off; blinking = advertising; on = a client connected. */
export function blueLed(radioOn: boolean, connected: boolean): LedMode {
  if (!radioOn) return LED_OFF;
  return connected ? LED_ON : LED_BLINK;
}

/** Red LED (SPEC §5): off = nothing; blinking = a warning; on = an alarm and/or an error. */
export function redLed(warning: boolean, alarmOrError: boolean): LedMode {
  if (alarmOrError) return LED_ON;
  return warning ? LED_BLINK : LED_OFF;
}
