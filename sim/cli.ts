// `npm start`: build if needed, then run the firmware on the simulated board with a scenario,
// fast-forwarded, printing one compact line per interval and every event as it happens.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BoardId, DEFAULT_BUNDLE, SimBoard } from "./board.ts";
import { DEFAULT_PIN, findScenario, SCENARIOS } from "./scenarios.ts";
import { DIVIDER_12200, MDBT42Q, P12200, PUCK, type Wiring } from "./wiring.ts";
import { Vehicle } from "./vehicle.ts";
import { ledWord, statusLine } from "./report.ts";
import { Bank } from "./bank.ts";
import { attachBank } from "./rig.ts";
import { decodeAdvert } from "../tools/readout.ts";
import { startWebServer, WEB_DIST } from "./bridge.ts";

const ROOT = join(import.meta.dirname, "..");

const HELP = `npm start -- [options]
Runs the firmware (dist/bms.js) on a simulated board: no board and no network needed.

Options:
  --scenario NAME   what happens (default: remote)
  --every S         print a status line every S simulated seconds (default: per scenario)
  --duration S      simulated seconds to run (default: per scenario)
  --board ID        PUCKJS (default) or MDBT42Q
  --profile NAME    the build profile: ng (default, the smallBMS NG) or 12-200 (the Smart BMS
                    12-200 on an MDBT42Q, dist/12-200/; its scenario: vehicle)
  --readout         with each status line, the Instant Readout advert and its decoding
  --web             also serve the web app (web/dist, built if needed) with a bridge to this
                    board, and run in real time; keeps running after the scenario until Ctrl-C
  --port N          port of the web app (default 8080; 0 = any free port)
  --speed X         with --web: simulated seconds per real second (default 1)
  --help            this text

Scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(16)}${s.about}`).join("\n")}

