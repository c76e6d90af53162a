// Shared test helpers: boot the BUILT bundle (dist/bms.js) on a simulated board, and read
// outputs the way a multimeter on the terminals would.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { API_FILE, crc32, DEFAULT_BUNDLE, SimBoard, type SimOptions } from "../sim/board.ts";
import type { SimStorage } from "../sim/storage.ts";
import { PUCK } from "../sim/wiring.ts";
import { Feeder, layout } from "./feed.ts";

export { PUCK };

export function bootBoard(opts: SimOptions = {}): SimBoard {
  if (!opts.code && !existsSync(DEFAULT_BUNDLE)) {
    throw new Error("dist/bms.js is missing: run `npm run build` (npm test does it first)");
  }
  const b = new SimBoard(opts);
  b.repl(DEFAULT_PIN); // the console is locked at boot (SPEC §7): type the PIN like a person would
  return b;
}

/**
 * Boot a build profile's bundle (tools/build.ts `--profile`): dist/<profile>/bms.js with its
 * module, on the board the profile is for (the 12-200: an MDBT42Q).
 */
export function bootProfile(profile: string, opts: SimOptions = {}): SimBoard {
  return bootBoard({ board: "MDBT42Q", ...opts, ...profileBundle(profile) });
}

/** A build profile's two files (dist/<profile>/), for a SimBoard of one's own (the web tests: console still locked). */
export function profileBundle(profile: string): { code: string; api: string } {
  const dir = join(import.meta.dirname, "..", "dist", profile);
  if (!existsSync(join(dir, "bms.js"))) {
    throw new Error(`dist/${profile}/bms.js is missing: run \`npm run build -- --profile ${profile}\` (npm test does it first)`);
  }
  return { code: readFileSync(join(dir, "bms.js"), "utf8"), api: readFileSync(join(dir, "bms-api.js"), "latin1") };
}

/** The PIN a new board has (settings.ts). */
export const DEFAULT_PIN = "000000";

/**
 * A board whose bank (one 12.8 V battery, fed every second at +500 ms) has reported, so the
 * outputs follow the rules. Time is 2000 ms: the bank became valid at the 1000 ms tick.
 */
export function readyBoard(opts: SimOptions = {}): { b: SimBoard; feed: Feeder } {
  const b = bootBoard(opts);
  const feed = new Feeder(b, layout(1, 1)).start();
  b.advance(2000);
  return { b, feed };
}

/** Output levels as a compact string "ATD ATC PRE", e.g. "H H Z". */
export function outputs(b: SimBoard, pins = PUCK): string {
  return [pins.atd, pins.atc, pins.pre].map((p) => b.level(p)).join(" ");
}

/** Remote ON by pulling Remote L to battery minus (SPEC §3 case "L pulled to minus"). */
export function remoteOn(b: SimBoard, pins = PUCK): void {
  b.drive(pins.remL, 0);
}
export function remoteRelease(b: SimBoard, pins = PUCK): void {
  b.drive(pins.remL, null);
  b.drive(pins.remH, null);
}

/** The pin changes of one pin, as [t_ms, level, during] for compact assertions. */
export function history(b: SimBoard, pin: string): [number, string, string][] {
  return b.pinLog.filter((e) => e.pin === pin).map((e) => [e.t_ms, e.level, e.during]);
}

/**
 * A checked record as the firmware stores it (docs/soc.md "Records"): the JSON, then its CRC-32
 * (E.CRC32 over the JSON's bytes) as 8 lower-case hex digits. Written from the format, not the firmware.
 */
export function encodeRecord(body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  return text + crc32(Buffer.from(text, "latin1")).toString(16).padStart(8, "0");
}

/** Count the firmware's reads of the module file. */
export function countModuleReads(storage: SimStorage): { n: number } {
  const count = { n: 0 };
  const read = storage.read.bind(storage);
  storage.read = (name: string, offset?: number, length?: number) => {
    if (name === API_FILE) count.n++;
    return read(name, offset, length);
  };
  return count;
}
