// History (SPEC §6) with the BMV counting rules, in one Float64Array so it persists and resets
// as one record. Extremes start as NaN ("nothing seen yet").
// The step of every second is in SocMonitor.update (monitor.ts): one call less a tick. The
// counting rules are SocMonitor's methods `cycle` and `synced`, so that the on-demand module's
// `bms.sync()` and `bms.setSoc()` call the resident code, not a copy of it.
import { H_T_MAX_dC, H_V_MIN_cV } from "./history-fields";

/** Everything back to nothing seen. */
export function resetHistory(h: Float64Array): void {
  h.fill(0);
  for (let k = H_V_MIN_cV; k <= H_T_MAX_dC; k++) h[k] = NaN;
}
