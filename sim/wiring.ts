// Pin names of each board as the firmware's src/board.ts assigns them, for the simulator's
// scenarios and the tests. The behaviour tests on both boards fail if the two drift apart.
export interface Wiring {
  atd: string; atc: string; pre: string; remL: string; remH: string; linkRx: string; red: string; blue: string;
}
export const PUCK: Wiring = { atd: "D1", atc: "D2", pre: "D31", remL: "D28", remH: "D29", linkRx: "D30", red: "LED1", blue: "LED3" };
export const MDBT42Q: Wiring = { atd: "D14", atc: "D15", pre: "D16", remL: "D11", remH: "D12", linkRx: "D8", red: "LED1", blue: "LED2" };
