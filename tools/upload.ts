// Upload the firmware to a board: build dist/bms.js, then run the `espruino` CLI (as a child
// process: one of its modules turns off TLS certificate checks for the whole process) so the
// bundle is written to `.bootcde` in flash and runs from there at every boot.
// After the upload it asks the board what runs (bms.version(), after typing the PIN: the firmware
// locks the console at boot) and fails on any error the board printed.
// Usage: npm run upload -- [--board PUCKJS|MDBT42Q] [--port <path|BLE address|tcp://host:port>]
//                          [--dry-run] [--verbose] [--help]
// Environment: BMS_PORT (port when --port is not given), BMS_BUNDLE (upload this file, no build),
// BMS_SKIP_BUILD=1 (no build; dist/bms.js must exist), BMS_PREVIEW (--dry-run output file),
// BMS_PIN (the board's PIN when it is not 000000).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONFIG_PATH = join(ROOT, "espruino.config.js");
export const DEFAULT_BUNDLE = join(ROOT, "dist", "bms.js");
export const DEFAULT_PREVIEW = join(ROOT, "dist", "upload-preview.js");
/** docs/espruino.md, "The espruino command-line tool": uploads shorter than this never complete. */
const MIN_UPLOAD_BYTES = 512;
/** After "Upload Complete" the CLI waits for 500 ms of silence; a chatty firmware never gives it. */
const GRACE_AFTER_UPLOAD_MS = 3000;
/** A new board's PIN (src/settings.ts): the firmware locks the console with it at boot. */
const DEFAULT_PIN = "000000";
/** Time limit of a console session (connect, type, answer); Bluetooth LE takes the longest. */
const SESSION_TIMEOUT_S = 30;
/** After the board answered, listen this long more: an error in the first ticks shows up too. */
const LISTEN_AFTER_ANSWER_MS = 1500;
/**
 * What we type to ask the board what runs: a blank line (ends whatever was half typed; a locked
 * console answers it "Invalid password"), the PIN on a line of its own (a locked console compares
 * the whole line with it), then the question. DLE (\x10) keeps the question from being echoed, and
 * print()'s two arguments make "bms-check " (with the space) appear only in the answer.
 */
export function checkLines(pin: string): string[] {
  return ["", pin, '\x10print("bms-check", JSON.stringify(bms.version()))'];
}
/** Log in and stop the running firmware (reset(): its PIN goes with it until the next load()). */
export function unlockLines(pin: string): string[] {
  return ["", pin, "\x10reset()", '\x10print("bms-check", "stopped")'];
}

export type ConfigValue = string | number | boolean;

export interface BoardSettings {
  id: string;
  /** Board JSON file passed as `--board`, relative to the project root. */
  boardJson: string;
  port: string | null;
  baudRate: number;
  /** Espruino.Config options, passed as `--config KEY=value`. */
  config: Record<string, ConfigValue>;
}

export interface UploadConfig {
  defaultBoard: string;
  timeoutSeconds: number;
  setTime: boolean;
  boards: Record<string, BoardSettings>;
}

export interface ArgvOptions {
  /**
   * The code the CLI sends to the console once the files are written (path as the CLI should see
   * it, from the project root): `load()`, which boots the new firmware from flash.
   */
  bundle: string;
  /** The firmware as stored (pretokenised dist/bms.js), written to Storage as `.bootcde`. */
  bootcde?: string;
  /** Upload to this port. Exactly one of `port` and `preview` must be given. */
  port?: string;
  /** Write the transformed code to this file (`-o`) without connecting to anything. */
  preview?: string;
  /** The on-demand module as stored (pretokenised dist/bms-api.js), written to Storage as API_FILE before .bootcde. */
  api?: string;
  verbose?: boolean;
}
/** The on-demand module's Storage file, as the firmware loads it. */
export { API_FILE } from "../src/files.ts";
import { API_FILE } from "../src/files.ts";

export type PortKind = "ble" | "tcp" | "serial" | "name";

export class UploadError extends Error {}

