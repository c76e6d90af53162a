// LEDs as SPEC §5: off, blinking (a short flash per tick, to save a battery-powered board's
// power) or steadily on.
export const LED_OFF = 0;
export const LED_BLINK = 1;
export const LED_ON = 2;
export type LedMode = 0 | 1 | 2;

const FLASH_MS = 20;

/** Called once per tick: a blinking LED gets one short flash each time. */
export function showLed(pin: Pin, mode: LedMode): void {
  if (mode === LED_BLINK) digitalPulse(pin, 1, FLASH_MS);
  else digitalWrite(pin, mode === LED_ON ? 1 : 0);
}
