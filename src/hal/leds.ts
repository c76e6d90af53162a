// LEDs as SPEC §5: off, blinking (a short flash per tick, to save a battery-powered board's
// power) or steadily on.
import { LED_BLINK, LED_ON, type LedMode } from "../leds";

const FLASH_MS = 20;

/** Called once per tick: a blinking LED gets one short flash each time. */
export function showLed(pin: Pin, mode: LedMode): void {
  if (mode === LED_BLINK) digitalPulse(pin, 1, FLASH_MS);
  else digitalWrite(pin, mode === LED_ON ? 1 : 0);
}
