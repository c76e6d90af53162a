// What the Instant Readout says about the live state: the supervisor's numbers mapped onto the
// 0x0A record's fields, with "not available" for anything unknown (no bank data, SoC unknown).
import { A_B01, A_B05, A_B15, A_B07, A_B09, CODE_COUNT, W_B01, VICTRON_ERRORS, W_B05, W_B07 } from "../codes";
import { OUT_ATC, OUT_ATD } from "../decide";
import { OUT_ALT } from "../vehicle/vehicle";
import type { BankSummary } from "../link/summary";
import { bankData } from "../protect/link-codes";
import type { SocCounter } from "../soc/counter";
import {
  F_ALARMS, F_CONSUMED, F_ERROR, F_I, F_IO, F_SOC, F_TEMP, F_TTG, F_V, IO_ALTERNATOR, IO_CHARGE, IO_DISCHARGE, IO_REMOTE, NA_CONSUMED, NA_I, NA_SOC, NA_TEMP, NA_TTG, NA_V,
  type ReadoutFields, WA_BMS_TEMP, WA_CABLE, WA_HIGH_TEMP, WA_LOW_CELL, WA_LOW_SOC,
} from "./pack";

const YES = 1;
const NO = 2;
const OK = 1;
const WARNING = 2;
const ALARM = 3;

/** What the readout is made of (the supervisor is one): the readout knows no supervisor. */
export interface LiveState {
  readonly summary: BankSummary;
  readonly active: number;
  readonly soc: { readonly counter: SocCounter };
  readonly cfg: { readonly dischargeFloor: number };
  readonly outputs: number;
  readonly remoteOn: boolean;
  /** ticks since start (the readout's gap is counted in them) */
  readonly ticks: number;
}

// each warning/alarm field: 1 ok, 2 warning, 3 alarm, from a warning bit and an alarm bit of the
// active set (written out at each use: a function less in RAM)

export function liveFields(f: ReadoutFields, s: LiveState): void {
  const b = s.summary;
  const a = s.active;
  const data = bankData(b);
  f[F_ERROR] = 0;
  for (let bit = 0; bit < CODE_COUNT && !f[F_ERROR]; bit++) if (a & (1 << bit)) f[F_ERROR] = VICTRON_ERRORS.charCodeAt(bit);
  // the battery monitor's fields: the smallBMS NG's; the Smart BMS 12-200 has none (not available)
  const known = __PROFILE__ !== "12-200" && s.soc.counter.known;
  const ttg = __PROFILE__ === "12-200" ? -1 : s.soc.counter.timeToGo_min(b.capacity_Ah, s.cfg.dischargeFloor);
  f[F_TTG] = ttg >= 0 && ttg < NA_TTG ? ttg : NA_TTG;
  f[F_V] = data ? b.voltage_cV : NA_V;
  f[F_I] = data ? b.current_dA : NA_I;
  f[F_IO] = ((s.outputs & OUT_ATC ? YES : NO) << IO_CHARGE) | ((s.outputs & OUT_ATD ? YES : NO) << IO_DISCHARGE) |
    ((s.remoteOn ? YES : NO) << IO_REMOTE);
  let al = data ? ((a & (1 << A_B01) ? ALARM : a & (1 << W_B01) ? WARNING : OK) << WA_LOW_CELL) | ((a & (1 << A_B09) ? ALARM : OK) << WA_HIGH_TEMP) : 0;
  al |= (a & (1 << A_B05) ? ALARM : a & (1 << W_B05) ? WARNING : OK) << WA_CABLE;
  if (__PROFILE__ === "12-200") {
    // the record's own fields for what a Smart BMS 12-200 adds
    f[F_IO] |= (s.outputs & OUT_ALT ? YES : NO) << IO_ALTERNATOR;
    al |= (a & (1 << A_B15) ? ALARM : OK) << WA_BMS_TEMP;
  }
  if (known) al |= (a & (1 << A_B07) ? ALARM : a & (1 << W_B07) ? WARNING : OK) << WA_LOW_SOC;
  f[F_ALARMS] = al;
  f[F_SOC] = known ? Math.round(s.soc.counter.soc * 1000) : NA_SOC;
  const consumed = __PROFILE__ === "12-200" ? NA_CONSUMED : Math.round(-s.soc.counter.consumed_Ah * 10);
  f[F_CONSUMED] = known && consumed < NA_CONSUMED ? consumed : NA_CONSUMED;
  const t = Math.round(b.tempMax_dC / 10);
  f[F_TEMP] = data ? Math.max(0, Math.min(126, t + 40)) : NA_TEMP;
}