const HINT = [
  "Give the port of your board:",
  "  BMS_PORT=/dev/ttyACM0 npm run upload                 (USB / serial adapter; COM3 on Windows)",
  "  npm run upload -- --port aa:bb:cc:dd:ee:ff           (Bluetooth LE address)",
  "  npm run upload -- --port tcp://192.168.1.50:23       (network bridge)",
  "List what the espruino CLI can see with: npm exec --prefix tools/upload -- espruino --list",
].join("\n");

const USAGE = `Usage: npm run upload -- [--board PUCKJS|MDBT42Q] [--port <port>] [--dry-run] [--verbose] [--help]

Builds dist/bms.js and uploads it with the espruino CLI so that it is saved to flash
(.bootcde) and runs at every boot. Settings: espruino.config.js, boards/*.json.

  --board <id>     board section of espruino.config.js (default: its defaultBoard)
  --port <port>    serial path (/dev/ttyACM0, COM3), BLE address (aa:bb:cc:dd:ee:ff) or
                   tcp://host:port; default: $BMS_PORT
  --dry-run        print the espruino command, write the code it would send to
                   dist/upload-preview.js (no board, no network), upload nothing
  --verbose        show everything the espruino CLI prints
  --help           this text

Environment: BMS_PORT, BMS_BUNDLE=<file> (upload that file, skip the build),
BMS_SKIP_BUILD=1 (skip the build, use the existing dist/bms.js), BMS_PREVIEW=<file.js>,
BMS_PIN=<pin> (the board's PIN, if it is not 000000: the firmware locks its console).`;

// ---------------------------------------------------------------------------------------------
// Pure helpers (unit-tested)

/** How the espruino CLI will treat a port string (its own MAC regex, bin/espruino-cli.js). */
export function portKind(port: string): PortKind {
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(port)) return "ble";
  if (port.startsWith("tcp://")) return "tcp";
  if (port.startsWith("/") || /^COM\d+$/i.test(port) || port.startsWith("\\\\.\\")) return "serial";
  return "name"; // a Bluetooth device name, matched while scanning
}

/** Why the espruino CLI would reject or misread this port, or undefined if it is usable. */
export function portProblem(port: string): string | undefined {
  if (port.trim() === "") return "the port is empty";
  if (port.startsWith("-")) return `"${port}" looks like an option, not a port`;
  // The CLI takes any argument containing ".js" for the file to upload, never for a port.
  if (port.includes(".js")) return `the espruino CLI cannot take a port containing ".js" ("${port}"); use the board's address`;
  return undefined;
}

/** `--config` value text that the CLI (JSON.parse, else plain string) reads back as `value`. */
function configValueText(value: ConfigValue): string {
  if (typeof value !== "string") return String(value);
  try {
    JSON.parse(value);
    return JSON.stringify(value); // "1", "true", "null" would otherwise change type
  } catch {
    return value;
  }
}

/**
 * The espruino CLI arguments (after `espruino-cli.js`) for one upload or one preview.
 * Order matters to the CLI: `-p` swallows every following argument that does not start with
 * "-" and does not contain ".js", so the file comes before it and the port comes last.
 */
