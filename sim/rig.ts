// The test rig: a simulated bank (sim/bank.ts) wired to a simulated board (sim/board.ts). The
// board's ATD/ATC outputs switch the load and the charger, and the batteries talk to the board's
// Serial1 in the bytes of docs/battery-link.md, with faults switchable at any moment. The chain
// behaves as the doc says: each second one bank frame travels from the far end towards the BMS,
// each battery filling its slot; a battery that is out cuts off every battery after it, and a
// battery below one that spoils the frame's CRC starts a new frame itself.
//
// It runs on a host-side interval of the board's fake clock, NOT a firmware timer: the firmware's
// clearInterval() (no argument clears all, as on Espruino) and board resets cannot stop it,
// just as they cannot stop real batteries.
import type { SimBoard } from "./board.ts";
import type { Wiring } from "./wiring.ts";
import { type AddBatteryOptions, type Allowed, type Bank, seededRandom, type SimBattery } from "./bank.ts";
import { bankFrame, frame, identityPayload, MARK, MAX_N, type Measurement, TYPE_IDENTITY } from "./link.ts";

/** The part of the board the rig uses (a test may hand in a stand-in). */
export type RigBoard = Pick<SimBoard, "clock" | "level" | "serialInject">;
type TimerId = ReturnType<SimBoard["clock"]["setInterval"]>;

export interface RigOptions {
  /** physics step; must divide 1000 so that frames go out every whole second. Default 1000. */
  step_ms?: number;
  /** delay of the first burst after attaching; default 500, between the firmware's 1 s ticks */
  phase_ms?: number;
  /** identity frames every this many seconds (and at start); default 10 */
  identityEvery_s?: number;
  /** seed of the fault PRNG (garble, noise) */
  seed?: number;
}

/** What the rig put on the line, for tests to compare with the firmware's counters. */
export interface RigCounts {
  /** serialInject calls: one per second while anything is sent */
  bursts: number;
  /** every byte injected, noise included */
  bytes: number;
  /** records and bank frames sent, good or bad */
  frames: number;
  identityFrames: number;
  bankFrames: number;
  /** records and bank frames that reached the line with a wrong CRC on purpose (badCrc) */
  badCrcFrames: number;
  /** frames with at least one byte flipped by garble() */
  garbledFrames: number;
  garbledBytes: number;
  /** random bytes inserted between frames by noise() */
  noiseBytes: number;
  /** noise bytes that happened to be 7E, the first byte of a record's mark (7E 5A): a bogus
   * record, and so a framing, length or CRC error, needs one of them (or, rarely, a noise 5A right
   * after a record that ends in 7E) */
  noiseStarts: number;
}

/** Link faults of one battery; kept per battery object so they follow it when indices shift. */
interface LinkState {
  unplugged: boolean;
  stuck: boolean;
  badCrc: boolean;
  identityOff: boolean;
  identitySent: boolean;
  last?: Measurement;
}

export class Rig {
  readonly counts: RigCounts = {
    bursts: 0, bytes: 0, frames: 0, identityFrames: 0, bankFrames: 0,
    badCrcFrames: 0, garbledFrames: 0, garbledBytes: 0, noiseBytes: 0, noiseStarts: 0,
  };
  /** the outputs as read at the last physics step */
  allowed: Allowed = { loadAllowed: false, chargeAllowed: false };
  /** the bytes of the last burst, for debugging */
  lastBurst: Uint8Array = new Uint8Array(0);

  private readonly step_ms: number;
  private readonly phase_ms: number;
  private readonly identityEvery_s: number;
  private readonly rand: () => number;
  private readonly links = new Map<SimBattery, LinkState>();
  private cutAfterPos: number | null = null;
  private garbleProbability = 0;
  private noisePerSecond = 0;
  private sinceBurst_ms = 0;
  private burstNumber = 0;
  private startTimer: TimerId | undefined;
  private interval: TimerId | undefined;

