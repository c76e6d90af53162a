// Compact one-line views of the simulated board for `npm start` and demos.
import type { SimBoard } from "./board.ts";
import type { Wiring } from "./wiring.ts";

/** "on", "blink" or "off" for an LED over the time slice [from_ms, to_ms]. */
export function ledWord(b: SimBoard, pin: string, from_ms: number, to_ms: number): string {
  const flashes = b.pinLog.filter((e) => e.pin === pin && e.level === "H" && e.t_ms > from_ms && e.t_ms <= to_ms);
  if (b.level(pin) === "H" && flashes.length === 0) return "on";
  return flashes.length > 0 ? "blink" : "off";
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
    "SoC" + num(s.soc, 1, "%", 7),
    num(s.v, 2, "V", 7),
    num(s.i, 1, "A", 7),
    `ATD ${b.level(w.atd)}  ATC ${b.level(w.atc)}  PRE ${b.level(w.pre)}`,
    `red ${leds.red.padEnd(5)} blue ${leds.blue.padEnd(5)}`,
    `codes ${codes}`,
  ].join("  ");
}
