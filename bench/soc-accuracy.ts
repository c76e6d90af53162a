// SoC monitor figures over the BUILT firmware (dist/bms.js) on a simulated board with a physics
// bank (sim/bank.ts, Peukert 1.05 and 99 % charge efficiency like the firmware assumes): printed,
// never asserted. A non-zero exit only if a scenario crashes.
//   a. 30 days of daily cycling with a current-sensor offset of +0.05 A and of -0.05 A (plus
//      noise): true SoC against bms.status().soc every simulated minute, the syncs, the gaps
//   b. time to go under a steady 20 A and 5 A load against the time the SoC takes to the floor
//   c. power cuts at several moments of the 5-minute save cadence, and one during the write
//   d. flash writes and bytes per day, record sizes, and the flash-wear arithmetic (docs/soc.md)
// Usage: npx tsx bench/soc-accuracy.ts, or npm run bench -- --soc: about 50 s on 2 cores. The two
// 30-day runs go to two child processes (about 45 s each, Instant Readout off: its AES would
// double that and it does not touch the SoC); the rest runs meanwhile in this one, readout on.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { storedBytes } from "../tools/pretokenise.ts";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Bank, type BankConfig, seededRandom } from "../sim/bank.ts";
import { API_FILE, DEFAULT_API, DEFAULT_BUNDLE, SimBoard } from "../sim/board.ts";
import { BUDGET_BYTES } from "../tools/build.ts";
import { attachBank, type Rig } from "../sim/rig.ts";
import { PUCK_STORAGE_BYTES, SimStorage } from "../sim/storage.ts";
import { PUCK } from "../sim/wiring.ts";
import { crc32 } from "../sim/board.ts";

const SELF = fileURLToPath(import.meta.url);
const MIN_MS = 60_000;
const DAY_MIN = 24 * 60;
const DAYS = 30;
const CAPACITY_Ah = 200;
const NOISE_A = 0.2; // sensor noise, standard deviation: two steps of the link's 0.1 A
/** the firmware's figures (src/soc/counter.ts, src/soc/monitor.ts, settings defaults) */
const PEUKERT = 1.05;
const FLOOR_PCT = 10;
/** flash: Puck.js v2 Storage, the firmware's flash budget (both files, issue 13's "must"), Espruino's file header, nRF52 word writes */
const BUDGET = 20 * 1024;
/** the build's growth stop (tools/build.ts BUDGET_BYTES): what the flash lasts if the code grows to it */
const CEILING = BUDGET_BYTES;
/** designed history records a day: flags and cycles (3 per cycle, two cycles), new extremes (docs/soc.md) */
const HIST_PER_DAY = 8;
const HEADER = 32;
const PAGE = 4096;
const ENDURANCE = 10_000;
const align4 = (n: number): number => (n + 3) & ~3;

interface Status { soc?: number; consumed_Ah: number; ttg_min?: number; i?: number; codes: string[] }

// ---- a simulated installation: board, bank, rig, and a tap on the flash writes -----------------

interface WriteLog {
  /** writes and bytes per record kind (bms.soc, bms.hist, bms.bank, anything else) */
  perKind: Record<string, { writes: number; bytes: number; log_B: number }>;
  /** every SoC record written: time, sequence number, known, soc, seconds since full */
  soc: { t_ms: number; n: number; k: boolean; s: number; f: number }[];
  /** syncs seen in the SoC records: a sync writes its record at once with "since full" = 0 */
  syncs: { t_ms: number; shown?: number; s: number }[];
}

interface Install { board: SimBoard; bank: Bank; rig: Rig; storage: SimStorage; log: WriteLog }

/** a checked record's body (docs/soc.md "Persistence": JSON, then its CRC-32 as 8 hex digits), or undefined */
function decodeRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (typeof text !== "string") return undefined;
  const body = text.slice(0, -8);
  if (text.length < 10 || crc32(Buffer.from(body, "latin1")).toString(16).padStart(8, "0") !== text.slice(-8)) return undefined;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** a checked record's two files count as one kind: bms.soc0 and bms.soc1 are "bms.soc" */
