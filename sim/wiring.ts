// Pin names of each board as the firmware's src/board.ts assigns them, for the simulator's
// scenarios and the tests. The behaviour tests on both boards fail if the two drift apart.
export interface Wiring {
  atd: string; atc: string; pre: string; remL: string; remH: string; linkRx: string; red: string; blue: string;
}
export const PUCK: Wiring = { atd: "D1", atc: "D2", pre: "D31", remL: "D28", remH: "D29", linkRx: "D30", red: "LED1", blue: "LED3" };
export const MDBT42Q: Wiring = { atd: "D14", atc: "D15", pre: "D16", remL: "D11", remH: "D12", linkRx: "D8", red: "LED1", blue: "LED2" };

/** The Smart BMS 12-200 profile (src/board.ts, MDBT42Q only): three more outputs, two analog inputs. */
export interface VehicleWiring extends Wiring {
  alt: string; sysD: string; sysC: string; aStart: string; aSys: string;
}
export const P12200: VehicleWiring = { ...MDBT42Q, alt: "D25", sysD: "D26", sysC: "D27", aStart: "D2", aSys: "D3" };
/** its dividers, 100 kΩ over 15 kΩ: volts at the input per volt at the pin */
export const DIVIDER_12200 = 115 / 15;
