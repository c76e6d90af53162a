// Settings in flash: one checked record (src/record.ts) holding every schema key. A value that
// fails the schema (a corrupt or older record) is replaced by its default, and the caller is told
// so; a refused value is never stored and changes nothing.
// Part of the on-demand module (dist/bms-api.js, docs/architecture.md "Two files"): the resident
// firmware holds the values (Supervisor.cfg), this file checks, stores and applies them.
import { loadRecord, recordFound, saveRecord, type RawStore } from "./record";
import type { Vehicle } from "./vehicle/vehicle";

const FILE = "bms.cfg";
import { check, fault, heldKey, label, rowOf, schema, type SchemaRow, SETTING_NEED_VARS, type SettingError, type Settings } from "./settings";

/** Load into `st` (which holds the defaults). false if the record was missing or had to be mended. */
export function loadSettings(io: RawStore, st: Settings): boolean {
  const r = loadRecord(io, FILE);
  const saved = r ? (r.s as Record<string, unknown> | undefined) : undefined;
  if (!saved || typeof saved !== "object") return false;
  const rows = schema();
  const target = st as unknown as Record<string, unknown>;
  let whole = true;
  for (let k = 0; k < rows.length; k++) {
    const name = rows[k][0];
    if (check(st, name, saved[name], true) === undefined) target[heldKey(st, k)] = saved[name];
    else whole = false;
  }
  // then the rules that tie two settings together: a broken pair goes back to its defaults
  const byDefault = (name: string) => rows[rowOf(rows, name)][2] as number;
  // (the battery monitor's pair: the smallBMS NG's only)
  if (__PROFILE__ !== "12-200" && check(st, "lowSocWarning", st.lowSocWarning)) {
    st.lowSocWarning = byDefault("lowSocWarning");
    st.dischargeFloor = byDefault("dischargeFloor");
    whole = false;
  }
  if (check(st, "pairing", st.pairing)) {
    st.pairing = byDefault("pairing");
    whole = false;
  }
  return whole;
}

/** Stored under the schema's names (the held keys are the build's: settings.ts heldKey), so that
 * a record outlives a firmware whose build named them otherwise. `rows`: schema(). */
export function saveSettings(io: RawStore, st: Settings, rows: SchemaRow[]): boolean {
  const named: Record<string, unknown> = {};
  for (let k = 0; k < rows.length; k++) named[rows[k][0]] = (st as unknown as Record<string, unknown>)[heldKey(st, k)];
  return saveRecord(io, FILE, { s: named });
}

/**
 * Set one value: refused with the reason (nothing changes, nothing is written), or stored. The
 * switches (0..1 in steps of 1) also take true/false.
 */
export function setSetting(io: RawStore, st: Settings, key: string, value: unknown): SettingError | undefined {
  const e = check(st, key, value);
  if (e) return e;
  const v = typeof value === "boolean" ? +value : value; // (check took it: a switch)
  const rows = schema();
  const target = st as unknown as Record<string, unknown>;
  const held = heldKey(st, rowOf(rows, key));
  const before = target[held];
  target[held] = v;
  if (!saveSettings(io, st, rows)) {
    target[held] = before;
    return { err: "the store refused it", field: key, store: true };
  }
  return undefined;
}

/** Factory reset (SPEC §6): charged voltage, tail current, detection time, low-SoC level, floor. */
export function factoryReset(io: RawStore, st: Settings): boolean {
  const rows = schema();
  const target = st as unknown as Record<string, unknown>;
  for (let k = 0; k < rows.length; k++) if (rows[k][6]) target[heldKey(st, k)] = rows[k][2];
  return saveSettings(io, st, rows);
}

/** What changing a setting needs of the resident supervisor. */
export interface SettingsHost {
  readonly cfg: Settings;
  hardwareError(): void;
  decide(): void;
  readonly hw: { store: RawStore; settings(st: Settings): void };
  readonly protect: { stale: number };
  readonly ro: { again: number };
  seen: number;
  /** Smart BMS 12-200 profile only: E-B31 lives there */
  veh?: Vehicle;
}

/**
 * Make the supervisor, the radio and the console follow the settings (at boot and after each
 * change: a function of the module and of the load, not resident).
 */
export function applySettings(h: SettingsHost): void {
  h.protect.stale = 1; // the limits' numbers follow the settings ...
  h.seen = -1; // ... from the next tick
  h.hw.settings(h.cfg);
  h.ro.again = 1; // the payload back on air (the radio was given other adverts)
}

/** At boot: the stored settings into `h.cfg` (which holds the defaults). */
export function bootSettings(h: SettingsHost): void {
  if (!loadSettings(h.hw.store, h.cfg) && recordFound(h.hw.store, FILE)) {
    console.log("bms: stored settings unreadable, defaults in use");
    // the 12-200 says so with E-B31 until settings are stored again (docs/smart-bms-12-200.md)
    if (__PROFILE__ === "12-200") h.veh!.cfgBad = true;
  }
}

/** `bms.set(key, value)`: undefined when stored and applied, else why not (nothing changed). */
export function changeSetting(h: SettingsHost, key: string, value: unknown): SettingError | undefined {
  const e = lowOnMemory(SETTING_NEED_VARS) ? fault("low on memory", label(key)) : setSetting(h.hw.store, h.cfg, key, value);
  if (e && e.store) h.hardwareError();
  if (!e) applySettings(h);
  if (__PROFILE__ === "12-200" && !e) h.veh!.cfgBad = false;
  h.decide(); // a setting such as mode acts now, not at the next tick
  return e;
}


/** true when a settings call needing `need` variables would not fit now: the same look as the
 * module's loader (src/hal/store.ts mod), garbage collected once before a refusal, since Espruino
 * collects by itself only when nearly nothing is free */
export function lowOnMemory(need: number): boolean {
  return process.memory(false).free < need && process.memory().free < need;
}

/** `bms.factoryReset()`, stored and applied. */
export function resetSettings(h: SettingsHost): void {
  if (!factoryReset(h.hw.store, h.cfg)) h.hardwareError();
  else if (__PROFILE__ === "12-200") h.veh!.cfgBad = false;
  applySettings(h);
}
