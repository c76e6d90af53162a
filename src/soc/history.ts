// History (SPEC §6) with the BMV counting rules, in one Float64Array so it persists and resets
// as one record. Extremes start as NaN ("nothing seen yet").
import type { BankSummary } from "../link/summary";
import {
  CYCLE_HIGH, CYCLE_LOW, H_CELL_MAX_mV, H_CELL_MIN_mV, H_CHARGED_Wh, H_CYCLE_ARMED, H_CYCLES, H_DEEPEST_Ah,
  H_DISCHARGED_Wh, H_DRAWN_Ah, H_SINCE_FULL_s, H_SYNC_ARMED, H_SYNCS, H_T_MAX_dC, H_T_MIN_dC, H_V_MAX_cV, H_V_MIN_cV,
  SYNC_COUNTS_BELOW,
} from "./history-fields";

export function resetHistory(h: Float64Array): void {
  h.fill(0);
  for (let k = H_V_MIN_cV; k <= H_T_MAX_dC; k++) h[k] = NaN;
}

/**
 * One step of dt_s seconds: `consumed_Ah` after the step, `soc` 0..1 or -1 when unknown.
 * true when a field that only the history record keeps changed (an extreme, a cycle, a flag).
 * Runs every second: the extremes are written out rather than a helper called six times.
 */
export function recordHistory(h: Float64Array, s: BankSummary, consumed_Ah: number, soc: number, dt_s: number): boolean {
  const i = s.current_dA;
  const v = s.voltage_cV;
  if (i < 0) {
    h[H_DRAWN_Ah] -= (i * dt_s) / 36000; // dA x s -> Ah
    h[H_DISCHARGED_Wh] -= (v * i * dt_s) / 3.6e6; // cV x dA x s -> Wh
  } else if (i > 0) h[H_CHARGED_Wh] += (v * i * dt_s) / 3.6e6;
  if (consumed_Ah < h[H_DEEPEST_Ah]) h[H_DEEPEST_Ah] = consumed_Ah;
  h[H_SINCE_FULL_s] += dt_s;
  let n = soc >= 0 ? cycle(h, soc) : 0; // 1 when a count or a flag changed
  // an extreme is NaN until the first value: a comparison with NaN is false
  if (!(h[H_V_MIN_cV] <= v)) { h[H_V_MIN_cV] = v; n = 1; }
  if (!(h[H_V_MAX_cV] >= v)) { h[H_V_MAX_cV] = v; n = 1; }
  if (!(h[H_CELL_MIN_mV] <= s.cellMin_mV)) { h[H_CELL_MIN_mV] = s.cellMin_mV; n = 1; }
  if (!(h[H_CELL_MAX_mV] >= s.cellMax_mV)) { h[H_CELL_MAX_mV] = s.cellMax_mV; n = 1; }
  if (!(h[H_T_MIN_dC] <= s.tempMin_dC)) { h[H_T_MIN_dC] = s.tempMin_dC; n = 1; }
  if (!(h[H_T_MAX_dC] >= s.tempMax_dC)) { h[H_T_MAX_dC] = s.tempMax_dC; n = 1; }
  return n !== 0;
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

/** A sync to 100 %: counted when SoC was below 90 % since the previous sync, or unknown (BMV rule). */
export function recordSync(h: Float64Array, socBefore: number, known: boolean): void {
  if (!known || socBefore < SYNC_COUNTS_BELOW || h[H_SYNC_ARMED]) h[H_SYNCS]++;
  h[H_SYNC_ARMED] = 0;
  h[H_SINCE_FULL_s] = 0;
  cycle(h, 1);
}
