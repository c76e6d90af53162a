// One record per target board: every pin the firmware touches is named here and nowhere else.
// The simulator presents itself as one of these boards (process.env.BOARD), so the same bundle
// runs unchanged on the device and in sim/. Wiring and polarity: README "Wiring".

export interface Board {
  /** Load disconnect: driven high = discharge allowed, floating = off */
  atd: Pin;
  /** Charge disconnect: driven high = charge allowed, floating = off */
  atc: Pin;
  /** Pre-alarm: floating normally, driven high while a pre-alarm is active */
  pre: Pin;
  /** Remote L: pulled up on the board; ON when pulled to battery minus or bridged to H */
  remL: Pin;
  /** Remote H: pulled down on the board (stronger than L's pull-up); ON when driven high */
  remH: Pin;
  /** battery link receive line (Serial1 RX) */
  linkRx: Pin;
  /** error LED (red) */
  red: Pin;
  /** Bluetooth LED (blue; the MDBT42Q breakout has a green one instead) */
  blue: Pin;
  /** the push button (reads high when pressed): PIN recovery in the first 30 s after power-up */
  btn: Pin;
  /** Smart BMS 12-200 profile only (docs/smart-bms-12-200.md "Wiring") */
  /** alternator/starter output: driven high = the DC-DC charger or switch may charge the bank */
  alt?: Pin;
  /** System+ discharge switch, and charge switch: driven high = that direction allowed */
  sysD?: Pin;
  sysC?: Pin;
  /** analog inputs through a 100 kΩ / 15 kΩ divider: starter side, System+ side */
  aStart?: Pin;
  aSys?: Pin;
}

/** The board this firmware runs on, chosen by the profile and process.env.BOARD (a value, not a function: RAM). */
export const BOARD: Board = __PROFILE__ === "12-200"
  // the Smart BMS 12-200 needs 11 pins, more than a Puck.js's six pads: an MDBT42Q only (our choice)
  ? { atd: D14, atc: D15, pre: D16, remL: D11, remH: D12, linkRx: D8, red: LED1, blue: LED2, btn: D0,
    alt: D25, sysD: D26, sysC: D27, aStart: D2, aSys: D3 }
  : process.env.BOARD === "MDBT42Q"
  ? { atd: D14, atc: D15, pre: D16, remL: D11, remH: D12, linkRx: D8, red: LED1, blue: LED2, btn: D0 }
  // Puck.js v2 (also the default): the six pads D1, D2, D28..D31, red LED1 and blue LED3
  : { atd: D1, atc: D2, pre: D31, remL: D28, remH: D29, linkRx: D30, red: LED1, blue: LED3, btn: D0 };
