// Property tests of the protection invariants (issue: protection) over the built bundle:
// random scenarios of cell voltages, temperatures, remote, Mode and battery faults, checked at
// every tick. fast-check prints the seed and the shrunk scenario of any failure.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { SimBoard } from "../sim/board.ts";
import { history, PUCK, readyBoard } from "./helpers.ts";

interface Segment {
  dur_s: number;
  cellMin_mV: number;
  cellMax_mV: number;
  temp_dC: number;
  remote: boolean;
  mode: boolean;
  fault: boolean;
}

const segment = fc.record({
  dur_s: fc.integer({ min: 1, max: 45 }),
  cellMin_mV: fc.integer({ min: 2500, max: 3800 }),
  cellMax_mV: fc.integer({ min: 3200, max: 3800 }),
  temp_dC: fc.integer({ min: -100, max: 600 }),
  remote: fc.integer({ min: 0, max: 9 }).map((x) => x < 8), // on 80 % of the time
  mode: fc.integer({ min: 0, max: 9 }).map((x) => x < 8),
  fault: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
});

const ATD_BLOCKERS = /A-B01|A-B05|soc-low|A-B08|E-B|no-data/;

/** Runs one scenario; throws on the first broken invariant, naming it and the time. */
function check(segments: Segment[]): void {
  const { b, feed } = readyBoard();
  b.advance(1); // every check below is 1 ms after a tick
  const bat = feed.batteries[0];
  let on = { remote: false, mode: true, since: b.now_ms };
  let fed = { min: 3325, max: 3325, temp: 215, fault: false, since: b.now_ms };
  let prevCodes = "";
  const lastPreRise = (bd: SimBoard) => {
    const h = history(bd, PUCK.pre);
    const last = h.at(-1);
    return last && last[1] === "H" ? last[0] : undefined;
  };
  for (const seg of segments) {
    const lo = Math.min(seg.cellMin_mV, seg.cellMax_mV);
    bat.m.cells_mV = [lo, seg.cellMax_mV, 3300, 3300];
    bat.m.voltage_cV = Math.round((lo + seg.cellMax_mV + 6600) / 10);
    bat.m.temp_dC = seg.temp_dC;
    bat.m.fault = seg.fault;
    fed = { min: lo, max: seg.cellMax_mV, temp: seg.temp_dC, fault: seg.fault, since: b.now_ms };
    b.drive(PUCK.remL, seg.remote ? 0 : null);
    b.repl(`bms.mode(${seg.mode})`);
    if (seg.remote !== on.remote || seg.mode !== on.mode) on = { remote: seg.remote, mode: seg.mode, since: b.now_ms };
    for (let s = 0; s < seg.dur_s; s++) {
      b.advance(1000); // now 1 ms after a tick
      const t = b.now_ms;
      const where = `at ${t} ms`;
      const atd = b.level(PUCK.atd);
      const atc = b.level(PUCK.atc);
      const pre = b.level(PUCK.pre);
      const codes = b.call<string>("bms.codes().join(' ')");
      const seen = t - fed.since >= 1000; // a tick has seen the fed values
      if (!on.remote || !on.mode) {
        assert.equal(`${atd} ${atc} ${pre}`, "Z Z Z", `system off floats everything ${where}`);
      }
      if (/E-B/.test(codes)) assert.equal(`${atd} ${atc}`, "Z Z", `an error floats ATD and ATC ${where}`);
      if (seen && (fed.temp < 50 || fed.temp > 500 || fed.max >= 3750)) {
        assert.equal(atc, "Z", `ATC high at ${fed.temp / 10} °C / ${fed.max} mV ${where}`);
      }
      if (on.remote && on.mode && /W-B01|W-B07/.test(codes)) assert.equal(pre, "H", `pre-alarm off with ${codes} ${where}`);
      if (/A-B01/.test(codes) && !/A-B01/.test(prevCodes)) {
        const rise = lastPreRise(b);
        assert.ok(rise !== undefined && t - 1 - rise >= 30_000, `ATD opened for A-B01 with pre-alarm on only since ${rise} ${where}`);
      }
      const rise = lastPreRise(b);
      if (seen && fed.min <= 2800 && rise !== undefined && t - 1 - rise >= 30_000) {
        assert.equal(atd, "Z", `ATD high with a cell at ${fed.min} mV and pre-alarm on since ${rise} ${where}`);
      }
      if (atd === "Z" && on.remote && on.mode) {
        assert.match(codes, ATD_BLOCKERS, `ATD floats without a reason ${where}`);
      }
      prevCodes = codes;
    }
  }
  assert.equal(b.uncaught.length, 0, JSON.stringify(b.uncaught[0]));
}

describe("protection invariants (property, built bundle)", () => {
  it("hold_over_1000_random_scenarios", function () {
    this.timeout(600_000);
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segs) => check(segs)), { numRuns: 1000 });
  });
});
