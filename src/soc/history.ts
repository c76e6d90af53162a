// History (SPEC §6) with the BMV counting rules, in one Float64Array so it persists and resets
// as one record. Extremes start as NaN ("nothing seen yet").
// The step of every second is in SocMonitor.update (monitor.ts): one call less a tick. The
// cycle rule is SocMonitor.cycle, and the sync is reached through SocMonitor.synced, so that the
// on-demand module's `bms.sync()` and `bms.setSoc()` call the resident code, not a copy of it.
import { H_SINCE_FULL_s, H_SYNC_ARMED, H_SYNCS, H_T_MAX_dC, H_V_MIN_cV, SYNC_COUNTS_BELOW } from "./history-fields";

/** Everything back to nothing seen. */
export function resetHistory(h: Float64Array): void {
  h.fill(0);
  for (let k = H_V_MIN_cV; k <= H_T_MAX_dC; k++) h[k] = NaN;
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
