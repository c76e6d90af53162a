// What the BMS's code ids mean to a person: the manual's table of warnings, alarms and errors
// (smallBMS NG manual, "Warn-, Alarm- und Fehlercodes"; SPEC §4), plus the reasons an output is
// off that are not codes. The firmware only sends ids; every human word lives here.
export type Level = "warning" | "alarm" | "error" | "reason";

export interface CodeText {
  level: Level;
  title: string;
  todo: string;
}

const CHARGE_OR_REDUCE = "Charge the battery or reduce the loads to prevent an imminent system shutdown.";
const CHARGE_BACK_ON = "Charge the battery. The system switches the loads back on when the battery is charged enough.";
const CHECK_CABLES = "Check the cables between the BMS and the batteries.";
const CHECK_CONFIG = "Look at the Battery page for more information. Check that the BMS cables of all batteries are connected.";

export const CODES: Record<string, CodeText> = {
  "W-B01": { level: "warning", title: "Low cell voltage", todo: CHARGE_OR_REDUCE },
  "W-B05": { level: "warning", title: "Battery communication lost", todo: CHECK_CABLES },
  "W-B07": { level: "warning", title: "Low SoC", todo: CHARGE_OR_REDUCE },
  "A-B01": { level: "alarm", title: "Low cell voltage", todo: CHARGE_BACK_ON },
  "A-B05": { level: "alarm", title: "Battery communication lost", todo: CHECK_CABLES },
  "A-B07": {
    level: "alarm", title: "Low SoC",
    todo: "Charge the battery. The loads go off after the low-SoC delay (5 minutes by default) unless charging is detected.",
  },
  "A-B08": { level: "alarm", title: "Low bank voltage", todo: CHARGE_BACK_ON },
  "A-B09": { level: "alarm", title: "High battery temperature", todo: "The battery is too hot to charge. Try to lower the ambient temperature." },
  "E-B01": { level: "error", title: "Battery configuration invalid", todo: CHECK_CONFIG },
  "E-B05": { level: "error", title: "Battery configuration invalid", todo: CHECK_CONFIG },
  "E-B09": {
    level: "error", title: "Battery voltage not allowed",
    todo: "The battery voltage is too high or too low: outside every system range (below 9 V or above 60 V). Check the battery voltage and the wiring.",
  },
  "E-B11": { level: "error", title: "Hardware error", todo: "Restart the BMS by cutting its supply for a moment. If the error comes back, check the wiring of the outputs and the board." },
  "cold": { level: "reason", title: "Battery too cold to charge (below 5 °C)", todo: "Charging resumes at 7 °C. Warm the batteries." },
  "cell-high": { level: "reason", title: "High cell voltage", todo: "Charging resumes when every cell is at or below 3.60 V." },
  "update": { level: "reason", title: "Firmware update in progress", todo: "Charging resumes when the update ends." },
  "update-failed": { level: "reason", title: "Firmware update failed", todo: "Retry the update. Loads are off as a safety measure." },
  "no-data": { level: "reason", title: "No battery data yet", todo: "Wait a few seconds; if it stays, check the battery link cable." },
  "soc-low": { level: "reason", title: "Low SoC: loads off", todo: CHARGE_BACK_ON },
  // the Smart BMS 12-200 profile (docs/smart-bms-12-200.md "Codes")
  "E-B30": {
    level: "error", title: "Calibration error",
    todo: "A voltage input reads above 20 V: check the starter and System+ dividers and their wiring. Alternator and System+ stay off.",
  },
  "E-B31": {
    level: "error", title: "Configuration error",
    todo: "The stored settings could not be read; defaults are in use. Do a factory reset (or store any setting), then set it up again.",
  },
  "E-B32": {
    level: "error", title: "Battery BMS cable not connected or defective",
    todo: "No battery has reported for 30 s. " + CHECK_CABLES,
  },
  "E-B33": {
    level: "error", title: "Reference voltage error",
    todo: "The board's supply (the voltage inputs' reference) is outside 3.0-3.6 V: check the board's regulator. Alternator and System+ stay off.",
  },
  "A-A12": {
    level: "alarm", title: "Short circuit",
    todo: "System+ collapsed while its switches were closed: look for a short, an overload or a high inrush. System+ is tried again after 30 s.",
  },
  "A-B11": { level: "alarm", title: "Under-voltage", todo: "Switch off or disconnect loads and charge the battery. Check the charging system." },
  "A-B15": {
    level: "alarm", title: "Over-temperature",
    todo: "The BMS is above 70 °C: mount it somewhere cooler. Alternator and System+ are off until it is at 60 °C.",
  },
  "W-B12": { level: "warning", title: "Under-voltage warning", todo: "Act now to prevent a shutdown: switch off loads and charge the battery." },
};

export function codeText(id: string): CodeText {
  return CODES[id] ?? { level: "reason", title: id, todo: "" };
}

/** Why discharge is not allowed, in the order that explains it best. */
const DISCHARGE_REASONS: [string, string][] = [
  ["E-B01", "Error E-B01"], ["E-B05", "Error E-B05"], ["E-B09", "Error E-B09"], ["E-B11", "Error E-B11"],
  ["A-B05", "Battery communication lost"], ["no-data", "No battery data"],
  ["A-B01", "Low cell voltage"], ["soc-low", "Low SoC"], ["A-B08", "Low bank voltage"], ["update-failed", "Firmware update failed"],
];
const CHARGE_REASONS: [string, string][] = [
  ["E-B01", "Error E-B01"], ["E-B05", "Error E-B05"], ["E-B09", "Error E-B09"], ["E-B11", "Error E-B11"],
  ["A-B05", "Battery communication lost"], ["no-data", "No battery data"], ["cold", "Low temperature"],
  ["A-B09", "High temperature"], ["cell-high", "High cell voltage"], ["update", "Firmware update"],
];
const PRE_ALARM: [string, string][] = [["W-B01", "low cell voltage"], ["W-B07", "low SoC"]];

export interface Allowed {
  allowed: boolean;
  /** "Yes", "No: Low SoC", "Yes (Pre-alarm: low cell voltage)" */
  text: string;
}

export interface StatusLike {
  on: boolean;
  remote: boolean;
  mode: boolean;
  atd: boolean;
  atc: boolean;
  pre: boolean;
  codes: string[];
  /** the Smart BMS 12-200's soft switch (its name for Mode) */
  soft?: boolean;
}

function offReason(s: StatusLike, table: [string, string][]): string {
  if (!s.mode) return s.soft === undefined ? "Mode switched off" : "Soft switch off";
  if (!s.remote) return "Remote off";
  for (const [id, text] of table) if (s.codes.includes(id)) return text;
  return "System off";
}

export function dischargeAllowed(s: StatusLike): Allowed {
  if (!s.atd) return { allowed: false, text: "No: " + offReason(s, DISCHARGE_REASONS) };
  const pre = PRE_ALARM.filter(([id]) => s.codes.includes(id)).map(([, t]) => t);
  if (pre.length) return { allowed: true, text: "Pre-alarm: " + pre.join(", ") };
  return { allowed: true, text: "Yes" };
}

export function chargeAllowed(s: StatusLike): Allowed {
  if (!s.atc) return { allowed: false, text: "No: " + offReason(s, CHARGE_REASONS) };
  return { allowed: true, text: "Yes" };
}