export function buildEspruinoArgs(config: UploadConfig, boardId: string, opts: ArgvOptions): string[] {
  const board = config.boards[boardId];
  if (!board) throw new UploadError(`unknown board "${boardId}" (espruino.config.js has: ${Object.keys(config.boards).join(", ")})`);
  if ((opts.port === undefined) === (opts.preview === undefined)) {
    // With -o the CLI forces SAVE_ON_SEND=-1: combined with -p it would upload to RAM, not flash.
    throw new UploadError("give exactly one of port (upload) and preview (-o, no device)");
  }
  if (opts.port !== undefined) {
    const problem = portProblem(opts.port);
    if (problem) throw new UploadError(problem);
  }
  if (opts.preview !== undefined && !opts.preview.toLowerCase().includes(".js")) {
    throw new UploadError(`the preview file must end in .js (the CLI refuses "${opts.preview}")`);
  }
  if (opts.bundle.startsWith("-")) throw new UploadError(`bundle path "${opts.bundle}" starts with "-"`);
  for (const f of [opts.api, opts.bootcde]) {
    if (f !== undefined && (f.startsWith("-") || f.includes(":"))) throw new UploadError(`file path "${f}" starts with "-" or holds ":"`);
  }
  if (!board.boardJson.includes(".")) {
    // Without a "." the CLI takes --board as a board name and downloads its JSON.
    throw new UploadError(`boardJson "${board.boardJson}" must be a file name with an extension`);
  }

  const args = ["--board", board.boardJson, "-b", String(board.baudRate)];
  // BLE is only needed for a BLE address or name. Off otherwise: no scanning, and node-ble's
  // uncaught D-Bus error cannot kill the CLI on machines without BlueZ.
  const kind = opts.port === undefined ? undefined : portKind(opts.port);
  if (kind !== "ble" && kind !== "name") args.push("--no-ble");
  // setTime is sent before the code, not stored in .bootcde: left out of the preview.
  if (config.setTime && opts.port !== undefined) args.push("-t");
  if (opts.verbose) args.push("-v");
  for (const [key, value] of Object.entries(board.config)) args.push("--config", `${key}=${configValueText(value)}`);
  // both files are written as they are stored (pretokenised, tools/pretokenise.ts), before the
  // code the CLI sends, load(); the CLI writes the last one given first: the module goes first
  if (opts.bootcde !== undefined) args.push("--storage", `.bootcde:${opts.bootcde}`);
  if (opts.api !== undefined) args.push("--storage", `${API_FILE}:${opts.api}`);
  args.push(opts.bundle);
  if (opts.preview !== undefined) args.push("-o", opts.preview);
  else args.push("-p", opts.port as string);
  return args;
}

/** Modules the code require()s that the board JSON does not list as built in. */
export function missingModules(code: string, builtins: readonly string[]): string[] {
  const missing: string[] = [];
  const re = /\brequire\(\s*(["'])([^"'\\]+)\1\s*\)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const name = m[2];
    if (!builtins.includes(name) && !missing.includes(name)) missing.push(name);
  }
  return missing;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The upload had completed and the CLI was stopped while the firmware kept talking. */
  stoppedAfterUpload: boolean;
  stdout: string;
  stderr: string;
}

/** The first line of `text` that matches `re`, trimmed. */
function firstLine(text: string, re: RegExp): string | undefined {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => re.test(l));
}

/**
 * Decide from the CLI's output whether the upload really happened. Its exit code is no help:
 * it exits 0 after "Unable to connect!", after a refused TCP connection, and after sending to
 * a port where nothing answers.
 */
export function judgeUpload(r: CliResult, port: string, boardId: string, timeoutSeconds: number): string | undefined {
  const where = `${port} (${boardId})`;
  const out = r.stdout;
  const err = r.stderr;
  const deviceSpoke = /^--\] /m.test(out);
  const completed = /Upload Complete/.test(out);
  if (r.stoppedAfterUpload && deviceSpoke) return undefined;
  if (/dbus|system_bus_socket|ENODEV|\bhci\d*\b/i.test(err) && r.code !== 0 && !r.stoppedAfterUpload) {
    return `Bluetooth LE is not available on this computer (no BlueZ / D-Bus), so ${port} cannot be reached.\n` +
      "Connect the board over USB / serial or tcp:// instead.\n" + HINT;
  }
  if (/Unable to connect!|RECEIVE ERROR/.test(err)) {
    const reason = firstLine(err, /not found|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT|ENOENT|EACCES|[Pp]ermission denied|Error/);
    return `no board reachable on ${where}: the espruino CLI could not connect${reason ? ` (${reason})` : ""}.\n` +
      (reason && /EACCES|[Pp]ermission denied/.test(reason) ? "On Linux, add yourself to the dialout group (or use sudo) for serial ports.\n" : "") +
      HINT;
  }
  if (r.timedOut) {
    return `no answer from ${where} within ${timeoutSeconds} s; the espruino CLI was stopped.\n` +
      "Is the board powered, in range, and not connected to another app (Web IDE, phone)?\n" + HINT;
  }
  const moduleLine = firstLine(err, /^Module \S+ not found/);
  if (moduleLine) return `${moduleLine}: the bundle needs a module the ${boardId} firmware does not have built in.`;
  if (/Prompt not detected|upload failed/i.test(err)) {
    return `the upload to ${where} failed: ${firstLine(err, /Prompt not detected|upload failed/i)}`;
  }
  if (!r.stoppedAfterUpload && (r.code !== 0 || r.signal)) {
    const last = err.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("at ")).pop();
    return `the espruino CLI failed (${r.signal ?? `exit code ${r.code}`})${last ? `: ${last}` : ""}.\n` + HINT;
  }
  if (!completed) return `the connection to ${where} closed before the upload finished.\n` + HINT;
  if (!deviceSpoke) {
    return `connected to ${where}, but no Espruino answered: wrong port, wrong baud rate, or not an Espruino board.\n` + HINT;
  }
  return undefined;
}