function kindOf(name: string): string {
  const m = /^(bms\.[a-z]+)[01]$/.exec(name);
  return m ? m[1] : name;
}

function install(cfg: Partial<BankConfig>, readout = true): Install {
  const storage = new SimStorage();
  const log: WriteLog = { perKind: {}, soc: [], syncs: [] };
  // the tap sits on the instance, before the board boots: require("Storage") binds this one
  const write = storage.write.bind(storage);
  let board: SimBoard | undefined;
  storage.write = (name: string, data: unknown, offset?: number, size?: number): boolean => {
    const ok = write(name, data, offset, size);
    const text = typeof data === "string" ? data : "";
    const k = (log.perKind[kindOf(name)] ??= { writes: 0, bytes: 0, log_B: 0 });
    k.writes++;
    k.bytes += text.length;
    k.log_B += HEADER + align4(text.length);
    if (board && /^bms\.soc[01]$/.test(name)) {
      const r = decodeRecord(text);
      if (r) {
        const a = r.a as number[]; // [known, SoC, consumed, since full, offset, history's fast fields] (src/soc/monitor.ts)
        const rec = { t_ms: board.now_ms, n: r.n as number, k: a[0] === 1, s: a[1], f: a[3] };
        log.soc.push(rec);
        if (rec.k && rec.f === 0) log.syncs.push({ t_ms: rec.t_ms, s: rec.s, shown: board.call<Status>("bms.status()").soc });
      }
    }
    return ok;
  };
  board = new SimBoard({ storage });
  const bank = new Bank({ capacity_Ah: CAPACITY_Ah, ...cfg });
  const rig = attachBank(board, bank, PUCK);
  board.drive(PUCK.remL, 0); // remote ON
  if (!readout) board.call("bms.set('readout', 0)");
  return { board, bank, rig, storage, log };
}

const status = (b: SimBoard): Status => b.call<Status>("bms.status()");

// ---- a. 30 days of cycling ---------------------------------------------------------------------

type Sky = "S" | "C" | "O";
/** sunny, cloudy, overcast: full charges on sunny days only, at most 7 days apart */
const WEATHER = "SSCSCCOCCSSSCCSOCCCCCSSCSSCCSS";
const SUN: Record<Sky, number> = { S: 1, C: 0.4, O: 0.3 };

interface Day { sky: Sky; cook_A: number; tv_A: number }
function days(): Day[] {
  const rand = seededRandom(42);
  return [...WEATHER].map((c) => {
    const sky = c as Sky;
    const sunny = sky === "S"; // on grey days the household saves power
    return { sky, cook_A: sunny ? 20 + 10 * rand() : 10 + 5 * rand(), tv_A: sunny ? 10 + 5 * rand() : 5 + 3 * rand() };
  });
}

/**
 * Load and charger at a minute of a day: 3 A at night, 8 A in the morning, a solar charger from
 * 9 to 17 h (a 55 A half sine clipped at 40 A by the controller, scaled by the weather; CC/CV to
 * 14.2 V, so a full day ends in a tail below 4 %), cooking 20–30 A and TV 10–15 A in the evening.
 */
export function plan(day: Day, minute: number): { load_A: number; charger_A: number } {
  const h = minute / 60;
  if (h < 7) return { load_A: 3, charger_A: 0 };
  if (h < 9) return { load_A: 8, charger_A: 0 };
  if (h < 17) return { load_A: 2, charger_A: Math.min(40, 55 * SUN[day.sky] * Math.sin((Math.PI * (h - 9)) / 8)) };
  if (h < 18) return { load_A: 6, charger_A: 0 };
  if (h < 20) return { load_A: day.cook_A, charger_A: 0 };
  if (h < 23) return { load_A: day.tv_A, charger_A: 0 };
  return { load_A: 3, charger_A: 0 };
}

