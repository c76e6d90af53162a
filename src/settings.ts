// Settings the protection rules read (SPEC §4, §6). Issue "configuration" turns this into the
// one schema (names, units, ranges, factory reset) shared by the REPL, the web app and storage;
// until then these are the defaults.
import type { SocSettings } from "./soc/counter";

export interface Settings extends SocSettings {
  /** W-B01 pre-alarm cell level, 2850..3150 mV */
  preAlarm_mV: number;
  /** W-B07 low-SoC warning level, % */
  lowSocWarn_pct: number;
  /** A-B07 grace time before ATD opens, s, 0 = immediate */
  floorDelay_s: number;
  /** pre-alarm output: false = continuous, true = intermittent (1 s on, 1 s off) */
  preIntermittent: boolean;
  /** Instant Readout in the advertising packet */
  readoutOn: boolean;
  /** advertising interval, ms */
  advInterval_ms: number;
  /** Bluetooth device name (scan response) */
  name: string;
}

export function defaultSettings(): Settings {
  return {
    preAlarm_mV: 3100, lowSocWarn_pct: 20, floor_pct: 10, floorDelay_s: 300, preIntermittent: false,
    chargedCell_mV: 3500, tail_pct: 4, chargedTime_s: 180,
    readoutOn: true, advInterval_ms: 1000, name: "open smallBMS",
  };
}
