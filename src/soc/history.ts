// History (SPEC §6) with the BMV counting rules, in one Float64Array so it persists and resets
// as one record. Extremes start as NaN ("nothing seen yet").
// The step of every second is in SocMonitor.update (monitor.ts): one call less a tick. The
// counting rules are reached through SocMonitor's methods (cycle, synced), so that the on-demand
// module's `bms.sync()` and `bms.setSoc()` call the resident code, not a copy of it.
import { CYCLE_HIGH, CYCLE_LOW, H_CYCLE_ARMED, H_CYCLES, H_SINCE_FULL_s, H_SYNC_ARMED, H_SYNCS, H_T_MAX_dC, H_V_MIN_cV, SYNC_COUNTS_BELOW } from "./history-fields";

/** Everything back to nothing seen. */
export function resetHistory(h: Float64Array): void {
  h.fill(0);
  for (let k = H_V_MIN_cV; k <= H_T_MAX_dC; k++) h[k] = NaN;
}

/** The BMV's cycle and sync rules at SoC 0..1; 1 when a count or a flag changed. */
export function cycle(h: Float64Array, soc: number): number {
  let n = 0;
  if (soc < SYNC_COUNTS_BELOW && !h[H_SYNC_ARMED]) { h[H_SYNC_ARMED] = 1; n = 1; }
  if (soc < CYCLE_LOW) {
    if (!h[H_CYCLE_ARMED]) { h[H_CYCLE_ARMED] = 1; n = 1; }
  } else if (soc > CYCLE_HIGH && h[H_CYCLE_ARMED]) {
    h[H_CYCLES]++;
    h[H_CYCLE_ARMED] = 0;
    n = 1;
  }
  return n;
}

/** A sync to 100 %: counted when SoC was below 90 % since the previous sync, or unknown (BMV
 * rule). `socBefore`: SoC 0..1 before the sync, -1 when unknown (so below 90 % too). */
export function recordSync(m: { hist: Float64Array; cycle(soc: number): number }, socBefore: number): void {
  const h = m.hist;
  if (socBefore < SYNC_COUNTS_BELOW || h[H_SYNC_ARMED]) h[H_SYNCS]++;
  h[H_SYNC_ARMED] = 0;
  h[H_SINCE_FULL_s] = 0;
  m.cycle(1); // (the method: each rule is written once, in the monitor's methods)
}