interface SyncRow { t_d: number; gap_d: number; errBefore?: number; worst?: number; shown?: number; records: number }
export interface CycleResult {
  offset_A: number;
  wall_s: number;
  samples: number;
  firstSync_d: number;
  maxAbsErr: number;
  meanErr: number;
  trueMin: number;
  shownMin: number;
  syncs: SyncRow[];
  syncRecords: number;
  longestGap_d: number;
  shownAtSync: number[];
  recordAtSync: number[];
  codes: string[];
  uncaught: number;
  writes: number;
  bytesWritten: number;
  perKind: WriteLog["perKind"];
  files: Record<string, number>;
  ticks_days: number;
}

/** A sync this long after the previous one starts a new charge; closer ones are re-syncs. */
const NEW_CHARGE_MS = 60 * MIN_MS;

export function runCycling(offset_A: number): CycleResult {
  const t0 = performance.now();
  const plan30 = days();
  const { board, bank, rig, storage, log } = install({ soc: 0.6, currentOffset_A: offset_A, currentNoise_A: NOISE_A }, false);
  let n = 0;
  let sum = 0;
  let maxAbs = 0;
  let trueMin = 100;
  let shownMin = 100;
  let lastErr: number | undefined;
  let worstSince: number | undefined;
  const codes = new Set<string>();
  const rows: SyncRow[] = [];
  let syncsSeen = 0;
  let lastSync_ms = -Infinity;
  for (let m = 0; m < DAYS * DAY_MIN; m++) {
    const p = plan(plan30[Math.floor(m / DAY_MIN)], m % DAY_MIN);
    rig.setLoad(p.load_A);
    rig.setCharger(p.charger_A);
    board.advance(MIN_MS);
    // syncs during this minute: the first of a charge closes an interval
    for (; syncsSeen < log.syncs.length; syncsSeen++) {
      const s = log.syncs[syncsSeen];
      if (s.t_ms - lastSync_ms > NEW_CHARGE_MS) {
        rows.push({
          t_d: s.t_ms / 86_400_000,
          gap_d: rows.length ? (s.t_ms - lastSync_ms) / 86_400_000 : NaN,
          errBefore: lastErr, worst: worstSince, shown: s.shown, records: 1,
        });
        worstSince = undefined;
      } else rows[rows.length - 1].records++;
      lastSync_ms = s.t_ms;
    }
    const st = status(board);
    for (const c of st.codes) codes.add(c);
    const truth = bank.truth().soc * 100;
    trueMin = Math.min(trueMin, truth);
    if (st.soc === undefined) continue;
    const err = st.soc - truth;
    shownMin = Math.min(shownMin, st.soc);
    n++;
    sum += err;
    maxAbs = Math.max(maxAbs, Math.abs(err));
    lastErr = err;
    worstSince = worstSince === undefined || Math.abs(err) > Math.abs(worstSince) ? err : worstSince;
  }
  let longest = 0;
  for (let k = 1; k < log.syncs.length; k++) longest = Math.max(longest, log.syncs[k].t_ms - log.syncs[k - 1].t_ms);
  const files: Record<string, number> = {};
  for (const [name, bytes] of storage.files) files[name] = bytes.length;
  return {
    offset_A,
    wall_s: (performance.now() - t0) / 1000,
    samples: n,
    firstSync_d: log.syncs.length ? log.syncs[0].t_ms / 86_400_000 : NaN,
    maxAbsErr: maxAbs,
    meanErr: n ? sum / n : NaN,
    trueMin,
    shownMin,
    syncs: rows,
    syncRecords: log.syncs.length,
    longestGap_d: longest / 86_400_000,
    shownAtSync: log.syncs.map((s) => s.shown ?? NaN),
    recordAtSync: log.syncs.map((s) => s.s),
    codes: [...codes].sort(),
    uncaught: board.uncaught.length,
    writes: storage.writes,
    bytesWritten: storage.bytesWritten,
    perKind: log.perKind,
    files,
    ticks_days: board.now_ms / 86_400_000,
  };
}

// ---- b. time to go --------------------------------------------------------------------------

