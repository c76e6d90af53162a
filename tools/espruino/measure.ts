// The device figures (docs/device-budget.md): variables and CPU of the firmware on Espruino's own
// interpreter, with the link fed as on a bank. Used by `npm run bench -- --device` and by the
// real-engine tests, so both measure the same way.
import { readFileSync } from "node:fs";
import { API_FILE } from "../build.ts";
import { Engine, STANDIN_PATH } from "./engine.ts";
import { pretokenise } from "../pretokenise.ts";
import type { Feed } from "./feed.ts";

export interface Loadout {
  /** the firmware (`.bootcde`): JavaScript, stored pretokenised as the upload does, or the bytes
   * to store as they are; omit for the stand-in alone (the baseline) */
  firmware?: string | Uint8Array;
  /** the on-demand module (API_FILE, dist/bms-api.js), the same way */
  api?: string | Uint8Array;
  feed?: Feed;
}

/** a firmware file as it is stored: text pretokenised, bytes as they are */
function stored(f: string | Uint8Array): Uint8Array {
  return typeof f === "string" ? Buffer.from(pretokenise(f), "latin1") : f;
}

export function storageFiles(l: Loadout): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = { ".boot0": readFileSync(STANDIN_PATH, "latin1") };
  // as the upload stores them: Espruino's token bytes (tools/pretokenise.ts); bytes given are kept
  if (l.firmware !== undefined) files[".bootcde"] = stored(l.firmware);
  if (l.api !== undefined) files[API_FILE] = stored(l.api);
  if (l.feed) {
    files.feed = l.feed.data;
    files["feed.i"] = l.feed.index;
  }
  return files;
}

export interface MemoryFigures {
  /** variables in use: the interpreter alone, nothing in Storage */
  bare: number;
  /** variables in use: the interpreter and the stand-in alone */
  baseline: number;
  /** variables in use with the firmware booted and the link running */
  usage: number;
  /** usage - baseline: what the firmware holds */
  firmware: number;
  free: number;
  total: number;
  /** bytes per variable (13 on a Puck.js and the 32-bit builds) */
  blocksize: number;
  /** what the interpreter printed as errors (out of memory, uncaught) */
  errors: string[];
}

interface Mem {
  usage: number;
  free: number;
  total: number;
  blocksize: number;
}

const MEM = "process.memory()";

const bareUsage = new Map<string, number>();

async function bare(binary: string, timeout_ms: number): Promise<number> {
  let n = bareUsage.get(binary);
  if (n === undefined) {
    const e = await Engine.boot({ binary, files: {}, timeout_ms });
    try {
      n = Number(await e.send("print('@@'+process.memory().usage)"));
    } finally {
      await e.close();
    }
    bareUsage.set(binary, n);
  }
  return n;
}

/**
 * Variables after boot plus `seconds` of link data. Three processes: the interpreter alone (once
 * per binary), the interpreter with the stand-in, then with the firmware.
 */
export async function measureMemory(binary: string, l: Loadout, seconds: number, timeout_ms = 900_000): Promise<MemoryFigures> {
  const bareVars = await bare(binary, timeout_ms);
  const base = await Engine.boot({ binary, files: storageFiles({ feed: l.feed }), timeout_ms });
  let baseline: number;
  try {
    if (l.feed) await base.run('VC.link("feed")');
    baseline = (await base.eval<Mem>(MEM)).usage;
  } finally {
    await base.close();
  }
  let e: Engine | undefined;
  try {
    e = await Engine.boot({ binary, files: storageFiles(l), timeout_ms });
    if (l.feed) await e.run('VC.link("feed")');
    await e.run(`VC.run(${seconds})`);
    const m = await e.eval<Mem>(MEM);
    return { bare: bareVars, baseline, usage: m.usage, firmware: m.usage - baseline, free: m.free, total: m.total, blocksize: m.blocksize, errors: e.errors.slice() };
  } catch (err) {
    // out of memory on a small pool can end in an interpreter assertion and exit: that is a figure too
    const first = String(err).split("\n").slice(0, 2).join(" ");
    return { bare: bareVars, baseline, usage: NaN, firmware: NaN, free: 0, total: NaN, blocksize: NaN, errors: [...(e?.errors ?? []), first] };
  } finally {
    await e?.close();
  }
}