  constructor(
    readonly board: RigBoard,
    readonly bank: Bank,
    readonly wiring: Wiring,
    opts: RigOptions = {},
  ) {
    this.step_ms = opts.step_ms ?? 1000;
    if (!(this.step_ms > 0) || 1000 % this.step_ms !== 0) throw new Error(`rig: step_ms ${this.step_ms} must divide 1000`);
    this.phase_ms = opts.phase_ms ?? 500;
    this.identityEvery_s = opts.identityEvery_s ?? 10;
    this.rand = seededRandom(opts.seed ?? 7);
  }

  /** Start: the first burst (identities and measurements) after phase_ms, then every second. */
  /** Start sending (once: a second call does nothing, so the physics never runs twice). */
  start(): this {
    if (this.startTimer !== undefined || this.interval !== undefined) return this;
    this.startTimer = this.board.clock.setTimeout(() => {
      this.startTimer = undefined;
      this.sendBurst();
      this.interval = this.board.clock.setInterval(() => this.tick(), this.step_ms);
    }, this.phase_ms);
    return this;
  }
  stop(): void {
    if (this.startTimer !== undefined) this.board.clock.clearTimeout(this.startTimer);
    if (this.interval !== undefined) this.board.clock.clearInterval(this.interval);
    this.startTimer = this.interval = undefined;
  }

  // ---- fault switches (each on/off at any moment) ----------------------------------------
  /** Battery i sends nothing (its link plug is out): the batteries after it are cut off too. */
  unplug(i: number, on = true): void { this.link(i).unplugged = on; }
  /** Nothing from positions after `afterPos` arrives; null repairs the cable. */
  cutCable(afterPos: number | null): void { this.cutAfterPos = afterPos; }
  /** Flip each byte of every frame with this probability (0 = off). */
  garble(probability: number): void { this.garbleProbability = probability; }
  /** Insert this many random bytes per second between frames (0 = off). */
  noise(bytesPerSecond: number): void { this.noisePerSecond = bytesPerSecond; }
  /** Battery i keeps repeating its last measurement. */
  stuck(i: number, on = true): void { this.link(i).stuck = on; }
  /** Battery i's records, and the bank frame as it passes it on, carry a wrong CRC (the battery
   * below drops such a frame and starts a new one: only battery 1's reaches the BMS). */
  badCrc(i: number, on = true): void { this.link(i).badCrc = on; }
  /** Battery i sends measurements but never its identity. */
  identityOff(i: number, on = true): void { this.link(i).identityOff = on; }

  // ---- the bank, through the rig ---------------------------------------------------------
  /** Add a battery; it sends its identity in the next burst, like at power-up. Returns its index. */
  addBattery(opts: AddBatteryOptions = {}): number { return this.bank.addBattery(opts); }
  removeBattery(i: number): void {
    this.links.delete(this.bank.battery(i));
    this.bank.removeBattery(i);
  }
  setAmbient(c: number): void { this.bank.setAmbient(c); }
  /** Hold battery i at c °C; null lets it follow physics again. */
  setTemp(i: number, c: number | null): void { this.bank.setTemp(i, c); }
  setLoad(a: number): void { this.bank.load_A = a; }
  setCharger(a: number, chargeVoltage_V?: number): void {
    this.bank.charger_A = a;
    if (chargeVoltage_V !== undefined) this.bank.chargeVoltage_V = chargeVoltage_V;
  }
  setType(i: number, type: number): void { this.bank.setType(i, type); }
  setCapacity(i: number, capacity_Ah: number): void { this.bank.setCapacity(i, capacity_Ah); }

  // ---- running -----------------------------------------------------------------------------
  private link(i: number): LinkState {
    const b = this.bank.battery(i);
    let st = this.links.get(b);
    if (!st) {
      st = { unplugged: false, stuck: false, badCrc: false, identityOff: false, identitySent: false };
      this.links.set(b, st);
    }
    return st;
  }

  private tick(): void {
    this.allowed = {
      loadAllowed: this.board.level(this.wiring.atd) === "H",
      chargeAllowed: this.board.level(this.wiring.atc) === "H",
    };
    this.bank.step(this.step_ms / 1000, this.allowed);
    this.sinceBurst_ms += this.step_ms;
    if (this.sinceBurst_ms >= 1000) {
      this.sinceBurst_ms -= 1000;
      this.sendBurst();
    }
  }