Columns: simulated time, SoC (not with --profile 12-200: no battery monitor), bank voltage, current, outputs (H = driven high,
Z = floating), LEDs over the interval (off, on, blink, or what it did in turn:
blink>on), active codes. Lines starting with '>' are events.`;

function newestMtime(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) t = Math.max(t, statSync(join(f.parentPath, f.name)).mtimeMs);
  }
  return t;
}

function buildIfNeeded(profile: string): void {
  const bundle = profile === "ng" ? DEFAULT_BUNDLE : join(ROOT, "dist", profile, "bms.js");
  const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < newestMtime(join(ROOT, "src"));
  if (!stale) return;
  console.log(`> building ${profile === "ng" ? "dist/bms.js" : `dist/${profile}/bms.js`} ...`);
  const args = ["--import", "tsx", join(ROOT, "tools", "build.ts"), ...(profile === "ng" ? [] : ["--profile", profile])];
  execFileSync(process.execPath, args, { stdio: "inherit" });
}

export function fmtTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  const frac = ms % 1000 ? "." + String(ms % 1000).padStart(3, "0") : "";
  return `${hh}:${mm}:${ss}${frac}`;
}

/** The web app's static files, built by Vite if they are missing or older than web/. */
function buildWebIfNeeded(): void {
  const index = join(WEB_DIST, "index.html");
  const web = join(ROOT, "web");
  const newest = Math.max(newestMtime(join(web, "src")), statSync(join(web, "index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  console.log("> building the web app (web/dist) ...");
  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", web, "--logLevel", "warn"], { stdio: "inherit" });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" },
      profile: { type: "string" },
      every: { type: "string" },
      duration: { type: "string" },
      board: { type: "string", default: "PUCKJS" },
      readout: { type: "boolean", default: false },
      web: { type: "boolean", default: false },
      port: { type: "string", default: "8080" },
      speed: { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return void console.log(HELP);
  const name = values.scenario ?? (values.profile === "12-200" ? "vehicle" : "remote");
  const sc = findScenario(name);
  if (!sc) {
    console.error(`unknown scenario "${name}". Scenarios: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const profile = values.profile ?? sc.profile ?? "ng";
  if ((sc.profile ?? "ng") !== profile) {
    console.error(`scenario "${sc.name}" runs on the ${sc.profile ?? "ng"} profile, not ${profile}`);
    process.exit(2);
  }
  const boardId = (profile === "12-200" ? "MDBT42Q" : values.board) as BoardId;
  if (boardId !== "PUCKJS" && boardId !== "MDBT42Q") {
    console.error(`unknown board "${values.board}": PUCKJS or MDBT42Q`);
    process.exit(2);
  }
  const every_ms = Math.round(Number(values.every ?? sc.every_s) * 1000);
  const duration_ms = Math.round(Number(values.duration ?? sc.duration_s) * 1000);
  if (!(every_ms > 0) || !(duration_ms > 0)) {
    console.error("--every and --duration take a positive number of seconds");
    process.exit(2);
  }
  const port = Number(values.port);
  const speed = Number(values.speed);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536) || !(speed > 0)) {
    console.error("--port takes 0..65535 and --speed a positive number");
    process.exit(2);
  }
  buildIfNeeded(profile);
  if (values.web) buildWebIfNeeded();
  const wiring: Wiring = profile === "12-200" ? P12200 : boardId === "MDBT42Q" ? MDBT42Q : PUCK;
  const dir = join(ROOT, "dist", profile);
  const b = profile === "ng" ? new SimBoard({ board: boardId }) : new SimBoard({
    board: boardId, code: readFileSync(join(dir, "bms.js"), "utf8"), api: readFileSync(join(dir, "bms-api.js"), "latin1"),
  });
  const bank = new Bank(sc.bank);
  const veh = profile === "12-200" ? new Vehicle(b, bank, P12200).start() : undefined;
  const rig = attachBank(b, bank, wiring);
  const ctx = { b, w: wiring, rig, veh };
  console.log(`scenario ${sc.name}: ${sc.about} (${boardId}, ${profile === "ng" ? "smallBMS NG" : "profile " + profile}, ${duration_ms / 1000} s simulated)`);
  const events = new EventPrinter(b, wiring);
  const steps = sc.steps.slice().sort((x, y) => x.at_s - y.at_s);
  let stepIx = 0;
  let lineAt = 0;
  let sliceStart = 0;
  let t = 0;
  const step = (): void => {
    if (t > b.now_ms) b.advance(t - b.now_ms);
    events.flush();
    while (stepIx < steps.length && steps[stepIx].at_s * 1000 <= t) {
      console.log(`> ${fmtTime(t)}  ${steps[stepIx].say}`);
      steps[stepIx].act(ctx);
      stepIx++;
      events.flush();
    }
    if (t >= lineAt) {
      const line = statusLine(fmtTime(t), b, wiring, {
        red: ledWord(b, wiring.red, sliceStart, t),
        blue: ledWord(b, wiring.blue, sliceStart, t),
      });
      console.log(veh ? line + "  " + vehicleColumns(b, veh) : line);
      if (values.readout) console.log(readoutLine(b));
      sliceStart = t;
      lineAt += every_ms;
    }
    // fine steps while something may happen between ticks, whole seconds otherwise
    t += t % 1000 === 0 && every_ms >= 60_000 ? 1000 : 5;
  };
  if (!values.web) {
    while (t <= duration_ms) step();
    return;
  }
  // --web: the page talks to this board over the bridge while the scenario runs in real time
  const server = await startWebServer({
    board: b, port,
    beforeLine: () => events.flush(),
    afterLine: () => events.skipConsole(), // the page's RPC lines are not scenario events
    log: (text) => console.log(`> ${fmtTime(b.now_ms)}  ${text}`),
  });
  console.log(`web app: ${server.url}?demo  (the simulated BMS; PIN ${DEFAULT_PIN}). Ctrl-C to stop.`);
  const start = Date.now();
  let ended = false;
  setInterval(() => {
    const target = (Date.now() - start) * speed;
    while (t <= target) {
      if (t > duration_ms && !ended) {
        ended = true;
        console.log(`> ${fmtTime(b.now_ms)}  scenario over; the board keeps running for the web app (Ctrl-C to stop)`);
      }
      step();
    }
    server.check();
  }, 50);
}

