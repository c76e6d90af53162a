// Drive Espruino's own interpreter, built for Linux, with the firmware in its Storage: the truth
// for RAM and CPU (docs/device-budget.md). The firmware goes into Storage as `npm run upload`
// puts it (`.bootcde`), the Puck.js stand-in as `.boot0`, and the battery link's bytes, made by
// the simulator's encoder, as a Storage file the stand-in replays on its virtual clock.
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";

const HERE = dirname(fileURLToPath(import.meta.url));
export const STANDIN_PATH = join(HERE, "puck-standin.js");

/** Where the interpreters are looked for unless ESPRUINO_PUCK32 / ESPRUINO_COUNTER64 say. */
export const DEFAULT_BIN_DIR = process.env.ESPRUINO_BIN_DIR ?? join(homedir(), ".cache", "open-smallbms", "espruino");

export interface Interpreters {
  /** 32-bit, fixed pool of 2,630 variables of 13 bytes: the Puck.js v2 layout */
  puck32?: string;
  /** 32-bit with a larger fixed pool (same 13-byte variables): measures a firmware that does not fit */
  roomy32?: string;
  /** the standard 64-bit build: instruction counts under valgrind, long soaks */
  counter64?: string;
}

function found(envName: string, file: string): string | undefined {
  const p = process.env[envName] ?? join(DEFAULT_BIN_DIR, file);
  return existsSync(p) ? p : undefined;
}

export function findInterpreters(): Interpreters {
  return {
    puck32: found("ESPRUINO_PUCK32", "espruino-puck32"),
    roomy32: found("ESPRUINO_ROOMY32", "espruino-roomy32"),
    counter64: found("ESPRUINO_COUNTER64", "espruino-counter64"),
  };
}

/** How to get them, printed when they are missing. */
export const HOW_TO_GET = "Espruino's Linux interpreters are not installed: see docs/device-budget.md, " +
  "\"Getting the interpreters\" (set ESPRUINO_PUCK32 and ESPRUINO_COUNTER64, or put them in " + DEFAULT_BIN_DIR + ")";

function is32bit(binary: string): boolean {
  const head = readFileSync(binary).subarray(0, 5);
  return head[4] === 1; // ELF class: 1 = 32-bit
}

function hostRuns32bit(): boolean {
  // the kernels here have IA-32 emulation off: a 32-bit program runs through qemu-i386-static
  return process.env.ESPRUINO_NATIVE32 === "1";
}

