// The one settings schema (STYLE §4, SPEC §6-§7): key, unit, default, range, step, and whether a
// factory reset restores it. The REPL, the web app, storage and the README table all read it.
// Keys are the names a person types (`bms.set("tailCurrent", 5)`) and the names stored in flash;
// the build never shortens them (tools/mangle-names.ts keeps every key of `Settings`).
const P12200 = typeof __PROFILE__ !== "undefined" && __PROFILE__ === "12-200"; // src/profile.ts
export interface Settings {
  chargedCellVoltage: number;
  tailCurrent: number;
  chargedTime: number;
  lowSocWarning: number;
  dischargeFloor: number;
  preAlarmCellVoltage: number;
  lowSocDelay: number;
  preAlarmMode: number;
  bluetooth: number;
  readout: number;
  advInterval: number;
  name: string;
  pin: string;
  pairing: number;
  mode: number;
  /** Smart BMS 12-200 profile only (docs/smart-bms-12-200.md "Settings") */
  chargeLimit: number;
  remoteFunction: number;
  fuseType: number;
}
export type SettingKey = keyof Settings;

/** [key, unit, default, min, max, step (0 = text: min/max are lengths), factory reset restores it] */
export type SchemaRow = [SettingKey, string, number | string, number, number, number, boolean];

/** the console PIN of a new board, and after the PIN-recovery button (docs/web.md) */
export const DEFAULT_PIN = "000000";

// One row per setting: key,unit,default,min,max,step,reset (1 = a factory reset restores it).
// A string, not an array literal: shorter in flash, and a row is parsed when it is needed, so
// RAM holds one row at a time, never the whole table (at boot the resident objects and the
// module's records line are in RAM together: docs/device-budget.md).
// prettier-ignore
const TABLE =
  "|chargedCellVoltage,V,3.5,3.4,3.65,0.01,1" + // x cells in series; our range
  "|tailCurrent,%,4,0.5,10,0.1,1" +
  "|chargedTime,min,3,1,50,1,1" +
  "|lowSocWarning,%,20,0,99,1,1" +
  "|dischargeFloor,%,10,0,99,1,1" + // 0 = off
  "|preAlarmCellVoltage,V,3.1,2.85,3.15,0.01,0" +
  "|lowSocDelay,s,300,0,3600,1,0" + // 0 = at once
  "|preAlarmMode,,0,0,1,1,0" + // 0 continuous, 1 intermittent
  "|bluetooth,,1,0,1,1,0" +
  "|readout,,1,0,1,1,0" + // Instant Readout
  "|advInterval,ms,1000,100,10000,1,0" +
  "|name,,open smallBMS,1,20,0,0" + // text (step 0): min/max are lengths
  "|pin,,000000,4,8,0,0" + // digits; DEFAULT_PIN
  "|pairing,,0,0,1,1,0" + // BLE passkey = the PIN (6 digits)
  "|mode,,1,0,1,1,0" + // the Mode switch: kept across restarts
  (P12200
    ? "|chargeLimit,V,14.2,13,15.3,0.1,1" + // the alternator input stops here
      "|remoteFunction,,0,0,1,1,1" + // 0 alternator + System+ only, 1 everything off
      "|fuseType,,0,0,9,1,1" // 0 not set, 1..9 the manual's fuse table
    : "");

/** One row from its text "key,unit,default,min,max,step,reset". */
function parseRow(text: string): SchemaRow {
  const f = text.split(",");
  return [f[0] as SettingKey, f[1], f[5] === "0" ? f[2] : +f[2], +f[3], +f[4], +f[5], f[6] === "1"];
}

/** The row of `key`, or undefined when there is none. */
export function schemaRow(key: unknown): SchemaRow | undefined {
  const at = typeof key === "string" ? TABLE.indexOf("|" + key + ",") : -1;
  if (at < 0) return undefined;
  const end = TABLE.indexOf("|", at + 1);
  const row = parseRow(TABLE.slice(at + 1, end < 0 ? TABLE.length : end));
  return row[0] === key ? row : undefined;
}

/** Every key, in the table's order. */
export function settingKeys(): SettingKey[] {
  const rows = TABLE.split("|");
  const out: SettingKey[] = [];
  for (let k = 1; k < rows.length; k++) out.push(rows[k].slice(0, rows[k].indexOf(",")) as SettingKey);
  return out;
}

/** The whole table, built on demand (`bms.schema()`, the web app, the README table). */
export function schema(): SchemaRow[] {
  const rows = TABLE.split("|");
  const out: SchemaRow[] = [];
  for (let k = 1; k < rows.length; k++) out.push(parseRow(rows[k]));
  return out;
}

/** The defaults, into `into` when given (the supervisor's `cfg` at boot), else a new object. */
export function defaultSettings(into?: Settings): Settings {
  const s = (into || {}) as unknown as Record<string, number | string>;
  const keys = settingKeys();
  for (let k = 0; k < keys.length; k++) s[keys[k]] = schemaRow(keys[k])![2];
  return s as unknown as Settings;
}

export interface SettingError {
  err: string;
  field: string;
  min?: number;
  max?: number;
  /** the value was fine but the flash refused it (E-B11) */
  store?: boolean;
}

/** A name for any value in a reply: never throws, never echoes a huge string. */
export function label(x: unknown): string {
  return typeof x === "string" ? x.slice(0, 32) : typeof x === "number" ? String(x) : typeof x;
}

const PAIRING_PIN = "pairing needs a 6-digit pin";

function fault(err: string, field: string, min?: number, max?: number): SettingError {
  return { err: err, field: field, min: min, max: max };
}

/**
 * Why `value` is not acceptable for `key` given the other settings, or undefined if it is.
 * `alone`: the value's own range only, without the rules that tie two settings together.
 */
export function check(st: Settings, key: unknown, value: unknown, alone?: boolean): SettingError | undefined {
  const row = schemaRow(key);
  if (!row) return fault("unknown setting", label(key));
  const min = row[3];
  const max = row[4];
  const step = row[5];
  if (step === 0) {
    if (typeof value !== "string" || value.length < min || value.length > max) return fault("must be text of " + min + ".." + max + " characters", row[0], min, max);
    if (row[0] === "pin" ? !/^[0-9]+$/.test(value) : !/^[ -~]+$/.test(value)) return fault(row[0] === "pin" ? "must be digits" : "must be printable ASCII", row[0]);
    if (!alone && row[0] === "pin" && st.pairing === 1 && value.length !== 6) return fault(PAIRING_PIN, row[0]);
    return undefined;
  }
  if (typeof value !== "number" || !isFinite(value) || value < min - 1e-9 || value > max + 1e-9) {
    return fault("must be a number " + min + ".." + max + (row[1] ? " " + row[1] : ""), row[0], min, max);
  }
  const steps = (value - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-6) return fault("must be in steps of " + step, row[0], min, max);
  if (alone) return undefined;
  // the low-SoC warning must stay above the discharge floor while the floor is on
  const pair = key === "lowSocWarning" || key === "dischargeFloor";
  const warn = key === "lowSocWarning" ? value : st.lowSocWarning;
  const floor = key === "dischargeFloor" ? value : st.dischargeFloor;
  if (pair && floor > 0 && warn <= floor) {
    return fault("lowSocWarning must be above dischargeFloor", row[0]);
  }
  if (key === "pairing" && value === 1 && st.pin.length !== 6) return fault(PAIRING_PIN, row[0]);
  return undefined;
}