/** The espruino CLI arguments for a console session (terminal mode: no file, no -e). */
export function buildConsoleArgs(config: UploadConfig, boardId: string, port: string): string[] {
  const board = config.boards[boardId];
  if (!board) throw new UploadError(`unknown board "${boardId}"`);
  const args = ["--board", board.boardJson, "-b", String(board.baudRate)];
  const kind = portKind(port);
  if (kind !== "ble" && kind !== "name") args.push("--no-ble");
  args.push("-p", port);
  return args;
}

/**
 * A firmware's PIN locked the console and it refused the upload's lines (Espruino's own words,
 * jsinteractive.c). One refusal is normal: the blank line the CLI sends after load(), typed at
 * the console the new firmware has just locked.
 */
export function uploadRefused(out: string): boolean {
  return (out.match(/Invalid password/g) ?? []).length >= 2;
}

/** What the board printed (the CLI prefixes it with "--] " while uploading) that is an error. */
export function boardErrors(out: string): string[] {
  const found: string[] = [];
  for (const l of out.split(/\r?\n/)) {
    const m = /Uncaught .*/.exec(l.replace(/^--\] /, ""));
    if (m && !found.includes(m[0].trim())) found.push(m[0].trim());
  }
  return found;
}

export interface SessionResult {
  /** everything the CLI printed: its own lines and the board's */
  out: string;
  timedOut: boolean;
}

/**
 * After the upload: did the board boot the firmware? `uploadOut` is the upload's output (the
 * boot after load() prints there), `check` the session that typed checkLines(). Returns the
 * versions the board gave, or why not.
 */
export function judgeCheck(uploadOut: string, check: SessionResult, where: string): { failure?: string; fw?: string; api?: number } {
  const errors = boardErrors(uploadOut + "\n" + check.out);
  if (errors.length > 0) {
    return { failure: `the firmware on ${where} does not run: the board printed ${errors.join("; ")}` };
  }
  const m = /bms-check (\{[^\r\n]*\})/.exec(check.out);
  if (m) {
    try {
      const v = JSON.parse(m[1]) as { api?: unknown; fw?: unknown };
      if (typeof v.fw === "string" && typeof v.api === "number") return { fw: v.fw, api: v.api };
    } catch {
      // fall through: not the answer of our firmware
    }
    return { failure: `the board on ${where} answered bms.version() with ${m[1]}, not the open-smallbms firmware's versions` };
  }
  if (/Invalid password[\s\S]*Invalid password/.test(check.out)) {
    return { failure: `the firmware was written, but the board on ${where} refused the PIN, so it could not be asked what runs: ` +
      "set BMS_PIN to the board's PIN (000000 on a new board)." };
  }
  const why = check.timedOut ? "no answer in time" : firstLine(check.out, /Unable to connect|not found|ERROR/) ?? "no answer";
  return { failure: `the firmware was written, but the board on ${where} did not answer bms.version() (${why}): is it running?` };
}

