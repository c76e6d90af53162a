// The one table of codes (SPEC §4) and of the other reasons that block an output. Every code's
// behaviour is read from here: its level, which outputs it opens, whether it lights the
// pre-alarm, its Victron error number and its Instant Readout field. Active codes are one bit set.
//
const P12200 = typeof __PROFILE__ !== "undefined" && __PROFILE__ === "12-200";

export const LVL_REASON = 0;
export const LVL_WARNING = 1;
export const LVL_ALARM = 2;
export const LVL_ERROR = 3;

// Bit numbers. Codes first (VictronConnect ids), then reasons that are not codes.
export const W_B01 = 0; // low cell voltage (pre-alarm)
export const W_B05 = 1; // battery communication lost (5 s)
export const W_B07 = 2; // low SoC
export const A_B01 = 3; // low cell voltage
export const A_B05 = 4; // battery communication lost (30 s)
export const A_B07 = 5; // low SoC: discharge floor
export const A_B08 = 6; // low bank voltage
export const A_B09 = 7; // high battery temperature
export const E_B01 = 8; // battery configuration invalid: init / mixed types
export const E_B05 = 9; // battery configuration invalid: number of batteries
export const E_B09 = 10; // battery voltage not allowed
export const E_B11 = 11; // hardware error
export const R_COLD = 12; // charge blocked: battery below 5 °C
export const R_CELL_HIGH = 13; // charge blocked: a cell at or above 3.75 V
export const R_UPDATE = 14; // charge blocked: firmware update in progress
export const R_UPDATE_FAILED = 15; // discharge blocked: update failed 120 s ago
export const R_NO_DATA = 16; // both blocked: no valid bank data since start
export const R_SOC_LOW = 17; // discharge blocked: A-B07 held for the low-SoC delay
// Smart BMS 12-200 profile only (docs/smart-bms-12-200.md "Codes"): their effects on the
// alternator and System+ outputs are in src/vehicle/vehicle.ts
export const E_B30 = 18; // calibration: a divider input reads beyond any 12 V system
export const E_B31 = 19; // configuration: the stored settings could not be read
export const E_B32 = 20; // battery BMS cable: the link silent for 30 s
export const E_B33 = 21; // reference voltage: the ADC reference out of range
export const A_A12 = 22; // short circuit / overload on System+
export const A_B11 = 23; // under-voltage: the battery allows no discharge
export const A_B15 = 24; // over-temperature of the BMS
export const W_B12 = 25; // under-voltage warning
export const CODE_COUNT = P12200 ? 26 : 18;
/** the 12-200's ids, after the others (the web app knows both profiles' codes) */
export const CODE_IDS_12200 = " E-B30 E-B31 E-B32 E-B33 A-A12 A-B11 A-B15 W-B12";

/** Ids of the bits, space-separated (a reason's id is its short name). */
export const CODE_IDS = "W-B01 W-B05 W-B07 A-B01 A-B05 A-B07 A-B08 A-B09 E-B01 E-B05 E-B09 E-B11 cold cell-high update update-failed no-data soc-low" +
  (P12200 ? CODE_IDS_12200 : "");

// What each code does (SPEC §4), one mask per effect, written as the bits it holds: the build
// folds each to one number, so neither a table nor code to read it is in flash or RAM.
// code      level    opens      pre-alarm  Victron error
// W-B01     warning             yes
// W-B05     warning
// W-B07     warning             yes
// A-B01     alarm    ATD                   (raised only when the pre-alarm lead is over)
// A-B05     alarm    ATD ATC
// A-B07     alarm                          (ATD through soc-low, after the delay)
// A-B08     alarm    ATD
// A-B09     alarm    ATC
// E-B01/05/09/11 error ATD ATC             1 / 5 / 9 / 11
// cold, cell-high, update  reason ATC;  update-failed, soc-low  reason ATD;  no-data  reason ATD ATC
// 12-200: E-B30 E-B31 E-B33 error (the vehicle outputs open, vehicle.ts) 30 31 33; E-B32 error
// ATD ATC 32; A-A12 A-B11 A-B15 alarm (A-B11 comes with A-B01 or A-B08, which open ATD);
// W-B12 warning (with W-B01, which drives the pre-alarm)
const ERRORS = (1 << E_B01) | (1 << E_B05) | (1 << E_B09) | (1 << E_B11);
const E12 = (1 << E_B30) | (1 << E_B31) | (1 << E_B32) | (1 << E_B33);
const BOTH = ERRORS | (1 << A_B05) | (1 << R_NO_DATA) | (P12200 ? 1 << E_B32 : 0);
// (each its own constant: the build puts the number at each use, so no object holds them in RAM)
/** codes that float ATD (load disconnect) */
export const MASK_ATD = BOTH | (1 << A_B01) | (1 << A_B08) | (1 << R_UPDATE_FAILED) | (1 << R_SOC_LOW);
/** codes that float ATC (charge disconnect) */
export const MASK_ATC = BOTH | (1 << A_B09) | (1 << R_COLD) | (1 << R_CELL_HIGH) | (1 << R_UPDATE);
/** codes that drive the pre-alarm output */
export const MASK_PRE = (1 << W_B01) | (1 << W_B07);
export const MASK_WARNING = (1 << W_B01) | (1 << W_B05) | (1 << W_B07) | (P12200 ? 1 << W_B12 : 0);
export const MASK_ALARM = (1 << A_B01) | (1 << A_B05) | (1 << A_B07) | (1 << A_B08) | (1 << A_B09) |
  (P12200 ? (1 << A_A12) | (1 << A_B11) | (1 << A_B15) : 0);
export const MASK_ERROR = ERRORS | (P12200 ? E12 : 0);
/** the Victron error number by bit, as the char codes of a string: 0 but for the errors (E-B01 is
 * bit 8: 1, E-B05 5, E-B09 9, E-B11 11; the 12-200's E-B30..E-B33 30..33 from bit 18). A string,
 * not a typed array: in flash a byte a code, not a number and a comma */
export const VICTRON_ERRORS = P12200
  ? "\0\0\0\0\0\0\0\0\x01\x05\x09\x0b\0\0\0\0\0\0\x1e\x1f\x20\x21\0\0\0\0"
  : "\0\0\0\0\0\0\0\0\x01\x05\x09\x0b\0\0\0\0\0\0";

/** The ids of the active bits, e.g. ["W-B05", "A-B05"] (for the REPL, not the tick). */
export function codeIds(active: number): string[] {
  const out: string[] = [];
  // the table is split for an active code only: a client's status poll mostly finds none
  for (let i = 0; i < CODE_COUNT; i++) if (active & (1 << i)) out.push(CODE_IDS.split(" ")[i]);
  return out;
}
