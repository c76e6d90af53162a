/// <reference types="espruino" />
// Accurate declarations for the Espruino 2v29 APIs this firmware uses, on top of the stale
// @types/espruino (no LEDs, no setInterval/setTimeout, no process/require, setWatch typed as a
// string). Facts from docs/espruino.md and the Espruino reference. Nothing here exists in
// Node: keep @types/node out of tsconfig.json.

/** Event passed to a setWatch callback. `time`/`lastTime` are getTime() seconds. */
interface WatchEvent {
  state: boolean;
  time: number;
  lastTime: number;
}

interface WatchOptions {
  repeat?: boolean;
  edge?: "rising" | "falling" | "both";
  /** milliseconds the level must be stable before the callback fires */
  debounce?: number;
}

/** Returns a watch id (a number on Espruino 2v29, not a string as @types/espruino says). */
declare function setWatch(fn: (e: WatchEvent) => void, pin: Pin, options: WatchOptions): number;
/** Espruino: clearWatch() with NO argument clears every watch; undefined throws. Always pass an id. */
declare function clearWatch(id: number): void;

declare function setInterval(fn: () => void, ms: number): number;
declare function setTimeout(fn: () => void, ms: number): number;
/** With no argument it clears ALL intervals; with undefined it throws. Always pass an id. */
declare function clearInterval(id: number): void;
declare function clearTimeout(id: number): void;

/** Pin modes we use: "output" drives the pin, "input" leaves it floating (high impedance). */
type PinModeName = "input" | "input_pullup" | "input_pulldown" | "output" | "opendrain" | "auto";
declare function pinMode(pin: Pin, mode: PinModeName): void;
declare function getPinMode(pin: Pin): PinModeName;
/** An array of pins reads as one number, its last pin the least significant bit. */
declare function digitalRead(pins: Pin[]): number;
/** Read 32 bits of memory (a register). Writing (poke32) the POWER registers faults under the SoftDevice. */
declare function peek32(addr: number): number;
/** Pulse a pin: value for `ms` milliseconds, then back. Non-blocking on nRF52. */
declare function digitalPulse(pin: Pin, value: boolean | number, ms: number): void;

/** Puck.js: LED1 red, LED2 green, LED3 blue. */
declare var LED1: Pin;
declare var LED2: Pin;
declare var LED3: Pin;

interface MemoryInfo {
  /** free JS variables (blocks) */
  free: number;
  usage: number;
  total: number;
  /** bytes per variable: 13 on Puck.js v2 */
  blocksize: number;
}

declare var process: {
  memory(gc?: boolean): MemoryInfo;
  env: { BOARD: string; VERSION: string; [key: string]: unknown };
  version: string;
};

declare var console: { log(...args: unknown[]): void };

declare namespace E {
  function enableWatchdog(timeout_s: number, isAuto?: boolean): void;
  function kickWatchdog(): void;
  /** 32 random bits from the hardware generator */
  function hwRand(): number;
  /** The console password; E.lockConsole() locks the console until it is typed. */
  function setPassword(password: string | undefined): void;
  function lockConsole(): void;
  function getSizeOf(v: unknown, depth?: number): number;
  /** CRC-32 (the zlib one, poly 0xEDB88320 reflected), unsigned; "123456789" gives 0xCBF43926 */
  function CRC32(data: string | ArrayBufferView | ArrayBuffer): number;
  /** An ArrayBuffer over the string's bytes (a reference where the string is flat, else a copy) */
  function toArrayBuffer(s: string): ArrayBuffer;
  /** The same text in one block of memory (reads at any index cost the same), undefined when no
   * block that large is free */
  /** the sum of the elements, natively */
  function sum(arr: ArrayLike<number>): number;
  /** sum of arr1[i] * arr2[(i + offset) % arr2.length] over arr1, natively */
  function convolve(arr1: ArrayLike<number>, arr2: ArrayLike<number>, offset: number): number;
  function toFlatString(s: string): string | undefined;
  function on(event: "init" | "kill", callback: () => void): void;
}

interface AdvertisingOptions {
  name?: string;
  showName?: boolean;
  discoverable?: boolean;
  connectable?: boolean;
  /** advertising interval in milliseconds */
  interval?: number;
  manufacturer?: number;
  manufacturerData?: ArrayLike<number>;
}

interface SecurityOptions {
  passkey?: string;
  mitm?: boolean;
  display?: boolean;
  keyboard?: boolean;
  bond?: boolean;
}

declare namespace NRF {
  function setAdvertising(data: object, options?: AdvertisingOptions): void;
  function setScanResponse(data: ArrayLike<number>): void;
  function setSecurity(options: SecurityOptions): void;
  function getAddress(): string;
  function sleep(): void;
  function wake(): void;
  function on(event: "connect" | "disconnect", callback: (addr: string | number) => void): void;
}

interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readJSON(name: string, noExceptions?: boolean): unknown;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: string | ArrayLike<number> | ArrayBuffer, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: unknown): boolean;
  erase(name: string): void;
  list(pattern?: RegExp | string): string[];
  getFree(): number;
  compact(): void;
}

interface AESModule {
  /** Use mode "ECB" only: Espruino's CTR ignores the iv (docs/espruino.md). */
  encrypt(data: ArrayLike<number>, key: ArrayLike<number>, options: { mode: "ECB" }): ArrayBuffer;
}

interface CryptoModule {
  AES: AESModule;
}

declare function require(name: "Storage"): StorageModule;
declare function require(name: "crypto"): CryptoModule;