export function which(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** a line that writes 600 bytes into Storage answers within seconds, even through qemu on a busy host */
const WRITE_REPLY_MS = 60_000;

export interface EngineOptions {
  binary: string;
  /** Storage files to write before boot: name -> bytes */
  files: Record<string, Uint8Array | string>;
  /** run under valgrind's callgrind (instruction counts), output in the work dir */
  callgrind?: boolean;
  /** milliseconds to wait for one reply before giving up */
  timeout_ms?: number;
}

export interface Reply {
  [k: string]: unknown;
}

/**
 * One interpreter process. Files are written into its Storage through the console, then the
 * process is restarted so that it boots from flash exactly as a board does: `.boot0`, then
 * `.bootcde`. Replies come back as JSON on lines that start with "@@".
 */
export class Engine {
  readonly dir: string;
  /** everything the interpreter printed that was not a reply (boot messages, errors) */
  output = "";
  /** lines that report an error: "Uncaught ...", "@!..." from the stand-in, "Out of Memory" */
  errors: string[] = [];
  private proc?: ChildProcessWithoutNullStreams;
  private buf = "";
  private waiting?: { resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
  private exited?: Promise<number | null>;
  private dumps = 0;

  private constructor(private readonly opts: EngineOptions) {
    this.dir = mkdtempSync(join(tmpdir(), "espruino-"));
  }

  static async boot(opts: EngineOptions): Promise<Engine> {
    const e = new Engine(opts);
    // first run: write the files into espruino.flash. The Linux build reads its console on a
    // thread of its own, and under qemu that thread now and then corrupts the input queue
    // ("ASSERT(len <= 64) FAILED AT src/jsdevices.c"): the interpreter exits before any
    // firmware has run. Writing the files again in a fresh process is then the whole remedy.
    // The same fault can also garble a chunk that is then written: Storage refuses the next
    // chunk ("File already written with different data"), or, worse, takes it. So every file is
    // read back and its CRC compared before the board boots from it.
    for (let attempt = 1; ; attempt++) {
      try {
        e.spawn(false);
        await e.send("echo(0);print('@@1')", WRITE_REPLY_MS);
        for (const [name, data] of Object.entries(opts.files)) await e.writeFile(name, data);
        await e.quit();
        break;
      } catch (err) {
        // the fault shows as the assertion, a console that never answers again, a garbled chunk
        // Storage refuses, or a file whose read-back CRC differs from the bytes sent
        const consoleFault = /ASSERT\(len <= 64\)|no reply from Espruino|File already written with different data|read back with CRC/.test(
          String(err) + e.output,
        );
        e.kill(false);
        if (!consoleFault || attempt >= 3) throw err;
        rmSync(join(e.dir, "espruino.flash"), { force: true }); // no half-written file survives
        e.output = "";
        e.errors = [];
      }
    }
    // second run: boots from flash like a board at power-up, then says it is ready
    await e.powerOn();
    return e;
  }

  /** The interpreter started on the flash it has, as a board at power-up; resolves once it answers. */
  private async powerOn(): Promise<void> {
    this.output = "";
    this.errors = [];
    this.spawn(this.opts.callgrind === true);
    await this.send("echo(0);print('@@1')");
  }

  private spawn(callgrind: boolean): void {
    const bin = this.opts.binary;
    let cmd = bin;
    let args: string[] = [];
    if (is32bit(bin) && !hostRuns32bit()) {
      cmd = "qemu-i386-static";
      args = [bin];
    }
    if (callgrind) {
      args = ["--tool=callgrind", `--callgrind-out-file=${join(this.dir, "callgrind.out")}`, cmd, ...args];
      cmd = "valgrind";
    }
    // stdin stays an open pipe: at end of file the Linux console reads garbage
    const p = spawn(cmd, args, { cwd: this.dir, stdio: ["pipe", "pipe", "pipe"] });
    this.proc = p;
    this.buf = "";
    p.stdout.setEncoding("latin1");
    p.stdout.on("data", (d: string) => this.onData(d));
    p.stderr.on("data", () => {});
    this.exited = new Promise((resolve) =>
      p.on("exit", (code, signal) => {
        // a crashed or killed interpreter answers nothing more: fail the pending command now
        const w = this.waiting;
        this.waiting = undefined;
        if (w) {
          clearTimeout(w.timer);
          w.reject(new Error(`Espruino exited (code ${code}, signal ${signal})\n${this.output.slice(-1500)}${this.buf}`));
        }
        resolve(code);
      }),
    );
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, "");
      this.buf = this.buf.slice(nl + 1);
      if (line.startsWith("@@")) {
        const w = this.waiting;
        this.waiting = undefined;
        if (w) {
          clearTimeout(w.timer);
          w.resolve(line.slice(2));
        }
        continue;
      }
      this.output += line + "\n";
      if (/^@!|Uncaught|Out of Memory|MEMORY|^ERROR|^Error/i.test(line)) {
        this.errors.push(line);
        // an uncaught error ends the command before its reply: fail now, not at the time-out
        const w = this.waiting;
        if (w && /Uncaught/.test(line)) {
          this.waiting = undefined;
          clearTimeout(w.timer);
          setTimeout(() => w.reject(new Error(`Espruino: ${line}\n${this.output.slice(-1500)}`)), 200);
        }
      }
    }
  }

  /** Send one console line that ends by printing "@@" + something; resolve with that. */
  send(line: string, timeout_ms = this.opts.timeout_ms ?? 120000): Promise<string> {
    const p = this.proc;
    if (!p) throw new Error("engine not running");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`no reply from Espruino within ${timeout_ms} ms to: ${line.slice(0, 80)}\n${this.output.slice(-2000)}`));
      }, timeout_ms);
      this.waiting = { resolve, reject, timer };
      p.stdin.write(line + "\n");
    });
  }

  /** Evaluate an expression on the device and return its JSON value. */
  async eval<T = Reply>(expr: string): Promise<T> {
    const s = await this.send(`VC.reply(${expr})`);
    return JSON.parse(s) as T;
  }

  /** Run a statement (no value). */
  async run(stmt: string): Promise<void> {
    await this.send(`${stmt};print('@@1')`);
  }

  private async writeFile(name: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : Buffer.from(data);
    const CHUNK = 600;
    for (let off = 0; off < bytes.length; off += CHUNK) {
      const b64 = bytes.subarray(off, off + CHUNK).toString("base64");
      await this.send(`require("Storage").write(${JSON.stringify(name)},atob("${b64}"),${off},${bytes.length});print('@@1')`, WRITE_REPLY_MS);
    }
    const onDevice = Number(await this.send(`print('@@'+E.CRC32(require("Storage").read(${JSON.stringify(name)})))`, WRITE_REPLY_MS));
    const sent = crc32(bytes);
    if (onDevice !== sent) throw new Error(`${name} read back with CRC ${onDevice}, sent with ${sent}`);
  }

  /** The board powered off and on: the interpreter exits and boots again from the same flash. */
  async restart(): Promise<void> {
    await this.quit();
    await this.powerOn();
  }

  /** Ask the interpreter to exit (it dumps callgrind counts on the way out); resolves on exit. */
  async quit(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) p.stdin.write("quit()\n");
    const t = setTimeout(() => this.proc?.kill("SIGKILL"), 60000);
    await this.exited;
    clearTimeout(t);
    this.proc = undefined;
  }

  /**
   * callgrind: instructions since the previous dump (or since start), counted now, less what the
   * Linux build spends emulating flash (see `flashEmulation`): what a Puck.js would run.
   */
  dump(): number {
    const d = this.dumpDetail();
    return d.total - d.flashEmulation;
  }

  /**
   * The raw count and, inside it, the instructions of `jshFlashRead`. The Linux build keeps its
   * flash in a file and opens, seeks, reads and closes it for every 16 bytes of a function body
   * read from Storage (fopen and malloc inside); a Puck.js reads the same bytes from memory-mapped
   * flash. Left in, that file work was about a quarter of an idle second.
   */
  dumpDetail(): { total: number; flashEmulation: number } {
    if (!this.proc?.pid) throw new Error("engine not running");
    execFileSync("callgrind_control", ["-d", String(this.proc.pid)], { stdio: "ignore" });
    this.dumps++;
    const text = readFileSync(join(this.dir, `callgrind.out.${this.dumps}`), "utf8");
    const m = /^(?:summary|totals): (\d+)/m.exec(text);
    if (!m) throw new Error("no totals in callgrind dump");
    return { total: Number(m[1]), flashEmulation: inclusiveCalls(text, "jshFlashRead") };
  }

  /** Stop the process at once; `clean` also removes its folder (flash file, callgrind output). */
  kill(clean = true): void {
    this.proc?.kill("SIGKILL");
    this.proc = undefined;
    if (clean) rmSync(this.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    if (this.proc) await this.quit();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Instructions spent inside calls to the C function `fn`, from a callgrind dump: the cost line
 * after each `cfn=` naming it (names are compressed to "(id) name" the first time, "(id)" after).
 */
export function inclusiveCalls(text: string, fn: string): number {
  const lines = text.split("\n");
  let id: string | undefined;
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    const c = /^(c?)fn=\((\d+)\)(?: (.*))?$/.exec(lines[i]);
    if (!c) continue;
    if (c[3] === fn) id = c[2];
    if (!c[1] || c[2] !== id || !lines[i + 1]?.startsWith("calls=")) continue;
    const cost = lines[i + 2]?.trim().split(/\s+/);
    if (cost) sum += Number(cost[cost.length - 1]);
  }
  return sum;
}
