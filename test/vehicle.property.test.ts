// The Smart BMS 12-200's rules are worked out only when something can have changed them (a
// divider reading on or beyond an edge of its bands, one of its timers due, the reference and
// temperature read, new numbers from the bank: src/vehicle/vehicle.ts, src/hal/vehicle.ts, the
// supervisor's tick). Property: over random seconds of readings, bank numbers, base codes and the
// remote, a Vehicle worked out that way gives at every tick the same codes and outputs as one
// worked out at every tick. Both look at their readings with the reader's own test
// (outsideBands); the reader's reading and rounding are tested on the built bundle
// (test/profile-12200.test.ts: 13.0 V is not above 13.0 V, 13.01 V is).
import assert from "node:assert/strict";
import fc from "fast-check";
import { A_B01, A_B05, A_B08, MASK_ATC, MASK_ATD, MASK_PRE, W_B01 } from "../src/codes.ts";
import { OUT_ATC, OUT_ATD, OUT_PRE } from "../src/decide.ts";
import type { BankSummary } from "../src/link/bank-summary.ts";
import { defaultSettings, type Settings } from "../src/settings.ts";
import { outsideBands, SLOW_READ_TICKS, Vehicle, type VehicleHost } from "../src/vehicle/vehicle.ts";

interface Second {
  start_cV: number;
  /** or a step (-1, 0, +1 cV) from half the bank voltage, rounded down: the short's edge */
  sys_cV: number | { half: number };
  /** new numbers from the bank this tick (the supervisor's `all`): voltage and base codes */
  bank: { v_cV: number; base: number; silent_ds: number } | null;
  vref: number;
  temp_C: number;
  remoteOn: boolean;
}

/** readings near the rules' edges most of the time: 13.0 V, 20 V, half the bank */
const reading = fc.oneof(
  fc.integer({ min: 0, max: 2500 }),
  fc.integer({ min: 1295, max: 1305 }),
  fc.integer({ min: 1995, max: 2005 }),
  fc.integer({ min: 640, max: 700 }),
);
const BASE_BITS = [0, 1 << W_B01, 1 << A_B01, 1 << A_B08, 1 << A_B05, (1 << W_B01) | (1 << A_B05)];
/** a reading held for 1 to 40 s: the filter skips only while the readings stay in their bands */
const segment = fc.record({ dur_s: fc.integer({ min: 1, max: 40 }) });
const second: fc.Arbitrary<Second> = fc.record({
  start_cV: reading,
  sys_cV: fc.oneof(reading, fc.record({ half: fc.integer({ min: -1, max: 1 }) })),
  bank: fc.option(
    fc.record({
      v_cV: fc.oneof(fc.integer({ min: 1200, max: 1450 }), fc.integer({ min: 1415, max: 1425 }), fc.integer({ min: 1365, max: 1375 })),
      base: fc.constantFrom(...BASE_BITS),
      silent_ds: fc.constantFrom(0, 0, 0, 400),
    }),
    { freq: 8 },
  ),
  vref: fc.constantFrom(3.3, 3.3, 3.3, 2.9, 3.7),
  temp_C: fc.constantFrom(25, 25, 65, 71),
  remoteOn: fc.integer({ min: 0, max: 19 }).map((x) => x > 0),
});

function host(cfg: Settings): VehicleHost & { summary: BankSummary } {
  const summary = { count: 1, series: 1, batteryNominal_dV: 128, valid: true, silent_ds: 0, voltage_cV: 1330 } as unknown as BankSummary;
  return { cfg, summary, outputs: 0, active: 0, remoteOn: true };
}

/** Supervisor.decide's part before the profile's: the three BMS outputs from the codes. */
function decide(h: VehicleHost, v: Vehicle): void {
  const a = h.active;
  const on = h.remoteOn && h.cfg.mode === 1;
  const bits = !on ? 0 : (a & MASK_ATD ? 0 : OUT_ATD) | (a & MASK_ATC ? 0 : OUT_ATC) | (a & MASK_PRE ? OUT_PRE : 0);
  h.outputs = v.outputs(h, bits);
}

function run(seconds: Second[], chargeLimit: number, remoteFunction: number): void {
  const cfg = { ...defaultSettings(), chargeLimit, remoteFunction } as Settings;
  const every = { v: new Vehicle(), h: host(cfg), base: 0, bits: 0 };
  const onChange = { v: new Vehicle(), h: host(cfg), base: 0, bits: 0 };
  // (the reference and temperature as the reader holds them: read at the slow ticks only)
  let vref = 3.3;
  let temp_C = 25;
  for (let t = 0; t < seconds.length; t++) {
    const sec = seconds[t];
    const now_ds = 10 * (t + 1);
    const ticks = t + 1;
    const slow = ticks % SLOW_READ_TICKS === 1;
    for (const x of [every, onChange]) {
      x.h.remoteOn = sec.remoteOn;
      if (sec.bank) {
        x.h.summary.voltage_cV = sec.bank.v_cV;
        x.h.summary.silent_ds = sec.bank.silent_ds;
        x.base = sec.bank.base;
      }
    }
    const start_cV = sec.start_cV;
    const sys_cV = typeof sec.sys_cV === "number" ? sec.sys_cV : Math.floor(every.h.summary.voltage_cV / 2) + sec.sys_cV.half;
    if (slow) {
      vref = sec.vref;
      temp_C = sec.temp_C;
    }
    for (const x of [every, onChange]) {
      // what the hardware's reader puts in (src/hal/vehicle.ts vehicleReader) and its answer
      x.v.start_cV = start_cV;
      x.v.sys_cV = sys_cV;
      x.v.vref_mV = Math.round(vref * 1000);
      x.v.temp_dC = Math.round(temp_C * 10);
      const moved = slow || outsideBands(x.v, start_cV, sys_cV) || now_ds >= x.v.due_ds;
      if (x === every || moved || sec.bank) {
        x.h.active = x.base;
        x.bits = x.v.evaluate(x.h, now_ds);
      }
      x.h.active = x.base | x.bits;
      decide(x.h, x.v);
    }
    assert.equal(onChange.h.active, every.h.active, `codes at tick ${ticks}`);
    assert.equal(onChange.h.outputs, every.h.outputs, `outputs at tick ${ticks}`);
  }
}

describe("Smart BMS 12-200: rules worked out on change", () => {
  it("give_the_same_codes_and_outputs_at_every_tick_as_rules_worked_out_every_tick", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, second), { minLength: 1, maxLength: 20 }), fc.constantFrom(13.3, 14.2, 15.3), fc.constantFrom(0, 1), (segs, lim, rf) => {
        // each segment's second held for its duration; its bank numbers come at its first second
        const seconds: Second[] = [];
        for (const [{ dur_s }, sec] of segs) for (let k = 0; k < dur_s; k++) seconds.push(k ? { ...sec, bank: null } : sec);
        run(seconds, lim, rf);
      }),
      { numRuns: 500 },
    );
  });

});