interface TtgResult {
  load_A: number; ttg_min?: number; toFloor_min: number; trueToFloor_min: number; err_pct: number; socAtRead?: number;
  /** the flash writes of this run (Instant Readout on, as shipped) and its simulated length */
  perKind: WriteLog["perKind"]; days: number;
}

/** Charge until the firmware syncs, then a steady load: time to go after the 3-min average. */
function runTimeToGo(load_A: number): TtgResult {
  const { board, bank, rig, log } = install({ soc: 0.9, currentOffset_A: 0.05, currentNoise_A: NOISE_A });
  rig.setCharger(40);
  for (let m = 0; m < 600 && log.syncs.length === 0; m++) board.advance(MIN_MS);
  if (log.syncs.length === 0) throw new Error("ttg: no sync after 10 h of charging");
  rig.setCharger(0);
  rig.setLoad(load_A);
  board.advance(185_000); // 3 min of the load in the averaging window, and a few ticks more
  const read_ms = board.now_ms;
  const st = status(board);
  let trueAt_ms = NaN;
  const socNow = () => status(board).soc ?? 100;
  // coarse to a little above the floor, then second by second
  while (socNow() > FLOOR_PCT + 1) {
    board.advance(MIN_MS);
    if (Number.isNaN(trueAt_ms) && bank.truth().soc <= FLOOR_PCT / 100) trueAt_ms = board.now_ms;
  }
  while (socNow() > FLOOR_PCT) {
    board.advance(1000);
    if (Number.isNaN(trueAt_ms) && bank.truth().soc <= FLOOR_PCT / 100) trueAt_ms = board.now_ms;
  }
  const floor_ms = board.now_ms;
  while (Number.isNaN(trueAt_ms) && bank.truth().soc > 0.05) {
    board.advance(1000);
    if (bank.truth().soc <= FLOOR_PCT / 100) trueAt_ms = board.now_ms;
  }
  const toFloor_min = (floor_ms - read_ms) / MIN_MS;
  return {
    load_A,
    ttg_min: st.ttg_min,
    socAtRead: st.soc,
    toFloor_min,
    trueToFloor_min: (trueAt_ms - read_ms) / MIN_MS,
    err_pct: st.ttg_min === undefined ? NaN : ((st.ttg_min - toFloor_min) / toFloor_min) * 100,
    perKind: log.perKind,
    days: board.now_ms / 86_400_000,
  };
}

// ---- c. power cuts ------------------------------------------------------------------------------

interface CutResult {
  when: string; before?: number; after?: number; lostRecord_min: number; lostSoc_min: number; back_s: number;
  /** history "Ah drawn" lost, in minutes of the 20 A load */
  lostDrawn_min: number;
}