export interface CpuFigures {
  /** x86 instructions of one reference loop, `for (var i=0;i<1000;i++){}` */
  refLoop: number;
  /** per second of operation, in reference loops: no link */
  idle: number;
  /** ... with the link running */
  link: number;
  /** ... with the link running and a client calling bms.status() every second */
  poll: number;
  /** the first ARRIVAL_S seconds of the link, all together: the bank identified for the first
   * time, learned and the list written (boot work, done once) */
  arrival: number;
  /** the stand-in's own cost of delivering a second of link data (subtracted above) */
  feedOverhead: number;
  /** the stand-in's JavaScript for what a Puck.js does natively (EMULATED), a second of each
   * window (subtracted above; in `idle` also its own running of the clock) */
  standIn: { idle: number; link: number; poll: number };
  errors: string[];
}

/** six replays of the feed (tools/espruino/feed.ts: every second of it counted six times) and one
 * whole READOUT_GAP (src/readout/readout.ts: the payload is looked at and made once a minute, a
 * second of about 0.8 reference loops more that a 10-second window held or missed by its phase) */
const WINDOW_S = 60;
/** from the link's start (63 s after boot) past the bank's first identification (its identities
 * come every 10 s) and its learning and write, and a whole number of replays */
const ARRIVAL_S = 30;
const REF_LOOPS = 10;

/**
 * What the stand-in runs in JavaScript that a Puck.js runs natively: its row `i` counts the calls
 * in the stand-in's `VC.nc[i]` (tools/espruino/puck-standin.js). `call` is a call as the firmware
 * makes it, `twin` a native function given the same arguments: on the device the call costs about
 * what the twin costs, so what the call costs beyond its twin (measured: `calibrateStandIn`) is
 * the stand-in's, not the firmware's. Left out on purpose (the stand-in's cost stays in the
 * figures): setTimeout, NRF and the other calls made at boot, by a client or once a minute.
 */
export const EMULATED: readonly { name: string; call: string; twin: string }[] = [
  { name: "getTime", call: "getTime()", twin: "Math.random()" },
  { name: "pinMode", call: 'pinMode(1,"input")', twin: 'Math.min(1,"input")' },
  { name: "getPinMode", call: "getPinMode(1)", twin: "Math.abs(1)" },
  { name: "digitalWrite", call: "digitalWrite(40,0)", twin: "Math.min(40,0)" },
  { name: "digitalRead of a pin", call: "digitalRead(28)", twin: "Math.abs(28)" },
  // (a native function that reads each of an array's values, as Espruino's digitalRead does)
  { name: "digitalRead of pins", call: "digitalRead(VC.p3)", twin: "E.sum(VC.p3)" },
  { name: "digitalPulse", call: "digitalPulse(40,1,20)", twin: "Math.min(40,1,20)" },
  { name: "E.kickWatchdog", call: "E.kickWatchdog()", twin: "Math.random()" },
  { name: "analogRead", call: "analogRead(3)", twin: "Math.abs(3)" },
  { name: "E.getAnalogVRef", call: "E.getAnalogVRef()", twin: "Math.random()" },
  // (the Smart BMS 12-200 reads its six outputs back in one call)
  { name: "digitalRead of six pins", call: "digitalRead(VC.p6)", twin: "E.sum(VC.p6)" },
  // (the remote's two pins, read at every tick)
  { name: "digitalRead of two pins", call: "digitalRead(VC.p2)", twin: "E.sum(VC.p2)" },
  // (a Puck.js's timers are native: its dispatch calls the function, the call stays counted)
  { name: "a timer fired", call: "(the stand-in's VC.run)", twin: "a call of the function" },
];
const TIMER_ROW = EMULATED.length - 1;
const CAL_CALLS = 100;

/** What each row of EMULATED costs in the stand-in beyond its twin, in instructions a call, and
 * what the stand-in costs a second with nothing to run (the idle window's own overhead). */
export interface StandInCost {
  excess: number[];
  /** per second of VC.run with no timer and no link */
  idle: number;
}

async function counts(e: Engine): Promise<number[]> {
  return e.eval<number[]>("[].slice.call(VC.nc)");
}

/** the calibration, on a stand-in with nothing else loaded (and no link yet) */
export async function calibrateStandIn(e: Engine): Promise<StandInCost> {
  await e.run("VC.p2=[29,28];VC.p3=[1,2,31];VC.p6=[14,15,16,25,26,27];var k,f=function(){}");
  const loop = async (body: string): Promise<number> => {
    e.dump();
    await e.run(`for(k=0;k<${CAL_CALLS};k++){${body}}`);
    return e.dump();
  };
  const excess: number[] = [];
  for (let i = 0; i < TIMER_ROW; i++) {
    const before = await counts(e);
    const call = await loop(EMULATED[i].call);
    const after = await counts(e);
    // each row's call must count in its own slot, once a call (else the figures would be off)
    if (after[i] - before[i] !== CAL_CALLS) throw new Error(`stand-in: ${EMULATED[i].call} counted ${after[i] - before[i]} calls in slot ${i}`);
    excess[i] = Math.max(0, (call - (await loop(EMULATED[i].twin))) / CAL_CALLS);
  }
  const idle = await perSecond(e, 0, undefined);
  await e.run("var tid=setInterval(f,1000)");
  const fired = await perSecond(e, 0, undefined);
  await e.run("clearInterval(tid)");
  const call = ((await loop("f()")) - (await loop(""))) / CAL_CALLS;
  excess[TIMER_ROW] = Math.max(0, fired - idle - call);
  return { excess, idle };
}

