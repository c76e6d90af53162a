// LED modes (SPEC §5), decided by the pure core and shown by src/hal/hardware.ts.
export const LED_OFF = 0;
export const LED_BLINK = 1;
export const LED_ON = 2;
export type LedMode = 0 | 1 | 2;
