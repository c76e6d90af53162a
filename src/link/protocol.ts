// The battery link's numbers (docs/battery-link.md) in one place. A module of its own so the
// build puts each number straight where it is used.
export const START = 0x7e;
export const ESC = 0x7d;
export const TYPE_IDENTITY = 1;
export const TYPE_MEASUREMENT = 2;
export const IDENTITY_BYTES = 12;
/** POS + TYPE + the largest payload (a 16-cell measurement) */
export const MAX_LEN = 2 + 10 + 2 * 16;
export const MAX_BATT = 50;
export const MAX_CELLS = 16;
/** battery type byte of a Lithium NG battery */
export const TYPE_LITHIUM_NG = 1;
/** measurement flags */
export const FLAG_BALANCING = 1;
export const FLAG_FAULT = 2;
