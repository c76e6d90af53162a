// Scenarios for `npm start` and for demos: a simulated bank wired to the board, and timed steps
// acted on it the way a person at the terminals, the REPL or the batteries would.
import type { SimBoard } from "./board.ts";
import type { BankConfig } from "./bank.ts";
import type { Rig } from "./rig.ts";
import type { Vehicle } from "./vehicle.ts";
import type { Wiring } from "./wiring.ts";

export interface Ctx {
  b: SimBoard;
  w: Wiring;
  rig: Rig;
  /** the vehicle around a Smart BMS 12-200 (scenarios with profile "12-200") */
  veh?: Vehicle;
}
export interface Step {
  at_s: number;
  say: string;
  act(c: Ctx): void;
}
export interface Scenario {
  name: string;
  about: string;
  duration_s: number;
  /** default print interval */
  every_s: number;
  bank: Partial<BankConfig>;
  steps: Step[];
  /** the build profile it runs on (tools/build.ts --profile); default the smallBMS NG */
  profile?: string;
}

/** a new board's PIN (src/settings.ts) */
export const DEFAULT_PIN = "000000";

/**
 * A person at the console: the firmware locks it at boot and whenever a client leaves, so they
 * type the PIN first, like any client, then the line. If it was locked, they lock it again when
 * done (E.lockConsole(), what the firmware does when a client leaves), so a page that connects
 * later must give the PIN itself; a page that has unlocked it keeps its session.
 */
function atConsole(line: string): (c: Ctx) => void {
  return (c) => {
    const wasLocked = c.b.locked;
    c.b.repl(DEFAULT_PIN);
    c.b.repl(line);
    if (wasLocked) c.b.repl("E.lockConsole()");
  };
}

const remoteOn: Step = { at_s: 2, say: "Remote L pulled to battery minus (remote ON)", act: (c) => c.b.drive(c.w.remL, 0) };

export const SCENARIOS: Scenario[] = [
  {
    name: "remote",
    about: "remote on/off and Mode: outputs follow at once, within the event",
    duration_s: 120,
    every_s: 10,
    bank: { soc: 0.8, load_A: 5 },
    steps: [
      remoteOn,
      { at_s: 30, say: "Remote L released (remote OFF)", act: (c) => c.b.drive(c.w.remL, null) },
      { at_s: 40, say: "Remote H driven high (remote ON)", act: (c) => c.b.drive(c.w.remH, 1) },
      { at_s: 60, say: "the PIN, then bms.mode(false) at the REPL", act: atConsole("bms.mode(false)") },
      { at_s: 75, say: "the PIN, then bms.mode(true) at the REPL", act: atConsole("bms.mode(true)") },
      { at_s: 90, say: "a phone connects over Bluetooth", act: (c) => c.b.radio.connect() },
      { at_s: 105, say: "the phone disconnects", act: (c) => c.b.radio.disconnect() },
    ],
  },
  {
    name: "discharge",
    about: "deep discharge: the pre-alarm comes on, ATD floats 30 s later, a charger brings it back",
    duration_s: 2 * 3600,
    every_s: 300,
    bank: { soc: 0.25, load_A: 40, capacity_Ah: 100 },
    steps: [
      remoteOn,
      { at_s: 3, say: "the PIN, then bms.setSoc(25) at the REPL (the owner knows the battery is at 25 %)", act: atConsole("bms.setSoc(25)") },
      {
        at_s: 45 * 60,
        say: "the load is switched off and a 30 A charger connected",
        act: (c) => {
          c.rig.setLoad(0);
          c.rig.setCharger(30);
        },
      },
    ],
  },
  {
    name: "cold",
    about: "cold charge: below 5 °C the charger is blocked (ATC floats) until 7 °C",
    duration_s: 3600,
    every_s: 120,
    bank: { soc: 0.5, charger_A: 20, ambient_C: 3 },
    steps: [
      remoteOn,
      { at_s: 600, say: "the heater warms the batteries (ambient 15 °C)", act: (c) => c.rig.setAmbient(15) },
    ],
  },
  {
    name: "link-loss",
    about: "the battery cable is cut: W-B05 after 5 s, A-B05 and both outputs off after 30 s",
    duration_s: 120,
    every_s: 5,
    bank: { series: 2, parallel: 1, soc: 0.7, load_A: 10 },
    steps: [
      remoteOn,
      { at_s: 20, say: "the link cable is cut after battery 1", act: (c) => c.rig.cutCable(1) },
      { at_s: 80, say: "the cable is repaired", act: (c) => c.rig.cutCable(null) },
    ],
  },
  {
    name: "hot",
    about: "a battery overheats while charging: A-B09 blocks charging above 50 °C until 45 °C",
    duration_s: 1800,
    every_s: 60,
    bank: { soc: 0.4, charger_A: 30 },
    steps: [
      remoteOn,
      { at_s: 120, say: "battery 1 heats to 52 °C", act: (c) => c.rig.setTemp(0, 52) },
      { at_s: 600, say: "battery 1 cools to 44 °C", act: (c) => c.rig.setTemp(0, 44) },
    ],
  },
  {
    name: "vehicle",
    profile: "12-200",
    about: "Smart BMS 12-200 in a van: inverter on System+, engine start, alternator charging to the charge limit, a short",
    duration_s: 960,
    every_s: 30,
    bank: { soc: 0.85, capacity_Ah: 50 },
    steps: [
      remoteOn,
      { at_s: 10, say: "an inverter on System+ draws 30 A", act: (c) => void (c.veh!.cfg.inverter_A = 30) },
      { at_s: 60, say: "the engine cranks: the starter battery sags to 9.8 V", act: (c) => void (c.veh!.engine = "crank") },
      { at_s: 63, say: "the engine runs: the alternator holds the starter side at 14.2 V", act: (c) => void (c.veh!.engine = "run") },
      { at_s: 180, say: "the inverter is switched off", act: (c) => void (c.veh!.cfg.inverter_A = 0) },
      { at_s: 720, say: "the engine stops: the starter battery rests at 12.6 V", act: (c) => void (c.veh!.engine = "off") },
      { at_s: 840, say: "a short on System+", act: (c) => void (c.veh!.short = true) },
      { at_s: 855, say: "the short is cleared", act: (c) => void (c.veh!.short = false) },
    ],
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
