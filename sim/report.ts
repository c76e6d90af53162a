// Compact one-line views of the simulated board for `npm start` and demos.
import type { SimBoard } from "./board.ts";
import type { Wiring } from "./wiring.ts";

/** Longest lit run that is a flash of a blinking LED (the firmware's flashes last 20 ms). */
const FLASH_MAX_MS = 250;
/** Longest dark run that is the gap of a blink (one flash per 1 s tick), not "off". */
const GAP_MAX_MS = 1500;

/**
 * What an LED did over the time slice (from_ms, to_ms], from the board's pin log: "off", "on"
 * or "blink", or the changes in order when it did more than one ("blink>on", "on>blink>off").
 * A lit run that began less than FLASH_MAX_MS before to_ms is left to the next slice: it is too
 * early to tell a flash from a steady light. A slice shorter than a blink's period shows only
 * the level at its end.
 */
export function ledWord(b: SimBoard, pin: string, from_ms: number, to_ms: number): string {
  const words: string[] = [];
  const say = (lit: boolean, start: number, end: number, ended: boolean): void => {
    if (end <= from_ms) return; // over before the slice began
    const len = end - start;
    let w: string | undefined;
    if (lit) w = len > FLASH_MAX_MS ? "on" : ended ? "blink" : undefined;
    else if (len > GAP_MAX_MS) w = "off";
    if (w && words[words.length - 1] !== w) words.push(w);
  };
  let lit = false;
  let since = -Infinity;
  for (const e of b.pinLog) {
    if (e.pin !== pin) continue;
    if (e.t_ms > to_ms) break;
    if ((e.level === "H") === lit) continue; // floating and low are both dark
    say(lit, since, e.t_ms, true);
    lit = !lit;
    since = e.t_ms;
  }
  say(lit, since, to_ms, false);
  // nothing long enough to tell (a slice shorter than a blink): the level at its end
  if (words.length === 0) return lit ? "on" : "off";
  return words.join(">");
}

type Status = Record<string, unknown>;

function num(v: unknown, digits: number, unit: string, width: number): string {
  const s = typeof v === "number" && isFinite(v) ? v.toFixed(digits) + unit : "--" + unit;
  return s.padStart(width);
}

export function statusLine(time: string, b: SimBoard, w: Wiring, leds: { red: string; blue: string }): string {
  const s = b.call<Status | undefined>("typeof bms === 'object' ? bms.status() : undefined") ?? {};
  const codes = Array.isArray(s.codes) && s.codes.length ? (s.codes as string[]).join(",") : "-";
  return [
    time,
    // (a Smart BMS 12-200, known by its own status fields, has no battery monitor: no SoC column)
    ...("vStart" in s ? [] : ["SoC" + num(s.soc, 1, "%", 7)]),
    num(s.v, 2, "V", 7),
    num(s.i, 1, "A", 7),
    `ATD ${b.level(w.atd)}  ATC ${b.level(w.atc)}  PRE ${b.level(w.pre)}`,
    `red ${leds.red.padEnd(8)} blue ${leds.blue.padEnd(8)}`,
    `codes ${codes}`,
  ].join("  ");
}
