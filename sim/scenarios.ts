// Scenarios for `npm start` and for demos: timed steps acted on the simulated board, the way a
// person at the terminals or the REPL would. Each step says what it does in plain words.
import type { SimBoard } from "./board.ts";
import type { Wiring } from "./wiring.ts";

export interface Step {
  at_s: number;
  say: string;
  act(b: SimBoard, w: Wiring): void;
}
export interface Scenario {
  name: string;
  about: string;
  duration_s: number;
  /** default print interval */
  every_s: number;
  steps: Step[];
}

export const SCENARIOS: Scenario[] = [
  {
    name: "remote",
    about: "remote on/off and Mode: outputs follow at once, within the event",
    duration_s: 120,
    every_s: 10,
    steps: [
      { at_s: 5, say: "Remote L pulled to battery minus (remote ON)", act: (b, w) => b.drive(w.remL, 0) },
      { at_s: 30, say: "Remote L released (remote OFF)", act: (b, w) => b.drive(w.remL, null) },
      { at_s: 40, say: "Remote H driven high (remote ON)", act: (b, w) => b.drive(w.remH, 1) },
      { at_s: 60, say: "bms.mode(false) at the REPL", act: (b) => void b.repl("bms.mode(false)") },
      { at_s: 75, say: "bms.mode(true) at the REPL", act: (b) => void b.repl("bms.mode(true)") },
      { at_s: 90, say: "a phone connects over Bluetooth", act: (b) => b.radio.connect() },
      { at_s: 105, say: "the phone disconnects", act: (b) => b.radio.disconnect() },
    ],
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
