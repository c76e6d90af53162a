// Human names and units of the values the BMS reports and of its settings. An unknown key is
// still shown (under its own name), so every item of a reply reaches the page.

export const HISTORY: Record<string, [string, string]> = {
  deepest_Ah: ["Deepest discharge", "Ah"],
  drawn_Ah: ["Cumulative Ah drawn", "Ah"],
  discharged_kWh: ["Discharged energy", "kWh"],
  charged_kWh: ["Charged energy", "kWh"],
  syncs: ["Synchronisations", ""],
  cycles: ["Charge cycles", ""],
  sinceFull_h: ["Time since last full charge", "h"],
  vMin: ["Minimum battery voltage", "V"],
  vMax: ["Maximum battery voltage", "V"],
  cellMin_V: ["Minimum cell voltage", "V"],
  cellMax_V: ["Maximum cell voltage", "V"],
  tempMin_C: ["Minimum battery temperature", "°C"],
  tempMax_C: ["Maximum battery temperature", "°C"],
};

export const SETTINGS: Record<string, [string, string]> = {
  chargedCellVoltage: ["Charged voltage (per cell)", "Sync to 100 % needs the bank at this voltage × cells in series."],
  tailCurrent: ["Tail current", "… and the charge current at or below this share of capacity."],
  chargedTime: ["Charged detection time", "… both held this long."],
  lowSocWarning: ["Low-SoC warning level", "W-B07 and the pre-alarm at or below this SoC."],
  dischargeFloor: ["Discharge floor", "A-B07 at or below this SoC, loads off after the low-SoC delay; 0 turns it off. Time to go ends here."],
  preAlarmCellVoltage: ["Pre-alarm cell voltage", "W-B01 and the pre-alarm when a cell is at or below this."],
  lowSocDelay: ["Low-SoC delay", "Loads go off this long after A-B07 (charging restarts it); 0 = at once."],
  preAlarmMode: ["Intermittent pre-alarm", "Off: continuous. On: 1 s on, 1 s off."],
  bluetooth: ["Bluetooth", "Off: Bluetooth only for 30 s after power-up and while a client is connected."],
  readout: ["Instant Readout", "Key data in the advertising packet, readable with the readout key."],
  mode: ["Mode", "Off: loads and chargers off (ATD and ATC float), monitoring goes on. Kept across restarts."],
  advInterval: ["Advertising interval", ""],
  name: ["Bluetooth name", "1–20 printable characters."],
  pin: ["PIN", "4–8 digits. Leave empty to keep the current PIN."],
  pairing: ["Passkey pairing", "BLE pairing with the PIN as passkey (the PIN must have 6 digits)."],
  // the Smart BMS 12-200 profile only (docs/smart-bms-12-200.md "Settings")
  chargeLimit: ["Battery charge limit", "The alternator input stops at this bank voltage and starts again after 10 s at least 0.5 V below it."],
  remoteFunction: ["Remote off switches everything off", "Off: remote off (or the soft switch) stops the alternator and System+ only; the BMS keeps monitoring. On: every output off."],
  fuseType: ["Alternator fuse type", "0 not set, 1 125 A, 2 100 A, 3 80 A, 4 60 A, 5 2×30 A, 6 2×20 A, 7 2×15 A, 8 2×10 A, 9 2×7.5 A."],
};

/** A refusal from the BMS in the page's words: setting keys become their labels. */
export function humanize(err: string): string {
  return err.replace(/\b[a-zA-Z]+\b/g, (w) => (SETTINGS[w] ? "“" + SETTINGS[w][0] + "”" : w));
}

/** A number for the page: fixed decimals, "—" when the BMS does not know it. */
export function fmt(v: unknown, digits = 1, unit = ""): string {
  if (typeof v !== "number" || !isFinite(v)) return v === undefined || v === null ? "—" : String(v);
  return v.toFixed(digits) + (unit ? " " + unit : "");
}

export function fmtTtg(min: unknown): string {
  if (typeof min !== "number" || !isFinite(min)) return "—";
  const h = Math.floor(min / 60);
  const m = Math.round(min % 60);
  return h >= 240 ? "∞" : h ? h + " h " + m + " min" : m + " min";
}
