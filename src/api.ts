// The `bms` object at the Espruino REPL. Replies are plain objects that read naturally at the
// prompt, in SI units with their unit in the name. Not on the tick path: allocation is fine here.
// Reply keys are quoted: the build shortens internal property names (tools/build.ts), and a
// quoted key is what a person reads, so it is never shortened.
import { codeIds, R_UPDATE, R_UPDATE_FAILED } from "./codes";
import { changeSetting, lowOnMemory, resetSettings } from "./config";
import { OUT_ATC, OUT_ATD, OUT_PRE, systemOn } from "./decide";
import { MAX_BATT } from "./link/protocol";
import * as H from "./soc/history-fields";
import { newKey } from "./readout/keys";
import { hex } from "./readout/readout";
import { learnedList, learnNow } from "./link/learned";
import { balancer, resetSocHistory, setSoc, socPm, syncSoc } from "./soc/monitor";
import { heldKey, label, rowOf, schema, SETTING_NEED_VARS } from "./settings";
import { bankData } from "./protect/link-codes";
import { type Supervisor, updateBits } from "./supervisor";
import { OUT_ALT, OUT_SYSC, OUT_SYSD } from "./vehicle/vehicle";

/** Bumped when a method or a reply key changes meaning (the web app refuses other versions). */
export const API_VERSION = 1;
export const FW_VERSION = "0.1.0";

function fail(msg: string): never {
  throw new Error(msg);
}

/** a Smart BMS 12-200 has no battery monitor (docs/smart-bms-12-200.md "No battery monitor") */
function noMonitor(call: string): never {
  return fail(call + ": no battery monitor in a Smart BMS 12-200");
}

/** `on` of `bms.<call>(on)` is true or false, or the call fails and changes nothing */
function onOff(call: string, on: unknown): void {
  if (on !== true && on !== false) fail(call + ": on must be true or false");
}

/** the schema's rows and a record's JSON would not fit now: a clear error, nothing changed */
function room(need: number): void {
  if (lowOnMemory(need)) fail("bms: low on memory, try again");
}

let s: Supervisor;
/**
 * The `bms` object, made when the module is loaded: at the module's top level each method holds
 * one scope, in a function it would hold a copy of the scope chain (~3 variables more each on
 * Espruino, docs/device-budget.md "The cost model").
 */
