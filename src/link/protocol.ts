// The battery link's numbers (docs/battery-link.md) in one place. A module of its own so the
// build puts each number straight where it is used.
/** the two bytes that start a record or the bank frame (no byte stuffing: they may also occur inside one) */
export const MARK = "~Z"; // 7E 5A: both ASCII, so the bundle carries the literal as plain bytes
export const MARK0 = 0x7e;
export const MARK1 = 0x5a;
export const TYPE_IDENTITY = 1;
/** LEN (POS + TYPE + payload) of an identity without its cells: 2 + 12 fixed payload bytes */
export const IDENTITY_LEN = 2 + 12;
/** bytes per battery in the bank frame: flags, cells, then seven 16-bit columns */
export const FRAME_BYTES = 16;
const P12200 = typeof __PROFILE__ !== "undefined" && __PROFILE__ === "12-200"; // src/profile.ts
/** the most batteries the BMS places (its per-battery arrays are this long): 50, and the Smart
 * BMS 12-200's 5 in parallel (docs/smart-bms-12-200.md); a battery further up the chain is one
 * the bank cannot place: E-B05 */
export const MAX_BATT = P12200 ? 5 : 50;
/** the most batteries a bank frame covers, whatever the profile (the batteries do not know it):
 * batteries beyond position 50 share slot 51, only to say they are there (E-B05); the receive
 * buffer holds a frame of this many */
export const MAX_N = 51;
export const MAX_CELLS = 16;
/** battery type byte of a Lithium NG battery */
export const TYPE_LITHIUM_NG = 1;
/** measurement flags */
export const FLAG_BALANCING = 1;
export const FLAG_FAULT = 2;
