// The decision: what the outputs and LEDs should be at this moment, as a pure function of the
// supervisor's inputs and the code table's masks. Outputs are one bit set.
import type { CodeMasks } from "./codes";
import { LED_BLINK, LED_OFF, LED_ON, type LedMode } from "./leds";

export const OUT_ATD = 1;
export const OUT_ATC = 2;
export const OUT_PRE = 4;

export interface DecideInput {
  /** remote terminals say ON (SPEC §3) */
  remoteOn: boolean;
  /** the settings: `mode` is the app/REPL Mode switch (SPEC §3), 1 = on, kept across restarts */
  cfg: { mode: number };
  /** active code and reason bits (codes.ts) */
  active: number;
}

/** The system is on only when remote is ON and Mode is ON (SPEC §3). */
export function systemOn(i: DecideInput): boolean {
  return i.remoteOn && i.cfg.mode === 1;
}

/** Output bits for this moment: every code opens what its row in the code table says. */
export function decideOutputs(i: DecideInput, m: CodeMasks): number {
  // system off: ATD and ATC float, pre-alarm off; Bluetooth and monitoring go on (SPEC §3)
  if (!i.remoteOn || i.cfg.mode !== 1) return 0; // systemOn(), written out: one function less in RAM
  let bits = OUT_ATD | OUT_ATC;
  if (i.active & m.atd) bits &= ~OUT_ATD;
  if (i.active & m.atc) bits &= ~OUT_ATC;
  if (i.active & m.pre) bits |= OUT_PRE;
  return bits;
}

/** Red LED (SPEC §5): off = nothing; blinking = a warning; on = an alarm and/or an error. */
export function redLed(active: number, m: CodeMasks): LedMode {
  if (active & (m.alarm | m.error)) return LED_ON;
  return active & m.warning ? LED_BLINK : LED_OFF;
}