function runPowerCuts(): CutResult[] {
  const load_A = 20;
  const { board, rig, storage, log } = install({ soc: 0.9, currentOffset_A: 0.05, currentNoise_A: NOISE_A });
  board.advance(15_000);
  board.call("bms.setSoc(90)");
  rig.setLoad(load_A);
  // what the firmware removes per minute at 20 A from 200 Ah (Peukert at the 20-hour rate)
  const pctPerMin = ((load_A * Math.pow(load_A / (CAPACITY_Ah / 20), PEUKERT - 1)) / 60 / CAPACITY_Ah) * 100;
  const out: CutResult[] = [];
  const cases: [string, number | "torn"][] = [
    ["0 s after a save", 0], ["60 s after", 60], ["150 s after", 150], ["240 s after", 240],
    ["299 s after", 299], ["during a save (torn)", "torn"],
  ];
  for (const [when, after] of cases) {
    // the cadence restarts at boot: wait for two saves so this one is a periodic 5-min save
    for (let saves = 0; saves < 2; saves++) {
      const k = log.soc.length;
      while (log.soc.length === k) board.advance(1000);
    }
    if (after === "torn") {
      storage.fault = { tearAfterBytes: 10 };
      while (!storage.fault.failWrites) board.advance(1000);
      storage.fault = {};
    } else board.advance(after * 1000);
    const before = status(board).soc;
    const drawnBefore = board.call<number>("bms.history().drawn_Ah");
    const cut_ms = board.now_ms;
    // the newest intact record as the firmware will find it (src/record.ts), and when it was written
    const recs = [0, 1].map((i) => decodeRecord(storage.read("bms.soc" + i))).filter((r) => r !== undefined);
    const best = recs.reduce((a, r) => ((r.n as number) > (a.n as number) ? r : a));
    const saved = [...log.soc].reverse().find((r) => r.n === best.n && r.s === (best.a as number[])[1]);
    board.powerCycle();
    const restored = status(board).soc;
    const drawnAfter = board.call<number>("bms.history().drawn_Ah");
    // how long until the SoC counts again: the bank must identify itself (identities every 10 s)
    let back_s = 0;
    while (status(board).i === undefined && back_s < 60) {
      board.advance(1000);
      back_s++;
    }
    out.push({
      when, before, after: restored,
      lostRecord_min: saved ? (cut_ms - saved.t_ms) / MIN_MS : NaN,
      lostSoc_min: before !== undefined && restored !== undefined ? (restored - before) / pctPerMin : NaN,
      back_s,
      lostDrawn_min: ((drawnBefore - drawnAfter) / load_A) * 60,
    });
  }
  return out;
}

// ---- printing -----------------------------------------------------------------------------------