/** Shell-quote for display, so the printed command can be pasted into a POSIX shell. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (a !== "" && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

export interface CliOptions {
  board?: string;
  port?: string;
  dryRun: boolean;
  verbose: boolean;
  help: boolean;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { dryRun: false, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UploadError(`${name} needs a value\n\n${USAGE}`);
      return v;
    };
    if (name === "--board") opts.board = value();
    else if (name === "--port" || name === "-p") opts.port = value();
    else if (name === "--dry-run") opts.dryRun = true;
    else if (name === "--verbose" || name === "-v") opts.verbose = true;
    else if (name === "--help" || name === "-h") opts.help = true;
    else throw new UploadError(`unknown argument "${arg}"\n\n${USAGE}`);
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Effects

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Load and check espruino.config.js. */
export async function loadConfig(file = CONFIG_PATH): Promise<UploadConfig> {
  if (!existsSync(file)) throw new UploadError(`${relative(ROOT, file) || file} not found`);
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const c = mod.default;
  const bad = (what: string): never => { throw new UploadError(`${relative(ROOT, file)}: ${what}`); };
  if (!isRecord(c)) return bad("must `export default { ... }`");
  if (typeof c.defaultBoard !== "string") bad("defaultBoard must be a string");
  if (typeof c.timeoutSeconds !== "number" || !(c.timeoutSeconds > 0)) bad("timeoutSeconds must be a positive number");
  if (typeof c.setTime !== "boolean") bad("setTime must be true or false");
  if (!isRecord(c.boards)) return bad("boards must be an object");
  for (const [id, b] of Object.entries(c.boards)) {
    if (!isRecord(b)) return bad(`boards.${id} must be an object`);
    if (typeof b.id !== "string") bad(`boards.${id}.id must be a string`);
    if (typeof b.boardJson !== "string") bad(`boards.${id}.boardJson must be a string`);
    if (b.port !== null && typeof b.port !== "string") bad(`boards.${id}.port must be a string or null`);
    if (typeof b.baudRate !== "number") bad(`boards.${id}.baudRate must be a number`);
    if (!isRecord(b.config)) return bad(`boards.${id}.config must be an object`);
    for (const [k, v] of Object.entries(b.config)) {
      if (!["string", "number", "boolean"].includes(typeof v)) bad(`boards.${id}.config.${k} must be a string, number or boolean`);
    }
  }
  if (!isRecord(c.boards[c.defaultBoard as string])) bad(`defaultBoard "${String(c.defaultBoard)}" is not in boards`);
  return c as unknown as UploadConfig;
}

/** The CLI lives in a package of its own, tools/upload/ (not part of `npm install`). */
export function espruinoCliPath(): string {
  const require = createRequire(join(ROOT, "tools", "upload", "package.json"));
  try {
    return require.resolve("espruino/bin/espruino-cli.js");
  } catch {
    throw new UploadError("the espruino CLI is not installed: it is needed only for uploads, so `npm install` leaves it\n" +
      "(and its USB, serial and Bluetooth modules) out. Add it once with:  npm run upload:install");
  }
}

/** Path as shown to the user and given to the CLI (which runs in ROOT): relative when inside. */
function fromRoot(p: string): string {
  const rel = relative(ROOT, p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
}

function runBuild(): void {
  console.log("upload: building dist/bms.js (npm run build)");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "tools", "build.ts")], { cwd: ROOT, stdio: "inherit" });
  if (r.error) throw new UploadError(`the build could not start: ${r.error.message}`);
  if (r.status !== 0) throw new UploadError("the build failed (see above); nothing was uploaded");
}

/** Run the espruino CLI with a time limit; never throws for what the CLI does. */
function runEspruino(args: string[], timeoutSeconds: number, echo: boolean, verbose: boolean): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [espruinoCliPath(), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const result: CliResult = { code: null, signal: null, timedOut: false, stoppedAfterUpload: false, stdout: "", stderr: "" };
    let pending = "";
    let grace: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 2000);
    };
    const limit = setTimeout(() => { result.timedOut = true; stop(); }, timeoutSeconds * 1000);
    const show = (line: string): void => {
      // Drop the CLI's banner; keep its progress and what the board prints ("--] ...").
      if (!echo || /^(Espruino Command-line Tool|-{5,}|\d+\.\d+\.\d+$|Explicit board JSON supplied)/.test(line) || line === "") return;
      console.log(`  ${line}`);
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      result.stdout += chunk;
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      lines.forEach(show);
      if (!grace && /Upload Complete/.test(result.stdout)) {
        grace = setTimeout(() => { result.stoppedAfterUpload = true; stop(); }, GRACE_AFTER_UPLOAD_MS);
      }
    });
    child.stderr.on("data", (chunk: string) => {
      result.stderr += chunk;
      if (verbose) process.stderr.write(chunk);
    });
    child.on("error", (e) => { result.stderr += `\nError: ${e.message}`; });
    child.on("close", (code, signal) => {
      if (pending) show(pending);
      clearTimeout(limit);
      if (grace) clearTimeout(grace);
      if (killTimer) clearTimeout(killTimer);
      result.code = code;
      result.signal = signal;
      resolvePromise(result);
    });
  });
}

