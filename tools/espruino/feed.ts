// Battery-link bytes for the interpreter's stand-in, made by the simulator's own encoder: one
// burst per second, packed into a Storage file plus an index the stand-in replays in a loop.
import FakeTimers from "@sinonjs/fake-timers";
import { Bank, type BankConfig } from "../../sim/bank.ts";
import { Rig, type RigBoard } from "../../sim/rig.ts";
import { PUCK } from "../../sim/wiring.ts";

export interface Feed {
  /** the bytes of every second, one after the other */
  data: Uint8Array;
  /** Uint32 offsets (little-endian): second k is data[index[k] .. index[k+1]) */
  index: Uint8Array;
  seconds: number;
}

export function packFeed(bursts: Uint8Array[]): Feed {
  const total = bursts.reduce((n, b) => n + b.length, 0);
  const data = new Uint8Array(total);
  const index = new Uint32Array(bursts.length + 1);
  let at = 0;
  bursts.forEach((b, k) => {
    index[k] = at;
    data.set(b, at);
    at += b.length;
  });
  index[bursts.length] = at;
  return { data, index: new Uint8Array(index.buffer), seconds: bursts.length };
}

/**
 * `seconds` bursts of a physical bank (sim/bank.ts) as the rig puts them on the line, outputs
 * allowed, from its second cycle on. With identities every 10 s, a 10-second feed replays as a
 * steady bank would send.
 */
export function bankFeed(cfg: Partial<BankConfig>, seconds = 10): Feed {
  const clock = FakeTimers.createClock(0);
  const bursts: Uint8Array[] = [];
  const board = {
    clock,
    level: () => "H",
    serialInject: (bytes: ArrayLike<number>) => bursts.push(Uint8Array.from(bytes)),
  } as unknown as RigBoard;
  new Rig(board, new Bank(cfg), PUCK, { phase_ms: 0 }).start();
  // the bank's first second is its power-up (no load yet): replayed in a loop, it would make the
  // bank jump every `seconds`, which no steady bank does; the replay starts one cycle later, with
  // that cycle's identities in its first second as at power-up
  clock.tick(2 * seconds * 1000 - 1);
  return packFeed(bursts.slice(seconds, 2 * seconds));
}

/** a battery's current sensor is never still: the standard deviation of its reading (0.2 A, two
 * steps of the link's 0.1 A, as in bench/soc-accuracy.ts). Without it every second of the feed
 * was the same frame, and the firmware skipped the work that a real bank's changing numbers make
 * it do each second */
export const BENCH_NOISE_A = 0.2;

/** The layouts the device figures are quoted for. */
export const BENCH_BANKS: { name: string; cfg: Partial<BankConfig> }[] = [
  { name: "1s1p 12.8 V", cfg: { series: 1, parallel: 1, nominal_dV: 128, capacity_Ah: 200, soc: 0.8, load_A: 10, currentNoise_A: BENCH_NOISE_A } },
  { name: "2s25p 12.8 V", cfg: { series: 2, parallel: 25, nominal_dV: 128, capacity_Ah: 100, soc: 0.8, load_A: 100, currentNoise_A: BENCH_NOISE_A } },
  { name: "4s6p 51.2 V", cfg: { series: 4, parallel: 6, nominal_dV: 512, capacity_Ah: 100, soc: 0.8, load_A: 60, currentNoise_A: BENCH_NOISE_A } },
];

/** The Smart BMS 12-200's bench bank: its 12.8 V batteries, `parallel` of them (up to 5). */
export function bench12200Bank(parallel: number): Partial<BankConfig> {
  return { series: 1, parallel, nominal_dV: 128, capacity_Ah: 200, soc: 0.8, load_A: 20, currentNoise_A: BENCH_NOISE_A };
}