/** a number for the table; NaN (null once through JSON) and undefined print as "-" */
const f = (x: number | null | undefined, d = 1, sign = false): string =>
  x === undefined || x === null || Number.isNaN(x) ? "-" : (sign && x > 0 ? "+" : "") + x.toFixed(d);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const dayTime = (t_d: number): string => {
  const d = Math.floor(t_d);
  const min = Math.round((t_d - d) * DAY_MIN);
  return `d${d + 1} ${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
};

function printCycling(runs: CycleResult[]): void {
  console.log(`soc a. 30 days, 1s1p 12.8 V ${CAPACITY_Ah} Ah from 60 % with SoC unknown; loads 2–30 A, solar to 40 A at 14.2 V; ` +
    `weather ${WEATHER} (S = full charge); sensor noise σ ${NOISE_A} A; sampled every minute`);
  const rows: [string, (r: CycleResult) => string][] = [
    ["first sync (SoC known from)", (r) => dayTime(r.firstSync_d)],
    ["true SoC min / shown min", (r) => `${f(r.trueMin)} / ${f(r.shownMin)} %`],
    ["max |error|", (r) => `${f(r.maxAbsErr, 2)} pp`],
    ["mean error", (r) => `${f(r.meanErr, 2, true)} pp`],
    ["syncs (charges) / records", (r) => `${r.syncs.length} / ${r.syncRecords}`],
    ["longest gap between syncs", (r) => `${f(r.longestGap_d, 2)} d`],
    ["SoC shown at every sync", (r) => `${Math.min(...r.shownAtSync)}..${Math.max(...r.shownAtSync)} % (record ${Math.min(...r.recordAtSync)}..${Math.max(...r.recordAtSync)})`],
    ["flash writes (per day)", (r) => `${r.writes} (${f(r.writes / DAYS)})`],
    ["flash bytes (per day)", (r) => `${r.bytesWritten} (${f(r.bytesWritten / DAYS, 0)})`],
    ["  of which soc / hist / other", (r) => {
      const soc = r.perKind["bms.soc"]?.writes ?? 0;
      const hist = r.perKind["bms.hist"]?.writes ?? 0;
      return `${soc} / ${hist} / ${r.writes - soc - hist}`;
    }],
    ["codes seen", (r) => r.codes.join(" ") || "none"],
    ["uncaught errors", (r) => String(r.uncaught)],
    ["host time", (r) => `${f(r.wall_s)} s`],
  ];
  const w = 30;
  console.log(pad("", w) + runs.map((r) => lpad(`offset ${f(r.offset_A, 2, true)} A`, 34)).join(""));
  for (const [label, fn] of rows) console.log(pad(label, w) + runs.map((r) => lpad(fn(r), 34)).join(""));
  console.log("");
  console.log("    sync at   gap d  err before  worst since  shown  records | sync at   gap d  err before  worst since  shown  records");
  const k = Math.max(...runs.map((r) => r.syncs.length));
  for (let i = 0; i < k; i++) {
    const cols = runs.map((r) => {
      const s = r.syncs[i];
      if (!s) return " ".repeat(57);
      return `${pad(dayTime(s.t_d), 9)} ${lpad(f(s.gap_d, 2), 5)} ${lpad(f(s.errBefore, 2, true), 11)} ${lpad(f(s.worst, 2, true), 12)} ${lpad(f(s.shown), 6)} ${lpad(String(s.records), 8)}`;
    });
    console.log(`${lpad(String(i + 1), 3)} ${cols.join(" | ")}`);
  }
  console.log("    (err = shown − true SoC in percentage points; 'before' = the last minute before the sync, 'worst' = since the previous sync;");
  console.log("     records = SoC records written by syncs in that charge: one, the sync re-arms only after the conditions break)");
}

function printTtg(rs: TtgResult[]): void {
  console.log(`soc b. time to go after a sync, steady load, 1s1p ${CAPACITY_Ah} Ah, offset +0.05 A, floor ${FLOOR_PCT} %`);
  console.log("    load   SoC at read  ttg_min at 3 min  to floor (firmware SoC)  error   to floor (true SoC)");
  for (const r of rs) {
    console.log(`  ${lpad(f(r.load_A, 0), 4)} A  ${lpad(f(r.socAtRead), 9)} %  ${lpad(String(r.ttg_min ?? "-"), 16)}  ` +
      `${lpad(f(r.toFloor_min), 19)} min  ${lpad(f(r.err_pct, 2, true), 5)} %  ${lpad(f(r.trueToFloor_min), 14)} min`);
  }
}

function printCuts(rs: CutResult[]): void {
  console.log(`soc c. power cut during a 20 A discharge (SoC record every 5 min)`);
  console.log("    cut                    SoC before  after restart  lost (records)  lost (from SoC)  lost (Ah drawn)  counting again after");
  for (const r of rs) {
    console.log(`    ${pad(r.when, 22)} ${lpad(f(r.before), 8)} %  ${lpad(f(r.after), 11)} %  ${lpad(f(r.lostRecord_min, 2), 10)} min  ` +
      `${lpad(f(r.lostSoc_min, 1), 11)} min  ${lpad(f(r.lostDrawn_min, 1), 11)} min  ${lpad(String(r.back_s), 10)} s`);
  }
  const worst = Math.max(...rs.map((r) => r.lostRecord_min));
  console.log(`    max counting lost: ${f(worst, 2)} min (SoC shown to 0.1 %: 'from SoC' is ±0.6 min; Ah drawn to 0.1 Ah: ±0.3 min)`);
}

function printFlash(run: CycleResult, ttg: TtgResult[]): void {
  // the firmware in flash is two files, the resident .bootcde and the on-demand module, stored pretokenised
  const bundle_B = storedBytes(readFileSync(DEFAULT_BUNDLE, "latin1")) + storedBytes(readFileSync(DEFAULT_API, "latin1"));
  const names = Object.keys(run.files).filter((n) => n !== ".bootcde" && n !== API_FILE).sort(); // the data files
  console.log(`soc d. flash: files after 30 days (bytes): ${names.map((n) => `${n} ${run.files[n]}`).join(", ")}`);
  const live_B = names.reduce((a, n) => a + HEADER + align4(run.files[n]), 0);
  const logOf = (len: number): number => HEADER + align4(len);
  const soc_B = logOf(Math.max(run.files["bms.soc0"] ?? 0, run.files["bms.soc1"] ?? 0));
  const hist_B = logOf(Math.max(run.files["bms.hist0"] ?? 0, run.files["bms.hist1"] ?? 0));
  // the 30-day runs have Instant Readout off (for speed): its nonce reservations come from the
  // time-to-go runs, which have it on as shipped
  const roDays = ttg.reduce((a, r) => a + r.days, 0);
  const nonce = ttg.reduce((a, r) => ({ writes: a.writes + (r.perKind["bms.nonce"]?.writes ?? 0), log_B: a.log_B + (r.perKind["bms.nonce"]?.log_B ?? 0) }), { writes: 0, log_B: 0 });
  const nonce_Bpd = nonce.log_B / roDays;
  const measured = Object.values(run.perKind).reduce((a, k) => a + k.log_B, 0) / DAYS + nonce_Bpd;
  const designed = 288 * soc_B + HIST_PER_DAY * hist_B + (soc_B + hist_B) + nonce_Bpd; // + one sync a day
  const busy = designed + 9 * (soc_B + hist_B); // ten syncs, sets or resets a day, each writing both records
  console.log(`    log entry = ${HEADER} B header + data rounded up to 4: SoC record ${soc_B} B, history ${hist_B} B; ` +
    `Instant Readout nonce ${f(nonce.writes / roDays, 1)} writes/day (${f(nonce_Bpd, 0)} B/day)`);
  console.log(`    appended per day: A measured here ${f(measured, 0)} B (incl. nonce); B designed: 288 SoC + ${HIST_PER_DAY} history + 1 sync ${f(designed, 0)} B; ` +
    `C as B with ten syncs/sets a day ${f(busy, 0)} B`);
  console.log("    code            free log   erases/page/day  A     B     C     years to 10,000 erases  A      B      C");
  for (const [label, code_B] of [[`budget ${BUDGET}`, BUDGET], [`firmware ${bundle_B}`, bundle_B], [`stop ${CEILING}`, CEILING]] as [string, number][]) {
    const free_B = PUCK_STORAGE_BYTES - logOf(code_B) - HEADER - live_B; // two files, two headers
    const e = [measured, designed, busy].map((b) => b / free_B);
    console.log(`    ${pad(label, 15)} ${lpad(String(free_B), 6)} B  ${" ".repeat(16)}${e.map((x) => lpad(f(x, 2), 6)).join("")}` +
      `${" ".repeat(24)}${e.map((x) => lpad(f(ENDURANCE / x / 365, 1), 7)).join("")}`);
  }
  console.log(`    (free log = ${PUCK_STORAGE_BYTES} − both firmware files − live files (${live_B} B); a compaction comes every free-log bytes ` +
    `appended and erases each ${PAGE} B page at most once; docs/soc.md)`);
}

// ---- running ------------------------------------------------------------------------------------

function cycleInChild(offset_A: number): Promise<CycleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, SELF, "--cycle", String(offset_A)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`soc cycling run (offset ${offset_A} A) exited with ${code}`));
      try {
        resolve(JSON.parse(out) as CycleResult);
      } catch (e) {
        reject(new Error(`soc cycling run (offset ${offset_A} A): no result (${String(e)})`));
      }
    });
  });
}

/** Every SoC figure; the two 30-day runs in child processes while the short ones run here. */
export async function socAccuracy(): Promise<void> {
  const t0 = performance.now();
  const cycling = Promise.all([cycleInChild(0.05), cycleInChild(-0.05)]);
  const ttg = [runTimeToGo(20), runTimeToGo(5)];
  const cuts = runPowerCuts();
  const runs = await cycling;
  printCycling(runs);
  console.log("");
  printTtg(ttg);
  console.log("");
  printCuts(cuts);
  console.log("");
  printFlash(runs[0], ttg);
  console.log(`soc figures in ${f((performance.now() - t0) / 1000)} s wall`);
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const at = process.argv.indexOf("--cycle");
  if (at > 0) {
    process.stdout.write(JSON.stringify(runCycling(Number(process.argv[at + 1]))));
  } else {
    socAccuracy().catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
  }
}
