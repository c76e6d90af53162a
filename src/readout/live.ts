// What the Instant Readout says about the live state: the supervisor's numbers mapped onto the
// 0x0A record's fields, with "not available" for anything unknown (no bank data, SoC unknown).
import { A_B01, A_B05, A_B15, A_B07, A_B09, CODE_COUNT, W_B01, W_B05, W_B07 } from "../codes";
import { OUT_ATC, OUT_ATD } from "../decide";
import { OUT_ALT } from "../vehicle/vehicle";
import type { CodeMasks } from "../codes";
import type { BankSummary } from "../link/summary";
import { bankData } from "../protect/link-codes";
import type { SocCounter } from "../soc/counter";
import {
  IO_ALTERNATOR, IO_CHARGE, IO_DISCHARGE, IO_REMOTE, NA_CONSUMED, NA_I, NA_SOC, NA_TEMP, NA_TTG, NA_V,
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
  readonly masks: CodeMasks;
  readonly soc: { readonly counter: SocCounter };
  readonly cfg: { readonly dischargeFloor: number };
  readonly outputs: number;
  readonly remoteOn: boolean;
}

/** 1 ok, 2 warning, 3 alarm, from a warning bit and an alarm bit of the active set. */
function level(active: number, warnBit: number, alarmBit: number): number {
  if (active & (1 << alarmBit)) return ALARM;
  return active & (1 << warnBit) ? WARNING : OK;
}

/**
 * Besides the active codes, everything the urgent fields below (error, IO status, warnings and
 * alarms) are made of, as one number: the readout packs its payload at once when this or the
 * codes change (Readout.due), so a new input of those fields belongs here too.
 */
export function urgentInputs(s: LiveState): number {
  return s.outputs | (s.remoteOn ? 0x100 : 0) | (s.soc.counter.known ? 0x200 : 0) | (bankData(s.summary) ? 0x400 : 0);
}

export function liveFields(f: ReadoutFields, s: LiveState): void {
  const b = s.summary;
  const a = s.active;
  const data = bankData(b);
  f.error = 0;
  for (let bit = 0; bit < CODE_COUNT && !f.error; bit++) if (a & (1 << bit)) f.error = s.masks.victron[bit];
  const known = s.soc.counter.known;
  const ttg = s.soc.counter.timeToGo_min(b.capacity_Ah, s.cfg.dischargeFloor);
  f.ttg_min = ttg >= 0 && ttg < NA_TTG ? ttg : NA_TTG;
  f.v_cV = data ? b.voltage_cV : NA_V;
  f.i_dA = data ? b.current_dA : NA_I;
  f.io = ((s.outputs & OUT_ATC ? YES : NO) << IO_CHARGE) | ((s.outputs & OUT_ATD ? YES : NO) << IO_DISCHARGE) |
    ((s.remoteOn ? YES : NO) << IO_REMOTE);
  f.alarms = data ? (level(a, W_B01, A_B01) << WA_LOW_CELL) | (level(a, A_B09, A_B09) << WA_HIGH_TEMP) : 0;
  f.alarms |= level(a, W_B05, A_B05) << WA_CABLE;
  if (__PROFILE__ === "12-200") {
    // the record's own fields for what a Smart BMS 12-200 adds
    f.io |= (s.outputs & OUT_ALT ? YES : NO) << IO_ALTERNATOR;
    f.alarms |= level(a, A_B15, A_B15) << WA_BMS_TEMP;
  }
  if (known) f.alarms |= level(a, W_B07, A_B07) << WA_LOW_SOC;
  f.soc_pm = known ? Math.round(s.soc.counter.soc * 1000) : NA_SOC;
  const consumed = Math.round(-s.soc.counter.consumed_Ah * 10);
  f.consumed_dAh = known && consumed < NA_CONSUMED ? consumed : NA_CONSUMED;
  const t = Math.round(b.tempMax_dC / 10);
  f.temp_C40 = data ? Math.max(0, Math.min(126, t + 40)) : NA_TEMP;
}