  /** One second of the line: the identities due, in chain order, then the bank frame, in one UART burst. */
  private sendBurst(): void {
    const identityDue = this.burstNumber % this.identityEvery_s === 0;
    this.burstNumber++;
    const frames: Uint8Array[] = [];
    // the chain reaches the BMS up to the first battery that is unplugged or beyond a cut
    let n = 0;
    while (n < this.bank.count && !this.link(n).unplugged && (this.cutAfterPos === null || this.bank.position(n) <= this.cutAfterPos)) n++;
    const ms: Measurement[] = [];
    for (let i = 0; i < n; i++) {
      const st = this.link(i);
      const m = st.stuck && st.last ? st.last : this.bank.measurement(i);
      st.last = m;
      ms.push(m);
      if (!st.identityOff && (identityDue || !st.identitySent)) {
        frames.push(this.makeFrame(this.bank.position(i), TYPE_IDENTITY, identityPayload(this.bank.identity(i), m.cells_mV), st));
        st.identitySent = true;
      }
    }
    // the bank frame, from the far end down: a battery that gets a spoilt one starts afresh
    let top = n - 1;
    let bad = false;
    for (let i = n - 1; i >= 0; i--) {
      if (bad) top = i;
      bad = this.link(i).badCrc;
    }
    if (n) {
      this.counts.frames++;
      this.counts.bankFrames++;
      if (bad) this.counts.badCrcFrames++;
      frames.push(bankFrame(ms.slice(0, Math.min(top + 1, MAX_N)), { badCrc: bad })); // beyond 51: slot 51 is the 51st's
    }
    const bytes = this.withNoise(frames.map((f) => this.garbled(f)));
    if (bytes.length === 0) return; // a silent line: nothing arrives
    this.counts.bursts++;
    this.counts.bytes += bytes.length;
    this.lastBurst = bytes;
    this.board.serialInject(bytes);
  }

  private makeFrame(pos: number, type: number, payload: number[], st: LinkState): Uint8Array {
    this.counts.frames++;
    this.counts.identityFrames++;
    if (st.badCrc) this.counts.badCrcFrames++;
    return frame(pos, type, payload, { badCrc: st.badCrc });
  }

  /** A copy of the frame with bytes flipped at random (the XOR mask is never 0: a real change). */
  private garbled(f: Uint8Array): Uint8Array {
    if (this.garbleProbability <= 0) return f;
    const out = Uint8Array.from(f);
    let flipped = 0;
    for (let k = 0; k < out.length; k++) {
      if (this.rand() < this.garbleProbability) {
        out[k] ^= 1 + Math.floor(this.rand() * 255);
        flipped++;
      }
    }
    if (flipped > 0) this.counts.garbledFrames++;
    this.counts.garbledBytes += flipped;
    return out;
  }

  /** Concatenate the frames, with this second's share of noise bytes dropped into the gaps. */
  private withNoise(frames: Uint8Array[]): Uint8Array {
    const gaps: number[][] = frames.map(() => []);
    gaps.push([]); // before frame 0 .. after the last frame
    const whole = Math.floor(this.noisePerSecond);
    const n = this.noisePerSecond <= 0 ? 0 : whole + (this.rand() < this.noisePerSecond - whole ? 1 : 0);
    for (let k = 0; k < n; k++) {
      const byte = Math.floor(this.rand() * 256);
      gaps[Math.floor(this.rand() * gaps.length)].push(byte);
      this.counts.noiseBytes++;
      if (byte === MARK[0]) this.counts.noiseStarts++;
    }
    const parts: ArrayLike<number>[] = [];
    frames.forEach((f, k) => parts.push(gaps[k], f));
    parts.push(gaps[frames.length]);
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Wire `bank` to `board` and start it: see Rig. */
export function attachBank(board: RigBoard, bank: Bank, wiring: Wiring, opts: RigOptions = {}): Rig {
  return new Rig(board, bank, wiring, opts).start();
}
