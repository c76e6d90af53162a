// The one settings schema (STYLE §4, SPEC §6-§7): key, unit, default, range, step, and whether a
// factory reset restores it. The REPL, the web app, storage and the README table all read it.
// Its names are the ones a person types (`bms.set("tailCurrent", 5)`) and the keys of the record
// stored in flash. The settings the firmware holds (Supervisor.cfg) keep the schema's order, and
// the build shortens their keys like every property the tick reads: `heldKey` finds a name's.
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

/** Built on demand (REPL, web app, boot): the literal is not kept in RAM. */
export function schema(): SchemaRow[] {
  // prettier-ignore
  const rows: SchemaRow[] = [
    // the battery monitor's (docs/soc.md): the smallBMS NG's only, the first six
    ["chargedCellVoltage",  "V",   3.5,             3.4,  3.65,  0.01, true],  // x cells in series; our range
    ["tailCurrent",         "%",   4,               0.5,  10,    0.1,  true],
    ["chargedTime",         "min", 3,               1,    50,    1,    true],
    ["lowSocWarning",       "%",   20,              0,    99,    1,    true],
    ["dischargeFloor",      "%",   10,              0,    99,    1,    true],  // 0 = off
    ["lowSocDelay",         "s",   300,             0,    3600,  1,    false], // 0 = at once
    ["preAlarmCellVoltage", "V",   3.1,             2.85, 3.15,  0.01, false],
    ["preAlarmMode",        "",    0,               0,    1,     1,    false], // 0 continuous, 1 intermittent
    ["bluetooth",           "",    1,               0,    1,     1,    false],
    ["readout",             "",    1,               0,    1,     1,    false], // Instant Readout
    ["advInterval",         "ms",  1000,            100,  10000, 1,    false],
    ["name",                "",    "open smallBMS", 1,    20,    0,    false],
    ["pin",                 "",    DEFAULT_PIN,     4,    8,     0,    false], // digits
    ["pairing",             "",    0,               0,    1,     1,    false], // BLE passkey = the PIN (6 digits)
    ["mode",                "",    1,               0,    1,     1,    false], // the Mode switch: kept across restarts
  ];
  // The Smart BMS 12-200 has no battery monitor, as the product (its manual leaves the state of
  // charge to a SmartShunt or BMV): its schema goes without the first six rows. (They stay in its
  // bundle, 200 B of flash of which it has more than 1 KB to spare: the table as one literal is
  // 10 B less in the smallBMS NG's, which has none)
  if (P12200) rows.splice(0, 6);
  // prettier-ignore
  if (P12200) rows.push(
    ["chargeLimit",         "V",   14.2,            13,   15.3,  0.1,  true],  // the alternator input stops here
    ["remoteFunction",      "",    0,               0,    1,     1,    true],  // 0 alternator + System+ only, 1 everything off
    ["fuseType",            "",    0,               0,    9,     1,    true],  // 0 not set, 1..9 the manual's fuse table
  );
  return rows;
}

/**
 * Free variables a settings change, `bms.schema()` or a factory reset needs on top of the loaded
 * module (the 15 schema rows, the check, the record's JSON): measured on Espruino's 32-bit build
 * with 50 batteries, memory collected first, a change ran out of memory with 200 free and not
 * with 250, a factory reset with 275 and not with 300; the Smart BMS 12-200's (then 18 rows, 5
 * batteries) a change with 250 and not with 300, a reset with 300 and not with 350 (docs/device-
 * budget.md "A client's session"): about 100 to spare, more since its schema lost the battery
 * monitor's six rows (12 now). With fewer free the call is refused and
 * changes nothing, rather than run Espruino out of memory, which stops the interpreter and the
 * tick with it.
 */
export const SETTING_NEED_VARS_NG = 400;
export const SETTING_NEED_VARS_12200 = 450;
export const SETTING_NEED_VARS = P12200 ? SETTING_NEED_VARS_12200 : SETTING_NEED_VARS_NG;

export function defaultSettings(): Settings {
  const s = {} as Record<string, number | string>;
  const rows = schema();
  for (let k = 0; k < rows.length; k++) s[rows[k][0]] = rows[k][2];
  return s as unknown as Settings;
}

/** The index of the setting `name` in `rows` (schema()), -1 if there is none. */
export function rowOf(rows: SchemaRow[], name: unknown): number {
  for (let k = 0; k < rows.length; k++) if (rows[k][0] === name) return k;
  return -1;
}

/**
 * The key under which `st` holds the setting at schema row `k`. The held settings have the
 * schema's keys in the schema's order (src/defaults.ts, defaultSettings; only ever written by
 * key), and their keys are what the build made of the names (tools/build.ts): the k-th key is
 * row k's. On the host the two are the same. (It lists the keys at each call: settings calls
 * are rare, and a list handed around took 34 B more of flash.)
 */
export function heldKey(st: Settings, k: number): string {
  return Object.keys(st)[k];
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

export function fault(err: string, field: string, min?: number, max?: number): SettingError {
  return { err: err, field: field, min: min, max: max };
}

/**
 * Why `value` is not acceptable for `key` given the other settings, or undefined if it is.
 * `alone`: the value's own range only, without the rules that tie two settings together.
 */
export function check(st: Settings, key: unknown, value: unknown, alone?: boolean): SettingError | undefined {
  const rows = schema();
  const row = rows[rowOf(rows, key)];
  if (!row) return fault("unknown setting", label(key));
  const min = row[3];
  const max = row[4];
  const step = row[5];
  if (step === 0) {
    if (typeof value !== "string" || value.length < min || value.length > max) return fault("must be text of " + min + ".." + max + " characters", row[0], min, max);
    if (!(row[0] === "pin" ? /^[0-9]+$/ : /^[ -~]+$/).test(value)) return fault(row[0] === "pin" ? "must be digits" : "must be printable ASCII", row[0]);
    if (!alone && row[0] === "pin" && st.pairing === 1 && value.length !== 6) return fault(PAIRING_PIN, row[0]);
    return undefined;
  }
  // a switch (0..1 in steps of 1) also takes true/false from a person; a stored record does not
  if (!alone && typeof value === "boolean" && max === 1 && step === 1) value = +value;
  if (typeof value !== "number" || !isFinite(value) || value < min - 1e-9 || value > max + 1e-9) {
    return fault("must be a number " + min + ".." + max + (row[1] ? " " + row[1] : ""), row[0], min, max);
  }
  const steps = (value - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-6) return fault("must be in steps of " + step, row[0], min, max);
  if (alone) return undefined;
  // the low-SoC warning (row 3) must stay above the discharge floor (row 4) while the floor is on
  // (the smallBMS NG's battery monitor: the 12-200 has neither)
  if (!P12200) {
    const pair = key === rows[3][0] || key === rows[4][0];
    const warn = key === rows[3][0] ? value : st.lowSocWarning;
    const floor = key === rows[4][0] ? value : st.dischargeFloor;
    if (pair && floor > 0 && warn <= floor) return fault("lowSocWarning must be above dischargeFloor", row[0]);
  }
  if (key === "pairing" && value === 1 && st.pin.length !== 6) return fault(PAIRING_PIN, row[0]);
  return undefined;
}
