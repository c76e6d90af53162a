// A simulated Espruino nRF52 board (Puck.js v2 or MDBT42Q) that runs the built dist/bms.js in a
// vm context on fake time. It provides the device globals the firmware uses, with the device's
// quirks (numeric ids, clear-all on a missing argument, no Map/Set/Array.from, ...), and records
// what a test needs to assert: pin levels and their history, adverts, console output, uncaught
// errors, watchdog resets. An API the device lacks is absent here too.
import { createCipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import FakeTimers from "@sinonjs/fake-timers";
import { type Level, type Mode, PIN_MODES, SimPin, type Watch } from "./pins.ts";
import { SimStorage } from "./storage.ts";
import { makeRadio, type Radio } from "./radio.ts";
import { removeMissingFeatures } from "./language.ts";

export const DEFAULT_BUNDLE = join(import.meta.dirname, "..", "dist", "bms.js");
/** the on-demand module the firmware loads from Storage when `bms` is used (tools/build.ts) */
export const DEFAULT_API = join(import.meta.dirname, "..", "dist", "bms-api.js");
/** its Storage file name, as the firmware loads it */
export { API_FILE } from "../src/files.ts";
import { API_FILE } from "../src/files.ts";
import { detokenise, pretokenise } from "../tools/pretokenise.ts";

export type BoardId = "PUCKJS" | "MDBT42Q";
export interface SimOptions {
  /** bundle source; default: the built dist/bms.js */
  code?: string;
  /** the on-demand module (Storage file API_FILE); default: dist/bms-api.js with the default
   * bundle, none with `code` */
  api?: string;
  board?: BoardId;
  storage?: SimStorage;
  /** seed of E.hwRand */
  seed?: number;
  /** start of simulated time, ms since the epoch */
  start_ms?: number;
  /** free variables from power-on (default SIM_FREE_VARS): a boot short of memory */
  freeVars?: number;
}
export interface PinEvent { t_ms: number; pin: string; level: Level; during: string }
export interface Uncaught { t_ms: number; during: string; error: string }

type Clock = ReturnType<typeof FakeTimers.createClock>;
type Fn = (...a: unknown[]) => unknown;

/** nRF52 POWER.RESETREAS and its bits */
export const RESETREAS_ADDR = 0x40000400;
export const RESETREAS_PIN = 1;
export const RESETREAS_DOG = 2;

/** free variables by default: plenty, about what 1 battery leaves on a Puck.js (docs/device-budget.md) */
export const SIM_FREE_VARS = 1500;

const LEDS: Record<BoardId, string[]> = { PUCKJS: ["LED1", "LED2", "LED3"], MDBT42Q: ["LED1", "LED2"] };

export class SimBoard {
  readonly clock: Clock;
  readonly storage: SimStorage;
  readonly pins = new Map<string, SimPin>();
  readonly pinLog: PinEvent[] = [];
  readonly uncaught: Uncaught[] = [];
  readonly resets: { t_ms: number; why: string }[] = [];
  readonly serialTx: string[] = [];
  console = "";
  radio!: Radio;
  /** what the firmware is running inside: "boot", "timer", "watch:D28", "serial", "ble", "repl" */
  during = "idle";
  ctx!: vm.Context;
  readonly boardId: BoardId;
  private readonly code: string;
  private readonly lastLevel = new Map<string, Level>();
  private watches: Watch[] = [];
  private timers = new Set<number>();
  private nextWatchId = 1;
  private serialHandlers: Fn[] = [];
  private eventHandlers: Record<string, Fn[]> = {};
  private watchdog = { timeout_ms: 0, lastKick_ms: 0 };
  /**
   * nRF52 POWER.RESETREAS, read by the firmware with peek32(RESETREAS_ADDR): bit 0 RESETPIN, bit 1
   * DOG (watchdog). Cumulative since power-on; a power cut clears it. The SoftDevice protects the
   * POWER registers, so firmware cannot clear it while Bluetooth runs (poke32 faults here too).
   */
  resetReason = 0;
  /** E.getAnalogVRef(): the ADC reference, the board's supply (V) */
  vref = 3.3;
  /** E.getTemperature(): the chip's temperature (°C) */
  temperature = 21.25;
  /**
   * process.memory().free: the free variables the firmware is told of. Only this figure is
   * modelled (a test sets it to see what the firmware does when memory is short); the real counts
   * come from Espruino's own interpreter (tools/espruino/, docs/device-budget.md).
   */
  freeVars = SIM_FREE_VARS;
  private rand: number;
  private readonly t0_ms: number;

  constructor(opts: SimOptions = {}) {
    this.boardId = opts.board ?? "PUCKJS";
    this.code = opts.code ?? readFileSync(DEFAULT_BUNDLE, "utf8");
    this.storage = opts.storage ?? new SimStorage();
    // both files in Storage, as `npm run upload` leaves them (the firmware runs from .bootcde)
    const api = opts.api ?? (opts.code === undefined ? readFileSync(DEFAULT_API, "latin1") : undefined);
    // as the upload stores them: Espruino's token bytes (tools/pretokenise.ts)
    this.storage.install(".bootcde", pretokenise(this.code));
    if (api !== undefined) this.storage.install(API_FILE, pretokenise(api));
    this.rand = (opts.seed ?? 1) >>> 0 || 1;
    this.t0_ms = opts.start_ms ?? Date.UTC(2026, 0, 1);
    this.freeVars = opts.freeVars ?? SIM_FREE_VARS;
    const fakeGlobal = { setTimeout: () => 1, clearTimeout() {}, setInterval: () => 1, clearInterval() {}, Date };
    this.clock = FakeTimers.withGlobal(fakeGlobal as never).createClock(this.t0_ms) as Clock;
    for (let i = 0; i < 32; i++) this.pins.set("D" + i, new SimPin("D" + i, this));
    for (const led of LEDS[this.boardId]) this.pins.set(led, new SimPin(led, this));
    for (const p of this.pins.values()) this.lastLevel.set(p.name, p.level()); // log changes only
    this.boot("power-on");
  }

  // ---- what tests and the CLI use -------------------------------------------------------
  get now_ms(): number {
    return this.clock.now - this.t0_ms;
  }
  /** Advance simulated time, firing every timer, watch and debounce due on the way. */
  advance(ms: number): void {
    this.clock.tick(ms);
    this.checkWatchdog();
  }
  pin(name: string): SimPin {
    const p = this.pins.get(name);
    if (!p) throw new Error(`sim: no pin ${name} on ${this.boardId}`);
    return p;
  }
  level(name: string): Level {
    return this.pin(name).level();
  }
  /** Drive a pin from outside (1/0), or release it (null). Watches see it like the hardware. */
  drive(name: string, v: 0 | 1 | null): void {
    const p = this.pin(name);
    const before = p.logic();
    const outer = this.during;
    this.during = "external";
    p.ext = v;
    this.pinChanged(p, before);
    this.during = outer;
  }
  /** A voltage at an analog pin, as a fraction of the ADC reference (analogRead's value); null = none. */
  analogIn(name: string, ratio: number | null): void {
    this.pin(name).analog = ratio;
  }
  /** Short a pin to a rail (1 or 0), or remove the short (null): a hardware fault. */
  short(name: string, v: 0 | 1 | null): void {
    const p = this.pin(name);
    const before = p.logic();
    p.short = v;
    this.pinChanged(p, before);
  }
  /** Bytes arriving on Serial1 (the battery link), delivered as one 'data' event. */
  serialInject(bytes: ArrayLike<number>): void {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] & 0xff);
    for (const h of this.serialHandlers.slice()) this.run("serial", h, [s]);
  }
  /** Type a line at the Espruino console; returns what the console printed, like the REPL. */
  repl(line: string): string {
    const mark = this.console.length;
    if (this.locked) {
      // Espruino's own words (jsinteractive.c): a page tells a refused PIN by them
      if (line === this.password) {
        this.locked = false;
        this.print("\n  Logged in.");
      } else this.print("\n  Invalid password\npassword>");
      return this.console.slice(mark);
    }
    // a line starting with DLE (0x10) is neither echoed nor answered with its result, as on
    // Espruino: that is how programs talk to the console without the REPL's noise
    const quiet = line.charCodeAt(0) === 0x10;
    const code = quiet ? line.slice(1) : line;
    if (!quiet) this.print(">" + line);
    this.run("repl", () => {
      const r = vm.runInContext(code, this.ctx, { filename: "repl" });
      if (r !== undefined && !quiet) this.print("=" + fmtValue(r));
    }, []);
    return this.console.slice(mark);
  }
  /**
   * Bytes from a connected central on the Nordic UART service: Espruino's console over BLE.
   * Each line is typed at the console; returns what the console sent back.
   */
  uart(text: string): string {
    if (this.radio.connected === undefined) throw new Error("sim: no central is connected to write to the UART");
    let out = "";
    for (const line of text.split("\n")) if (line.length) out += this.repl(line);
    return out;
  }
  /** Call into the firmware from the host, returning the value itself: a debugger's view, so the console lock does not apply. */
  call<T>(expr: string): T {
    let out: unknown;
    this.run("repl", () => { out = vm.runInContext(expr, this.ctx, { filename: "repl" }); }, []);
    return out as T;
  }
  /**
   * Hard reset: the firmware restarts from flash with Storage kept, like pressing reset (a pin
   * reset in RESETREAS; `why` "watchdog" is the watchdog's, "power-cycle" a power cut).
   */
  reset(why = "reset"): void {
    this.resets.push({ t_ms: this.now_ms, why });
    this.resetReason = why === "power-cycle" ? 0 : this.resetReason | (why === "watchdog" ? RESETREAS_DOG : RESETREAS_PIN);
    for (const id of this.timers) this.clock.clearTimeout(id);
    this.timers.clear();
    for (const w of this.watches) w.pending?.cancel();
    this.watches = [];
    this.serialHandlers = [];
    this.eventHandlers = {};
    this.password = undefined; // lives in RAM: the firmware sets it again at boot
    this.locked = false;
    this.watchdog = { timeout_ms: 0, lastKick_ms: 0 };
    this.during = why;
    for (const p of this.pins.values()) {
      const before = p.logic();
      p.md = "auto"; // every pin floats while the chip resets
      p.explicitMode = false;
      p.out = 0;
      this.pinChanged(p, before);
    }
    this.during = "idle";
    this.boot(why);
  }
  /** Power cut: like reset, but an interrupted flash write stays interrupted. */
  powerCycle(): void {
    this.reset("power-cycle");
  }

  // ---- the device globals ----------------------------------------------------------------
  private boot(why: string): void {
    this.radio = makeRadio(this, this.radio);
    const ctx = vm.createContext(this.globals());
    vm.runInContext("this.global = this", ctx); // Espruino's name for the global object
    // Espruino's typed-array set() takes a string as its char codes (the link decoder copies each
    // received chunk so); the context's own typed arrays get the same
    vm.runInContext(`(function () {
      var P = Object.getPrototypeOf(Uint8Array.prototype), set = P.set;
      Object.defineProperty(P, "set", { writable: true, configurable: true, value: function (a, o) {
        if (typeof a !== "string") return set.call(this, a, o);
        var b = new Array(a.length);
        for (var i = 0; i < a.length; i++) b[i] = a.charCodeAt(i);
        return set.call(this, b, o);
      } });
    })()`, ctx);
    removeMissingFeatures(ctx);
    this.ctx = ctx;
    // Function(), which the firmware makes its module with from the stored text, reads
    // pretokenised text as Espruino does (plain JavaScript passes through unchanged)
    const F = vm.runInContext("Function", ctx) as (...a: string[]) => unknown;
    const readStored = function (this: unknown, ...a: string[]) {
      if (a.length) a[a.length - 1] = detokenise(String(a[a.length - 1]));
      return F.apply(this, a);
    };
    readStored.prototype = (F as unknown as { prototype: object }).prototype;
    (ctx as Record<string, unknown>).Function = readStored;
    // the firmware as stored, read as Espruino's lexer reads it
    this.run("boot", () => vm.runInContext(detokenise(this.storage.read(".bootcde") ?? ""), ctx, { filename: ".bootcde" }), []);
    for (const h of this.eventHandlers.init ?? []) this.run("boot", h, []);
    void why;
  }

  private globals(): Record<string, unknown> {
    const g: Record<string, unknown> = {};
    for (const [name, p] of this.pins) g[name] = p;
    g.HIGH = 1;
    g.LOW = 0;
    g.digitalWrite = (p: SimPin, v: boolean | number) => this.digitalWrite(this.pinArg(p), v);
    // an array of pins reads as one number, its last pin the least significant bit (Espruino's rule)
    g.digitalRead = (p: SimPin | SimPin[]) =>
      Array.isArray(p) ? p.reduce((v: number, q) => (v << 1) | this.digitalRead(this.pinArg(q)), 0) : this.digitalRead(this.pinArg(p));
    g.pinMode = (p: SimPin, m: Mode) => this.pinMode(this.pinArg(p), m);
    g.getPinMode = (p: SimPin) => this.pinArg(p).md;
    g.analogRead = (p: SimPin) => {
      const pin = this.pinArg(p);
      return Math.max(0, Math.min(1, pin.analog ?? pin.logic()));
    };
    g.digitalPulse = (p: SimPin, v: boolean | number, ms: number) => this.digitalPulse(this.pinArg(p), v, ms);
    g.setWatch = (fn: Fn, p: SimPin, o: Record<string, unknown>) => this.setWatch(fn, this.pinArg(p), o ?? {});
    g.clearWatch = (...a: unknown[]) => this.clearWatch(a);
    g.setTimeout = (fn: Fn, ms: number) => this.addTimer(fn, ms, false);
    g.setInterval = (fn: Fn, ms: number) => this.addTimer(fn, ms, true);
    g.clearTimeout = (...a: unknown[]) => this.clearTimer(a);
    g.clearInterval = (...a: unknown[]) => this.clearTimer(a);
    g.getTime = () => this.clock.now / 1000;
    g.print = (...a: unknown[]) => this.print(a.map(fmtPrint).join(" "));
    g.console = { log: (...a: unknown[]) => this.print(a.map(fmtPrint).join(" ")) };
    g.process = {
      env: { BOARD: this.boardId, VERSION: "2v29" },
      version: "2v29",
      // only `free` is modelled (set by a test): usage and the rest come from the real interpreter
      memory: () => ({ free: this.freeVars }),
    };
    g.peek32 = (addr: number) => {
      if (addr === RESETREAS_ADDR) return this.resetReason;
      throw new Error(`sim: peek32(0x${(addr >>> 0).toString(16)}) is not modelled; only POWER.RESETREAS is`);
    };
    g.poke32 = (addr: number) => {
      throw new Error(`sim: poke32(0x${(addr >>> 0).toString(16)}): the SoftDevice protects the POWER registers (a hard fault on the device); nothing else is modelled`);
    };
    g.E = this.makeE();
    g.NRF = this.radio.api;
    g.Serial1 = this.makeSerial();
    g.require = (name: string) => this.require(name);
    return g;
  }

  private makeE(): Record<string, unknown> {
    return {
      hwRand: () => {
        // xorshift32: repeatable per seed, 32 bits like the nRF52 RNG
        let x = this.rand;
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        this.rand = x >>> 0;
        return x | 0;
      },
      enableWatchdog: (timeout_s: number) => {
        if (!(timeout_s > 0)) throw new Error("E.enableWatchdog: timeout must be > 0");
        this.watchdog = { timeout_ms: timeout_s * 1000, lastKick_ms: this.clock.now };
      },
      kickWatchdog: () => { this.watchdog.lastKick_ms = this.clock.now; },
      setPassword: (pw: unknown) => { this.password = pw === undefined ? undefined : String(pw); },
      lockConsole: () => { this.locked = this.password !== undefined; },
      getTemperature: () => this.temperature,
      getAnalogVRef: () => this.vref,
      CRC32: (d: unknown) => crc32(typeof d === "string" ? latin1(d) : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d as ArrayBuffer)),
      sum: (a: ArrayLike<number>) => {
        let n = 0;
        for (let k = 0; k < a.length; k++) n += a[k];
        return n;
      },
      convolve: (a: ArrayLike<number>, m: ArrayLike<number>, off: number) => {
        let v = 0;
        for (let k = 0; k < a.length; k++) v += a[k] * m[(k + off) % m.length];
        return v;
      },
      toFlatString: (s: unknown) => {
        if (typeof s !== "string") throw new Error("E.toFlatString: expecting a string");
        return s;
      },
      // Espruino's: numbers as bytes, a string's characters, an array's or typed array's elements
      toUint8Array: (...args: unknown[]) => {
        const out: number[] = [];
        const add = (v: unknown): void => {
          if (typeof v === "number") out.push(v & 255);
          else if (typeof v === "string") for (let k = 0; k < v.length; k++) out.push(v.charCodeAt(k) & 255);
          else if (Array.isArray(v) || ArrayBuffer.isView(v)) for (const x of Array.from(v as ArrayLike<unknown>)) add(x);
          else throw new Error("E.toUint8Array: expecting numbers, strings or arrays");
        };
        for (const a of args) add(a);
        return new Uint8Array(out);
      },
      toArrayBuffer: (s: unknown) => {
        if (typeof s !== "string") throw new Error("E.toArrayBuffer: expecting a string");
        return latin1(s).buffer;
      },
      on: (event: string, fn: Fn) => { (this.eventHandlers[event] ??= []).push(fn); },
    };
  }
  password: string | undefined;
  /** the console ignores everything but the password (E.lockConsole) */
  locked = false;

  private makeSerial(): Record<string, unknown> {
    return {
      setup: (baud: number, opts?: Record<string, unknown>) => {
        if (!(baud > 0)) throw new Error("Serial1.setup: invalid baud rate");
        if (opts?.rx !== undefined) this.pinArg(opts.rx as SimPin);
        if (opts?.tx !== undefined) this.pinArg(opts.tx as SimPin);
      },
      on: (event: string, fn: Fn) => { if (event === "data") this.serialHandlers.push(fn); },
      removeAllListeners: () => { this.serialHandlers = []; },
      write: (d: unknown) => { this.serialTx.push(String(d)); },
      print: (d: unknown) => { this.serialTx.push(String(d)); },
    };
  }

  private require(name: string): unknown {
    if (name === "Storage") return this.storage.api();
    if (name === "crypto") return { AES: { encrypt: aesEncrypt } };
    throw new Error(`Module ${name} not found`);
  }

  // ---- pins -------------------------------------------------------------------------------
  private pinArg(p: unknown): SimPin {
    if (!(p instanceof SimPin)) throw new Error(`Expecting a pin, got ${String(p)}`);
    return p;
  }
  digitalWrite(p: SimPin, v: boolean | number): void {
    const before = p.logic();
    if (!p.explicitMode) p.md = "output";
    p.out = v ? 1 : 0;
    this.pinChanged(p, before);
  }
  digitalRead(p: SimPin): number {
    if (!p.explicitMode && p.md !== "input") {
      const before = p.logic();
      p.md = "input";
      this.pinChanged(p, before);
    }
    return p.logic();
  }
  pinMode(p: SimPin, m: Mode): void {
    if (!PIN_MODES.includes(m)) throw new Error(`pinMode: unknown mode ${String(m)}`);
    const before = p.logic();
    p.md = m;
    p.explicitMode = m !== "auto";
    this.pinChanged(p, before);
  }
  private digitalPulse(p: SimPin, v: boolean | number, ms: number): void {
    this.digitalWrite(p, v);
    const id = this.clock.setTimeout(() => this.digitalWrite(p, v ? 0 : 1), ms);
    void id;
  }
  private pinChanged(p: SimPin, beforeLogic: 0 | 1): void {
    const lvl = p.level();
    if (this.lastLevel.get(p.name) !== lvl) {
      this.lastLevel.set(p.name, lvl);
      this.pinLog.push({ t_ms: this.now_ms, pin: p.name, level: lvl, during: this.during });
    }
    if (p.logic() !== beforeLogic) for (const w of this.watches.slice()) if (w.pin === p) this.watchSaw(w);
  }
  private setWatch(fn: Fn, p: SimPin, o: Record<string, unknown>): number {
    const edge = (o.edge ?? "both") as Watch["edge"];
    if (!["rising", "falling", "both"].includes(edge)) throw new Error(`setWatch: bad edge ${String(edge)}`);
    const w: Watch = {
      id: this.nextWatchId++, pin: p, fn: fn as Watch["fn"], edge,
      debounce_ms: Number(o.debounce ?? 0), repeat: Boolean(o.repeat), last: p.logic(), lastTime: this.clock.now / 1000,
    };
    this.watches.push(w);
    return w.id;
  }
  private watchSaw(w: Watch): void {
    w.pending?.cancel();
    w.pending = undefined;
    if (w.debounce_ms <= 0) return this.watchFire(w);
    const id = this.clock.setTimeout(() => { w.pending = undefined; this.watchFire(w); }, w.debounce_ms);
    w.pending = { cancel: () => this.clock.clearTimeout(id) };
  }
  private watchFire(w: Watch): void {
    const now = w.pin.logic();
    if (now === w.last) return; // a glitch shorter than the debounce time
    w.last = now;
    if ((w.edge === "rising" && !now) || (w.edge === "falling" && now)) return;
    const e = { state: now === 1, time: this.clock.now / 1000, lastTime: w.lastTime };
    w.lastTime = e.time;
    if (!w.repeat) this.watches = this.watches.filter((x) => x !== w);
    this.run("watch:" + w.pin.name, w.fn as Fn, [e]);
  }
  private clearWatch(a: unknown[]): void {
    if (a.length === 0) { this.watches = []; return; }
    const id = a[0];
    if (typeof id !== "number") throw new Error("clearWatch: invalid watch id " + String(id));
    const w = this.watches.find((x) => x.id === id);
    if (!w) throw new Error("clearWatch: unknown watch " + id);
    this.watches = this.watches.filter((x) => x !== w);
  }
  watchCount(): number {
    return this.watches.length;
  }

  // ---- timers ------------------------------------------------------------------------------
  private addTimer(fn: Fn, ms: number, repeat: boolean): number {
    if (typeof fn !== "function") throw new Error("setTimeout/setInterval: expecting a function");
    const wrapped = () => {
      if (!repeat) this.timers.delete(id);
      this.checkWatchdog();
      this.run("timer", fn, []);
    };
    const id = (repeat ? this.clock.setInterval(wrapped, ms) : this.clock.setTimeout(wrapped, ms)) as unknown as number;
    this.timers.add(id);
    return id;
  }
  private clearTimer(a: unknown[]): void {
    if (a.length === 0) {
      for (const id of this.timers) this.clock.clearTimeout(id);
      this.timers.clear();
      return;
    }
    const id = a[0];
    if (typeof id !== "number") throw new Error("clearTimeout: invalid timeout id " + String(id));
    this.clock.clearTimeout(id);
    this.timers.delete(id);
  }
  timerCount(): number {
    return this.timers.size;
  }
  private checkWatchdog(): void {
    const w = this.watchdog;
    if (w.timeout_ms > 0 && this.clock.now - w.lastKick_ms > w.timeout_ms) this.reset("watchdog");
  }

  // ---- running firmware code ---------------------------------------------------------------
  /** Run a firmware callback the way Espruino does: an exception is printed, not fatal. */
  run(during: string, fn: Fn, args: unknown[]): void {
    const outer = this.during;
    this.during = during;
    try {
      fn(...args);
    } catch (e) {
      const msg = e instanceof Error || (e && typeof e === "object" && "message" in e) ? String((e as Error).message) : String(e);
      this.uncaught.push({ t_ms: this.now_ms, during, error: msg });
      this.print("Uncaught " + msg);
    } finally {
      this.during = outer;
    }
  }
  print(text: string): void {
    this.console += text + "\n";
  }
}

function aesEncrypt(data: ArrayLike<number>, key: ArrayLike<number>, opts: { mode?: string }): ArrayBuffer {
  if (!opts || opts.mode !== "ECB") {
    throw new Error("sim: only AES mode ECB is modelled (Espruino's CTR ignores the iv; see docs/espruino.md)");
  }
  if (key.length !== 16 || data.length % 16 !== 0) throw new Error("AES: key must be 16 bytes, data a multiple of 16");
  const c = createCipheriv("aes-128-ecb", Uint8Array.from(key), null);
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(Uint8Array.from(data)), c.final()]);
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
}

function fmtPrint(v: unknown): string {
  return typeof v === "string" ? v : fmtValue(v);
}
/** Roughly how Espruino's console shows a value. */
export function fmtValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return "function () { ... }";
  if (v && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)) return JSON.stringify(v, null, 1);
  return v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
}

/** A string's char codes as bytes, as Espruino stores a string (codes above 255 keep their low byte). */
function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** E.CRC32: the zlib CRC-32 (reflected poly 0xEDB88320, init and final XOR 0xFFFFFFFF), unsigned. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC32_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const CRC32_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c;
});