const api = {
  /** `bms.status()`: on or off and why, what the outputs do, the bank's voltage and current */
  status() {
    const b = s.summary;
    // after 30 s without data (A-B05) the last numbers are history, not status
    const data = bankData(b);
    const v = data ? b.voltage_cV / 100 : undefined;
    const i = data ? b.current_dA / 10 : undefined;
    const st: Record<string, unknown> = {
      "on": systemOn(s),
      "remote": s.remoteOn,
      "mode": s.cfg.mode === 1,
      "atd": (s.outputs & OUT_ATD) !== 0,
      "atc": (s.outputs & OUT_ATC) !== 0,
      "pre": (s.outputs & OUT_PRE) !== 0,
      "v": v,
      "i": i,
      "p": data ? Math.round(v! * i!) : undefined,
      // the battery monitor's: the smallBMS NG's only (a Smart BMS 12-200 has none, as the product)
      "soc": __PROFILE__ === "12-200" ? undefined : socPct(s),
      "consumed_Ah": __PROFILE__ !== "12-200" && s.soc.counter.known ? round1(s.soc.counter.consumed_Ah) : undefined,
      "ttg_min": __PROFILE__ === "12-200" ? undefined : ttg(s),
      "codes": codeIds(s.active),
    };
    if (__PROFILE__ === "12-200") {
      // the Smart BMS 12-200's status page (docs/smart-bms-12-200.md "Status")
      st["soft"] = s.cfg.mode === 1;
      st["alt"] = (s.outputs & OUT_ALT) !== 0;
      st["sysDischarge"] = (s.outputs & OUT_SYSD) !== 0;
      st["sysCharge"] = (s.outputs & OUT_SYSC) !== 0;
      st["sys"] = (s.outputs & (OUT_SYSD | OUT_SYSC)) !== 0;
      st["vStart"] = s.veh.start_cV / 100;
      st["vSys"] = s.veh.sys_cV / 100;
      st["chargeLimited"] = s.veh.limited;
      // no sensor measures the alternator's current (a Puck.js has no power stage): the limit
      // the fuse type stands for is shown, the percentage stays "not available"
      st["altLimit_A"] = fuseLimit_A(s.cfg.fuseType) || undefined;
      st["altPct"] = undefined;
    }
    return st;
  },
  // the battery monitor's four calls are the smallBMS NG's: a Smart BMS 12-200 has no monitor,
  // and in its bundle each is a clear error. The NG's body sits in an `else` on purpose: esbuild
  // tree-shakes before it minifies, so a body after the `return` would keep the monitor's
  // functions it calls in the 12-200's bundle (420 B, docs/device-budget.md)
  /** `bms.history()`: the battery's life since installation or the last `bms.resetHistory()` */
  history() {
    if (__PROFILE__ === "12-200") return noMonitor("history");
    else {
      const h = s.soc.hist;
      const nz = (k: number, scale: number) => (h[k] === h[k] ? h[k] / scale : undefined);
      return {
        "deepest_Ah": round1(h[H.H_DEEPEST_Ah]),
        "drawn_Ah": round1(h[H.H_DRAWN_Ah]),
        "discharged_kWh": Math.round(h[H.H_DISCHARGED_Wh]) / 1000,
        "charged_kWh": Math.round(h[H.H_CHARGED_Wh]) / 1000,
        "syncs": h[H.H_SYNCS],
        "cycles": h[H.H_CYCLES],
        "sinceFull_h": round1(h[H.H_SINCE_FULL_s] / 3600),
        "vMin": nz(H.H_V_MIN_cV, 100),
        "vMax": nz(H.H_V_MAX_cV, 100),
        "cellMin_V": nz(H.H_CELL_MIN_mV, 1000),
        "cellMax_V": nz(H.H_CELL_MAX_mV, 1000),
        "tempMin_C": nz(H.H_T_MIN_dC, 10),
        "tempMax_C": nz(H.H_T_MAX_dC, 10),
      };
    }
  },
  /** `bms.sync()`: SoC to 100 % now (the battery is full) */
  sync() {
    if (__PROFILE__ === "12-200") return noMonitor("sync");
    else {
      syncSoc(s.soc);
      return socJudged(s);
    }
  },
  /** `bms.setSoc(55)`: set the SoC by hand, 0..100 % */
  setSoc(pct: number) {
    if (__PROFILE__ === "12-200") return noMonitor("setSoc");
    else {
      if (typeof pct !== "number" || !(pct >= 0 && pct <= 100)) fail("setSoc: pct must be 0..100");
      if (s.summary.capacity_Ah <= 0) fail("setSoc: no bank yet");
      setSoc(s.soc, pct / 100, s.summary.capacity_Ah);
      return socJudged(s);
    }
  },
  /** `bms.resetHistory()`: start the history afresh */
  resetHistory() {
    if (__PROFILE__ === "12-200") return noMonitor("resetHistory");
    else {
      resetSocHistory(s.soc);
      // the extremes start again from the next tick's readings: the tick looks at them only with
      // new numbers, so a steady bank's would otherwise show none for as long as it stays steady
      s.seen = -1;
      return true;
    }
  },
  /** `bms.update(true)` as a firmware update begins (charging stops), `bms.update(false)` when done */
  update(on: boolean) {
    onOff("update", on);
    const now = s.hw.now_ds();
    s.updateSince_ds = on ? now : 0;
    s.active = (s.active & ~((1 << R_UPDATE) | (1 << R_UPDATE_FAILED))) | updateBits(s, now);
    s.decide();
    return on;
  },
  /** `bms.mode(false)` switches the system off at once (outputs float); `bms.mode(true)` back on */
  mode(on: boolean) {
    onOff("mode", on);
    s.cfg.mode = on ? 1 : 0; // acts at once even if the flash refuses to keep it (then E-B11)
    changeSetting(s, "mode", s.cfg.mode);
    return s.cfg.mode === 1;
  },
  /** `bms.battery()`: the bank; `bms.battery(n)`: battery n (1 = next to the BMS) with its cells */
  battery(n?: number) {
    if (n === undefined) return bankView(s);
    if (typeof n !== "number" || Math.floor(n) !== n || n < 1 || n > MAX_BATT) fail("battery: n must be 1.." + MAX_BATT);
    const k = n - 1;
    const bk = s.bank;
    if (!bk.nom_dV[k]) fail("battery " + n + ": none there");
    const cells: number[] = [];
    const w = bk.cellW;
    for (let c = 0; c < bk.cells[k] && c < w; c++) cells.push(bk.cell_mV[k * w + c] / 1000);
    return {
      "serial": bk.serial[k],
      "capacity_Ah": bk.cap_Ah[k],
      "firmware": (bk.fw[k] >> 8) + "." + (bk.fw[k] & 0xff),
      "nominal_V": bk.nom_dV[k] / 10,
      "v": bk.v_cV[k] / 100,
      "i": bk.i_dA[k] / 10,
      "temp_C": bk.t_dC[k] / 10,
      "balancing": (bk.flags[k] & 1) === 1,
      "cells_V": cells,
    };
  },
  /** `bms.learn()`: accept the batteries present now as the bank (after a deliberate change) */
  learn() {
    learnNow(s);
    return learnedList(s.learned);
  },
  /** `bms.readoutKey()`: the Instant Readout key, for VictronConnect or another receiver */
  readoutKey() {
    return hex(s.ro.key);
  },
  /** `bms.newReadoutKey()`: a fresh key; byte 0 goes up by one so receivers notice */
  newReadoutKey() {
    newKey(s.ro, s.ro.key[0] + 1);
    s.decide(); // on air under the new key now (a refused key record: E-B11 now)
    return hex(s.ro.key);
  },
  /** `bms.readout()`: what is on air now (nonce, plaintext, the 24 manufacturer bytes) */
  readout() {
    return { "nonce": s.ro.nonce, "plain": hex(s.ro.onAir), "advert": hex(s.ro.data) };
  },
  /** `bms.settings()`: every setting by name (`bms.schema()` has units and ranges) */
  settings() {
    // the names from the schema: the held keys are the build's (settings.ts heldKey)
    room(SETTING_NEED_VARS);
    const rows = schema();
    const out: Record<string, unknown> = {};
    for (let k = 0; k < rows.length; k++) out[rows[k][0]] = rows[k][0] === "pin" ? "****" : heldValue(k);
    return out;
  },
  /** `bms.schema()`: [name, unit, default, min, max, step (0 = text), factory reset] per setting */
  schema() {
    room(SETTING_NEED_VARS);
    return schema();
  },
  /** `bms.set("tailCurrent", 5)`: change one setting; a refused value changes nothing */
  set(key: string, value: unknown) {
    const e = changeSetting(s, key, value);
    if (e) fail("bms.set(\"" + e.field + "\"): " + e.err);
    return heldValue(rowOf(schema(), key));
  },
  /** `bms.factoryReset()`: charged voltage, tail current, detection time, low-SoC level, floor */
  factoryReset() {
    room(SETTING_NEED_VARS);
    resetSettings(s);
    return true;
  },
  /** `bms.version()`: the API version the web app checks, the firmware's, and the board */
  version() {
    return { "api": API_VERSION, "fw": FW_VERSION, "board": process.env.BOARD };
  },
  /** `bms.codes()`: the active warnings, alarms, errors and blocking reasons */
  codes() {
    return codeIds(s.active);
  },
  /**
   * The web app's RPC (docs/web.md): `\x10bms.rpc(7, "set", ["tailCurrent", 5])` on the Nordic UART
   * console (\x10: Espruino neither echoes the line nor prints its result) prints exactly one
   * JSON line `{"id":7,"ok":5}`, or `{"id":7,"err":"...","field":...,"min":...,"max":...}`.
   */
  rpc(id: number, method: string, args: unknown[]) {
    console.log(JSON.stringify(call(id, method, args)));
  },
};

