// A deterministic battery chain for link tests: fixed voltages and currents, so detection and
// fault timing can be asserted exactly. (sim/rig.ts drives the physical bank model instead.)
import type { SimBoard } from "../sim/board.ts";
import { bankFrame, identityFrame, type Identity, MAX_N, type Measurement } from "../sim/link.ts";

export interface FeedBattery {
  id: Identity;
  m: Measurement;
  /** sends nothing and forwards nothing: the batteries after it are cut off too */
  silent?: boolean;
  /** sends measurements but never its identity */
  anonymous?: boolean;
}

const CELL_MV = 3325;

/** Batteries of a series x parallel bank, string-major, bottom battery first in each string. */
export function layout(series: number, parallel: number, nominal_dV = 128, capacity_Ah = 100, current_dA = -50): FeedBattery[] {
  const cells = nominal_dV / 32;
  const v_cV = (cells * CELL_MV) / 10;
  const out: FeedBattery[] = [];
  for (let p = 0; p < parallel; p++) {
    for (let s = 0; s < series; s++) {
      out.push({
        id: { serial: 1000 + out.length, nominal_dV, capacity_Ah, firmware: 0x0102, cells, type: 1 },
        m: { balancing: false, voltage_cV: v_cV, base_cV: s * v_cV, current_dA, temp_dC: 215, cells_mV: new Array(cells).fill(CELL_MV) },
      });
    }
  }
  return out;
}

/** Feeds the chain to the board every second, at 500 ms into each second, from `t` on. */
export class Feeder {
  private id?: number;
  private seconds = 0;
  constructor(private readonly b: SimBoard, public batteries: FeedBattery[]) {}
  start(): this {
    const phase = 500 - (this.b.now_ms % 1000);
    this.b.clock.setTimeout(() => {
      this.send();
      this.id = this.b.clock.setInterval(() => this.send(), 1000) as unknown as number;
    }, phase > 0 ? phase : phase + 1000);
    return this;
  }
  stop(): void {
    if (this.id !== undefined) this.b.clock.clearInterval(this.id);
    this.id = undefined;
  }
  /** One burst: identities (with cells) at the first send and every 10th, then the bank frame of
   * the batteries before the first silent one (at most MAX_N slots: those beyond share the last). */
  send(): void {
    const parts: Uint8Array[] = [];
    let n = this.batteries.findIndex((bat) => bat.silent);
    if (n < 0) n = this.batteries.length;
    const chain = this.batteries.slice(0, n);
    chain.forEach((bat, i) => {
      if (this.seconds % 10 === 0 && !bat.anonymous) parts.push(identityFrame(i + 1, bat.id, bat.m.cells_mV));
    });
    if (n) parts.push(bankFrame(chain.slice(0, MAX_N).map((bat) => bat.m)));
    this.seconds++;
    const all = new Uint8Array(parts.reduce((k, p) => k + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    this.b.serialInject(all);
  }
}