/** The 12-200's outputs and its two voltages, as a meter on the terminals reads them. */
function vehicleColumns(b: SimBoard, veh: Vehicle): string {
  const w = P12200;
  const sysV = b.pin(w.aSys).analog ?? 0;
  return `ALT ${b.level(w.alt)}  SYS+ ${b.level(w.sysD)}${b.level(w.sysC)}  start ${veh.starter_V().toFixed(1)} V  ` +
    `System+ ${(sysV * b.vref * DIVIDER_12200).toFixed(1)} V`;
}

/** The advert on air now, as bytes and as the host decoder reads it with the device's key. */
function readoutLine(b: SimBoard): string {
  const a = b.radio.adverts.at(-1);
  if (!a || !a.manufacturerData) return "  readout: nothing on air yet";
  const advert = Buffer.from(a.manufacturerData).toString("hex");
  const d = decodeAdvert(advert, b.call<string>("bms.readoutKey()"));
  const f = d.fields;
  const show = (v: unknown, unit: string) => (v === undefined ? "n/a" : `${String(v)}${unit}`);
  return `  readout e102${advert}  nonce ${d.nonce}: ${show(f.voltage_V, " V")} ${show(f.current_A, " A")} ` +
    `SoC ${show(f.soc_pct, " %")} TTG ${show(f.ttg_min, " min")} ${show(f.temperature_C, " °C")} ` +
    `consumed ${show(f.consumed_Ah, " Ah")} error ${String(f.error)} cell ${String(f["wa.lowCellVoltage"])} ` +
    `link ${String(f["wa.bmsCable"])} low-SoC ${String(f["wa.lowSoc"])}`;
}

/** Prints output changes, console text, uncaught errors and resets as they happen. */
class EventPrinter {
  private pinIx = 0;
  private consoleIx = 0;
  private uncaughtIx = 0;
  private resetIx = 0;
  private readonly names: Record<string, string>;
  constructor(private readonly b: SimBoard, w: Wiring) {
    this.names = { [w.atd]: "ATD", [w.atc]: "ATC", [w.pre]: "PRE" };
    if (w === P12200) Object.assign(this.names, { [P12200.alt]: "ALT", [P12200.sysD]: "SYS+ discharge", [P12200.sysC]: "SYS+ charge" });
  }
  flush(): void {
    const b = this.b;
    for (; this.pinIx < b.pinLog.length; this.pinIx++) {
      const e = b.pinLog[this.pinIx];
      const n = this.names[e.pin];
      if (n) console.log(`> ${fmtTime(e.t_ms)}  ${n} -> ${e.level}  (during ${e.during})`);
    }
    for (; this.resetIx < b.resets.length; this.resetIx++) console.log(`> ${fmtTime(b.resets[this.resetIx].t_ms)}  board reset: ${b.resets[this.resetIx].why}`);
    for (; this.uncaughtIx < b.uncaught.length; this.uncaughtIx++) {
      const u = b.uncaught[this.uncaughtIx];
      console.log(`> ${fmtTime(u.t_ms)}  UNCAUGHT in ${u.during}: ${u.error}`);
    }
    const text = b.console.slice(this.consoleIx);
    this.consoleIx = b.console.length;
    for (const line of text.split("\n")) if (line && !line.startsWith("Uncaught")) console.log(`>   console: ${line}`);
  }
  /** console output so far is not an event (the web app's requests and their replies) */
  skipConsole(): void {
    this.consoleIx = this.b.console.length;
  }
}

// `npm start | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));
main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