/** the value held for schema row `k` (settings.ts heldKey) */
function heldValue(k: number): unknown {
  return (s.cfg as unknown as Record<string, unknown>)[heldKey(s.cfg, k)];
}

function call(id: number, method: string, args: unknown[]): Record<string, unknown> {
  const list = Array.isArray(args) ? args : [];
  const fn = typeof method === "string" && method !== "rpc" && api.hasOwnProperty(method) ? (api as Record<string, unknown>)[method] : undefined;
  if (typeof fn !== "function") return { "id": id, "err": "unknown method", "field": label(method) };
  if (method === "set") {
    // set once and answer here: calling api.set as well would write and apply it twice
    const e = changeSetting(s, list[0] as string, list[1]);
    if (e) return { "id": id, "err": e.err, "field": e.field, "min": e.min, "max": e.max };
    return { "id": id, "ok": heldValue(rowOf(schema(), list[0])) };
  }
  try {
    return { "id": id, "ok": fn.apply(api, list) };
  } catch (e) {
    return { "id": id, "err": e instanceof Error || (e && typeof e === "object") ? String((e as Error).message) : String(e) };
  }
}
/** the `bms` object for the supervisor */
export function createApi(sup: Supervisor) {
  s = sup;
  return api;
}


function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
/**
 * After a SoC set by hand or a manual sync: the limits judge the new SoC at the next tick (the
 * tick takes SoC from its own steps, once a SoC block: soc/counter.ts SOC_BLOCK_S), so the
 * low-SoC codes follow at once, as the user expects; the readout has it now. Returns the SoC in %.
 */