/** instructions of a window, and within them the stand-in's JavaScript for what a Puck.js does
 * natively: each emulated call and timer counted in the window times its calibrated excess */
export interface Window {
  raw: number;
  standIn: number;
}

export async function windowCost(e: Engine, warm_s: number, seconds: number, cal: StandInCost | undefined): Promise<Window> {
  if (warm_s) await e.run(`VC.run(${warm_s})`);
  const before = cal ? await counts(e) : [];
  e.dump();
  await e.run(`VC.run(${seconds})`);
  const raw = e.dump();
  let standIn = 0;
  if (cal) {
    const after = await counts(e);
    for (let i = 0; i < cal.excess.length; i++) standIn += (after[i] - before[i]) * cal.excess[i];
  }
  return { raw, standIn };
}

/** instructions a second over WINDOW_S seconds (`warm_s` first), the stand-in's excess taken out */
async function perSecond(e: Engine, warm_s: number, cal: StandInCost | undefined): Promise<number> {
  const w = await windowCost(e, warm_s, WINDOW_S, cal);
  return (w.raw - w.standIn) / WINDOW_S;
}

/** Instructions of one `for (var i=0;i<1000;i++){}` on a bare interpreter (no stand-in, no firmware). */
export async function referenceLoop(counter64: string, timeout_ms = 600_000): Promise<number> {
  const e = await Engine.boot({ binary: counter64, files: {}, callgrind: true, timeout_ms });
  try {
    await e.run("var j, i");
    e.dump();
    await e.run(`for(j=0;j<${REF_LOOPS};j++){for(i=0;i<1000;i++){}}`);
    return e.dump() / REF_LOOPS;
  } finally {
    await e.close();
  }
}

/** Instructions under callgrind, between dumps taken around each window (64-bit build). */
export async function measureCpu(counter64: string, l: Loadout & { feed: Feed }, timeout_ms = 1_800_000): Promise<CpuFigures> {
  // the stand-in alone: what its JavaScript costs beyond a Puck.js's native calls, and what
  // replaying the link costs without any firmware listening
  const base = await Engine.boot({ binary: counter64, files: storageFiles({ feed: l.feed }), callgrind: true, timeout_ms });
  let cal: StandInCost;
  let feedCost: number;
  try {
    cal = await calibrateStandIn(base);
    await base.run('VC.link("feed")');
    feedCost = await perSecond(base, 2, undefined);
  } finally {
    await base.close();
  }
  const e = await Engine.boot({ binary: counter64, files: storageFiles(l), callgrind: true, timeout_ms });
  try {
    const idle = await windowCost(e, 3, WINDOW_S, cal);
    await e.run('VC.link("feed")');
    // the bank's arrival is work done once: its first identification, and (the link starts after
    // the learning window, 30 s from boot) the bank learned and the list written to flash. Both
    // are counted apart (`arrival`); the link's window starts after them, in steady operation
    const arrival = await windowCost(e, 0, ARRIVAL_S, cal);
    const link = await windowCost(e, 0, WINDOW_S, cal);
    await e.run("VC.poll=1");
    const poll = await windowCost(e, 2, WINDOW_S, cal);
    const refLoop = await referenceLoop(counter64, timeout_ms);
    // a window's instructions less the stand-in's (its JavaScript, and its base a second), in
    // reference loops: a second of it, or (`seconds` 1) the window in all
    const loops = (w: Window, base: number, window_s: number, seconds = window_s) => (w.raw - w.standIn - window_s * base) / seconds / refLoop;
    return {
      refLoop,
      idle: loops(idle, cal.idle, WINDOW_S),
      link: loops(link, feedCost, WINDOW_S),
      poll: loops(poll, feedCost, WINDOW_S),
      arrival: loops(arrival, feedCost, ARRIVAL_S, 1),
      feedOverhead: feedCost / refLoop,
      standIn: { idle: (idle.standIn / WINDOW_S + cal.idle) / refLoop, link: link.standIn / WINDOW_S / refLoop, poll: poll.standIn / WINDOW_S / refLoop },
      errors: e.errors.slice(),
    };
  } finally {
    await e.close();
  }
}
