// The README's settings table, generated from the one schema (src/settings.ts) so the two never
// disagree: `npm run settings-table` prints it; test/docs.test.ts checks README.md holds it.
import { fileURLToPath } from "node:url";
import { schema } from "../src/settings.ts";

const WHAT: Record<string, string> = {
  chargedCellVoltage: "sync to 100 % needs the bank at this voltage x cells in series",
  tailCurrent: "... and the charge current at or below this share of capacity",
  chargedTime: "... both held this long",
  lowSocWarning: "W-B07 and the pre-alarm at or below this SoC",
  dischargeFloor: "A-B07 at or below this SoC, loads off after `lowSocDelay`; 0 turns it off; time to go ends here",
  preAlarmCellVoltage: "W-B01 and the pre-alarm when a cell is at or below this",
  lowSocDelay: "loads go off this long after A-B07 (charging restarts it); 0 = at once",
  preAlarmMode: "0 continuous, 1 intermittent (1 s on, 1 s off)",
  bluetooth: "1 on; 0 off, except the first 30 s after power-up and while a client is connected",
  readout: "Instant Readout in the advertising packet: 1 on, 0 off",
  advInterval: "advertising interval",
  name: "Bluetooth name (scan response), printable ASCII",
  pin: "console PIN: configuration and the readout key need it (digits)",
  pairing: "1: BLE passkey pairing with the PIN as passkey (then the PIN must have 6 digits)",
  mode: "the Mode switch (`bms.mode(on)`): 0 floats ATD and ATC; kept across restarts",
};

export function settingsTable(): string {
  const lines = ["| setting | unit | default | range | step | factory reset | what it does |", "|---|---|---|---|---|---|---|"];
  for (const [key, unit, def, min, max, step, reset] of schema()) {
    const range = step === 0 ? `${min}..${max} characters` : `${min}..${max}`;
    lines.push(`| \`${key}\` | ${unit} | ${JSON.stringify(def)} | ${range} | ${step || ""} | ${reset ? "yes" : ""} | ${WHAT[key] ?? ""} |`);
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(settingsTable());