/**
 * A console session through the espruino CLI in terminal mode (so every kind of port works):
 * once connected, type `lines`; stop when `done(output)` holds (after LISTEN_AFTER_ANSWER_MS) or
 * after the time limit. Never throws for what the CLI or the board does.
 */
function runSession(args: string[], lines: string[], done: (out: string) => boolean, timeoutSeconds: number, verbose: boolean): Promise<SessionResult> {
  return new Promise((resolvePromise) => {
    // stdin stays an open pipe: at its end the CLI leaves
    const child = spawn(process.execPath, [espruinoCliPath(), ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const result: SessionResult = { out: "", timedOut: false };
    let typed = false;
    let ending: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 2000);
    };
    const limit = setTimeout(() => { result.timedOut = true; stop(); }, timeoutSeconds * 1000);
    const seen = (chunk: string): void => {
      result.out += chunk;
      if (verbose) process.stdout.write(chunk);
      if (!typed && /^Connected\r?$/m.test(result.out)) {
        typed = true;
        child.stdin.write(lines.map((l) => l + "\n").join(""));
      }
      if (typed && !ending && done(result.out)) ending = setTimeout(stop, LISTEN_AFTER_ANSWER_MS);
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.stdin.on("error", () => {});
    child.on("error", (e) => { result.out += `\nError: ${e.message}`; });
    child.on("close", () => {
      clearTimeout(limit);
      if (ending) clearTimeout(ending);
      if (killTimer) clearTimeout(killTimer);
      resolvePromise(result);
    });
  });
}

/** The session has its answer: our marker, an error, or the PIN refused twice (blank line, PIN). */
function answered(out: string): boolean {
  return /bms-check /.test(out) || /Uncaught /.test(out) || /Invalid password[\s\S]*Invalid password/.test(out);
}

function readBoardBuiltins(boardJsonPath: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(boardJsonPath, "utf8"));
  } catch (e) {
    throw new UploadError(`${fromRoot(boardJsonPath)} is not valid JSON: ${(e as Error).message}`);
  }
  const info = isRecord(json) ? json.info : undefined;
  if (!isRecord(info) || typeof info.binary_version !== "string" || !Array.isArray(info.builtin_modules)) {
    // Without binary_version the CLI assumes pre-1v96 firmware and falls back to E.setBootCode.
    throw new UploadError(`${fromRoot(boardJsonPath)} needs info.binary_version and info.builtin_modules`);
  }
  return info.builtin_modules.filter((m): m is string => typeof m === "string");
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCliArgs(argv);
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const config = await loadConfig();
  const boardId = cli.board ?? config.defaultBoard;
  const board = config.boards[boardId];
  if (!board) throw new UploadError(`unknown board "${boardId}" (espruino.config.js has: ${Object.keys(config.boards).join(", ")})`);
  const boardJsonPath = resolve(ROOT, board.boardJson);
  if (!existsSync(boardJsonPath)) throw new UploadError(`board JSON ${board.boardJson} not found`);
  const builtins = readBoardBuiltins(boardJsonPath);

  const port = cli.port ?? (process.env.BMS_PORT || undefined) ?? board.port ?? undefined;
  if (port === undefined && !cli.dryRun) throw new UploadError(`no port given for the ${boardId}, nothing was uploaded.\n${HINT}`);
  if (port !== undefined) {
    const problem = portProblem(port);
    if (problem) throw new UploadError(`${problem}.\n${HINT}`);
  }

  // The bundle: given by BMS_BUNDLE, or dist/bms.js built now (unless BMS_SKIP_BUILD=1).
  const bundleEnv = process.env.BMS_BUNDLE;
  const bundlePath = bundleEnv ? resolve(bundleEnv) : DEFAULT_BUNDLE;
  if (bundleEnv) console.log(`upload: BMS_BUNDLE set, uploading ${bundleEnv} without building`);
  else if (process.env.BMS_SKIP_BUILD === "1") console.log("upload: BMS_SKIP_BUILD=1, using the existing dist/bms.js");
  else runBuild();
  if (!existsSync(bundlePath) || !statSync(bundlePath).isFile()) {
    throw new UploadError(`${fromRoot(bundlePath)} not found: run \`npm run build\` first (or unset BMS_SKIP_BUILD / BMS_BUNDLE)`);
  }
  const code = readFileSync(bundlePath, "utf8");
  const missing = missingModules(code, builtins);
  if (missing.length > 0) {
    throw new UploadError(`the bundle require()s ${missing.map((m) => `"${m}"`).join(", ")}, not built into the ${boardId} ` +
      `firmware (${board.boardJson} builtin_modules). Modules are never downloaded: bundle them with esbuild.`);
  }
  if (Buffer.byteLength(code) < MIN_UPLOAD_BYTES) {
    console.warn(`upload: warning: ${fromRoot(bundlePath)} is ${Buffer.byteLength(code)} bytes; uploads under ${MIN_UPLOAD_BYTES} bytes may never complete`);
  }

  const cliPath = fromRoot(espruinoCliPath());
  // the on-demand module built next to the bundle (dist/bms-api.js): without it `bms` cannot answer
  const apiPath = join(dirname(bundlePath), "bms-api.js");
  const hasApi = existsSync(apiPath);
  if (!hasApi) console.warn(`upload: warning: ${fromRoot(apiPath)} not found: the board will run, but bms (REPL, web app) will not answer`);
  // the files as the board stores them (pretokenised), and the line that boots them
  const stored = await storedFiles(code, hasApi ? readFileSync(apiPath, "latin1") : undefined);
  const bundleArg = stored.loader;
  const bootcde = stored.bootcde;
  const api = stored.api;

  if (cli.dryRun) {
    const previewPath = process.env.BMS_PREVIEW ? resolve(process.env.BMS_PREVIEW) : DEFAULT_PREVIEW;
    const uploadArgs = buildEspruinoArgs(config, boardId, { bundle: bundleArg, bootcde, api, port: port ?? "<port>", verbose: cli.verbose });
    const previewArgs = buildEspruinoArgs(config, boardId, { bundle: bundleArg, bootcde, api, preview: fromRoot(previewPath), verbose: cli.verbose });
    console.log(`upload: dry run for the ${boardId}, run from ${ROOT}`);
    console.log(`upload command${port ? "" : " (no port given: set BMS_PORT or --port)"}:\n  node ${shellQuote([cliPath, ...uploadArgs])}`);
    console.log(`preview command (runs now, no device, no network):\n  node ${shellQuote([cliPath, ...previewArgs])}`);
    rmSync(previewPath, { force: true });
    const r = await runEspruino(previewArgs, config.timeoutSeconds, cli.verbose, cli.verbose);
    if (r.code !== 0 || !existsSync(previewPath)) {
      const last = r.stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("at ")).pop();
      throw new UploadError(`the espruino CLI did not write the preview${r.timedOut ? " (timed out)" : ""}${last ? `: ${last}` : ""}`);
    }
    const moduleLine = firstLine(r.stderr, /^Module \S+ not found/);
    if (moduleLine) throw new UploadError(`${moduleLine}: the bundle needs a module the ${boardId} firmware does not have built in.`);
    console.log(`upload: wrote ${fromRoot(previewPath)} (${statSync(previewPath).size} bytes): what the CLI sends after reset(): ${api ? `${API_FILE} and ` : ""}.bootcde, pretokenised, then load().`);
    console.log(`  When uploading, the CLI sends reset(), writes ${api ? `${API_FILE} and ` : ""}.bootcde with require("Storage").write(...) (base64 in chunks), then load().`);
    return 0;
  }

  const args = buildEspruinoArgs(config, boardId, { bundle: bundleArg, bootcde, api, port: port as string, verbose: cli.verbose });
  console.log(`upload: ${fromRoot(bundlePath)} (${stored.bootcde_B} bytes as stored) → ${boardId} on ${port}, saved to .bootcde${api ? `, and ${fromRoot(apiPath)} (${stored.api_B} bytes) to ${API_FILE}` : ""}`);
  if (cli.verbose) console.log(`  node ${shellQuote([cliPath, ...args])}`);
  const where = `${port} (${boardId})`;
  const pin = process.env.BMS_PIN || DEFAULT_PIN;
  const consoleArgs = buildConsoleArgs(config, boardId, port as string);
  let r = await runEspruino(args, config.timeoutSeconds, true, cli.verbose);
  if (uploadRefused(r.stdout)) {
    // A firmware (ours, from an earlier upload) locked the console: it refused every line.
    console.log("upload: the board's console is locked by its firmware's PIN: logging in and stopping it (reset()), then uploading again");
    const u = await runSession(consoleArgs, unlockLines(pin), (o) => /bms-check stopped/.test(o) || answered(o), SESSION_TIMEOUT_S, cli.verbose);
    if (!/bms-check stopped/.test(u.out)) {
      throw new UploadError(/Invalid password[\s\S]*Invalid password/.test(u.out)
        ? `the board on ${where} runs a firmware that locks its console, and it refused the PIN: set BMS_PIN to the board's PIN (000000 on a new board). Nothing was uploaded.`
        : `the board on ${where} runs a firmware that locks its console, and logging in failed${u.timedOut ? " (no answer in time)" : ""}. Nothing was uploaded.`);
    }
    r = await runEspruino(args, config.timeoutSeconds, true, cli.verbose);
    if (uploadRefused(r.stdout)) throw new UploadError(`the console of ${where} was locked again before the upload. Nothing was uploaded.`);
  }
  const failure = judgeUpload(r, port as string, boardId, config.timeoutSeconds);
  if (failure) throw new UploadError(failure);
  // load() ran the firmware from flash: ask it what runs, as any client (it locked the console)
  console.log(`upload: written; asking the board what runs (PIN, then bms.version())`);
  const check = await runSession(consoleArgs, checkLines(pin), answered, SESSION_TIMEOUT_S, cli.verbose);
  const v = judgeCheck(r.stdout, check, where);
  if (v.failure) throw new UploadError(v.failure);
  console.log(`upload: done, the ${boardId} on ${port} runs open-smallbms ${v.fw} (API ${v.api}) from flash (.bootcde).`);
  return 0;
}