function socJudged(s: Supervisor): number | undefined {
  s.soc_pm = socPm(s.soc);
  s.seen = -1;
  if (!s.soc.storeOk) s.hardwareError(); // the record was refused: E-B11 now, not at the next step
  s.decide(); // the readout's SoC fields on air now
  return socPct(s);
}
function socPct(s: Supervisor): number | undefined {
  return s.soc.counter.known ? round1(s.soc.counter.soc * 100) : undefined;
}
function ttg(s: Supervisor): number | undefined {
  const t = s.soc.counter.timeToGo_min(s.summary.capacity_Ah, s.cfg.dischargeFloor);
  return t < 0 ? undefined : t;
}

function bankView(s: Supervisor) {
  const b = s.summary;
  const d = s.decoder;
  return {
    "batteries": b.count,
    "series": b.series,
    "parallel": b.parallel,
    "cellsSeries": b.cellsSeries,
    "nominal_V": b.nominal_dV / 10,
    "capacity_Ah": b.capacity_Ah,
    "v": b.voltage_cV / 100,
    "i": b.current_dA / 10,
    "p": Math.round((b.voltage_cV * b.current_dA) / 1000),
    "cellMin_V": b.count ? b.cellMin_mV / 1000 : undefined,
    "cellMax_V": b.count ? b.cellMax_mV / 1000 : undefined,
    "tempMin_C": b.count ? b.tempMin_dC / 10 : undefined,
    "tempMax_C": b.count ? b.tempMax_dC / 10 : undefined,
    // (the balancer's state needs the battery monitor's full charges: the smallBMS NG's only)
    "balancer": __PROFILE__ === "12-200" ? undefined : "unknown balanced imbalanced balancing".split(" ")[balancer(s.soc, b)],
    "learned": learnedList(s.learned),
    "link": { "frames": d.frames, "crcErrors": d.crcErrors, "lengthErrors": d.lengthErrors, "framingErrors": d.framingErrors },
  };
}

/** Fuse type 1..9 (the manual's table) -> the alternator current the product would limit to, in A; 0 = not set. */
export function fuseLimit_A(fuseType: number): number {
  return [0, 100, 90, 60, 50, 40, 25, 20, 12, 9][fuseType] || 0;
}