/**
 * The files as the board stores them, pretokenised (tools/pretokenise.ts), in a fresh directory
 * under dist/: `.bootcde`, the module, and `load.js`, the one line the CLI sends after writing
 * them. Paths from the project root, as the CLI is given them.
 */
export async function storedFiles(firmware: string, api: string | undefined): Promise<{ bootcde: string; api?: string; loader: string; bootcde_B: number; api_B: number }> {
  // loaded here, once the CLI is known to be there: a copy of this script without the project
  // (a test) must still say that the CLI is missing
  const { pretokenise } = await import("./pretokenise.ts");
  const dir = join(ROOT, "dist", "upload");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fw = pretokenise(firmware);
  writeFileSync(join(dir, "bootcde.bin"), fw, "latin1");
  const out: { bootcde: string; api?: string; loader: string; bootcde_B: number; api_B: number } = {
    bootcde: fromRoot(join(dir, "bootcde.bin")), loader: fromRoot(join(dir, "load.js")), bootcde_B: fw.length, api_B: 0,
  };
  if (api !== undefined) {
    const m = pretokenise(api);
    writeFileSync(join(dir, "api.bin"), m, "latin1");
    out.api = fromRoot(join(dir, "api.bin"));
    out.api_B = m.length;
  }
  writeFileSync(join(dir, "load.js"), "load()\n");
  return out;
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // One clear message, no stack trace.
      console.error(`upload failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
