// The bank as a whole, derived once per tick from the per-battery state (docs/battery-link.md
// "What the BMS derives"), and the link's faults as code bits. Updates one summary object in
// place: nothing is allocated per tick.
import { E_B01, E_B05, E_B09 } from "../codes";
import { LINK_WARN_DS } from "../protect/link-codes";
import type { Bank } from "./bank";
import { FLAG_BALANCING, FLAG_FAULT, MAX_BATT, TYPE_LITHIUM_NG } from "./protocol";

/** Limits of SPEC §1 and §4 */
export const MAX_BATT_12_24V = 50;
export const MAX_BATT_48V = 25;
export const ANON_LIMIT_DS = 100;
/** a battery heard beyond position 50 keeps E-B05 until it has been quiet this long (our choice: A-B05's 30 s) */
export const UNPLACED_HOLD_DS = 300; // measurements without identity for 10 s: E-B01
export const SYSTEM_MIN_CV = 900; // E-B09 below 9 V
export const SYSTEM_MAX_CV = 6000; // E-B09 above 60 V

export interface BankSummary {
  /** batteries that have identified themselves */
  count: number;
  series: number;
  parallel: number;
  cellsSeries: number;
  /** per battery (all equal unless E-B01) */
  batteryNominal_dV: number;
  batteryCapacity_Ah: number;
  nominal_dV: number;
  capacity_Ah: number;
  voltage_cV: number;
  current_dA: number;
  cellMin_mV: number;
  cellMax_mV: number;
  tempMin_dC: number;
  tempMax_dC: number;
  /** the largest cell spread (max - min) inside one battery */
  spread_mV: number;
  /** longest time a detected battery has sent no valid measurement */
  silent_ds: number;
  balancing: boolean;
  /** code bits of configuration faults: E-B01, E-B05, E-B09 */
  faults: number;
  /** every detected battery has reported and the layout is sound */
  valid: boolean;
}

export function newSummary(): BankSummary {
  return {
    count: 0, series: 0, parallel: 0, cellsSeries: 0, batteryNominal_dV: 0, batteryCapacity_Ah: 0,
    nominal_dV: 0, capacity_Ah: 0, voltage_cV: 0, current_dA: 0, cellMin_mV: 0, cellMax_mV: 0,
    tempMin_dC: 0, tempMax_dC: 0, spread_mV: 0, silent_ds: 0, balancing: false, faults: 0, valid: false,
  };
}

/** scratch: batteries per level in their string (0 = bottom) */
const perLevel = new Uint8Array(MAX_BATT);
/** scratch: each battery's level, worked out once per tick (NO_LEVEL = not placed) */
const levelOf = new Uint8Array(MAX_BATT);
const NO_LEVEL = 255;

export function summarize(b: Bank, s: BankSummary, now_ds: number): void {
  s.count = 0;
  s.faults = 0;
  s.silent_ds = 0;
  s.balancing = false;
  s.cellMin_mV = 0xffff;
  s.cellMax_mV = 0;
  s.tempMin_dC = 0x7fff;
  s.tempMax_dC = -0x8000;
  s.spread_mV = 0;
  if (b.unplaced_ds && now_ds - b.unplaced_ds < UNPLACED_HOLD_DS) s.faults |= 1 << E_B05;
  let reported = 0;
  let anonymous = 0;
  let top = 0;
  perLevel.fill(0);
  levelOf.fill(NO_LEVEL);
  for (let i = 0; i < MAX_BATT; i++) {
    if (!b.anon_ds[i] && !b.nom_dV[i]) continue;
    if (b.anon_ds[i]) anonymous++;
    if (b.anon_ds[i] && now_ds - b.anon_ds[i] >= ANON_LIMIT_DS) s.faults |= 1 << E_B01;
    if (!b.nom_dV[i]) continue;
    if (s.count === 0) {
      s.batteryNominal_dV = b.nom_dV[i];
      s.batteryCapacity_Ah = b.cap_Ah[i];
    }
    s.count++;
    if (identityBad(b, i, s)) s.faults |= 1 << E_B01;
    const silent = now_ds - (b.seen_ds[i] || b.idAt_ds[i]);
    if (silent > s.silent_ds) s.silent_ds = silent;
    if (!b.seen_ds[i]) continue;
    reported++;
    if (b.flags[i] & FLAG_BALANCING) s.balancing = true;
    if (b.cells[i] !== b.idCells[i] || b.flags[i] & FLAG_FAULT) s.faults |= 1 << E_B01;
    if (b.cellMin_mV[i] < s.cellMin_mV) s.cellMin_mV = b.cellMin_mV[i];
    if (b.cellMax_mV[i] > s.cellMax_mV) s.cellMax_mV = b.cellMax_mV[i];
    if (b.cellMax_mV[i] - b.cellMin_mV[i] > s.spread_mV) s.spread_mV = b.cellMax_mV[i] - b.cellMin_mV[i];
    if (b.t_dC[i] < s.tempMin_dC) s.tempMin_dC = b.t_dC[i];
    if (b.t_dC[i] > s.tempMax_dC) s.tempMax_dC = b.t_dC[i];
    // a battery's level in its string: its base voltage in units of its own voltage
    const level = b.v_cV[i] ? Math.round(b.base_cV[i] / b.v_cV[i]) : MAX_BATT;
    if (level >= MAX_BATT) s.faults |= 1 << E_B05;
    else {
      levelOf[i] = level;
      perLevel[level]++;
      if (level > top) top = level;
    }
  }
  layout(s, top, reported);
  totals(b, s, top, reported, now_ds);
  // a battery that has not said what it is yet is part of the bank too: wait for it
  s.valid = s.count > 0 && reported === s.count && anonymous === 0 && s.faults === 0;
}

/** Unsupported type, cells not matching nominal (3.2 V a cell), mixed types or capacities. */
function identityBad(b: Bank, i: number, s: BankSummary): boolean {
  return b.type[i] !== TYPE_LITHIUM_NG || b.idCells[i] * 32 !== b.nom_dV[i] ||
    b.nom_dV[i] !== s.batteryNominal_dV || b.cap_Ah[i] !== s.batteryCapacity_Ah;
}

/** Series and parallel counts, even strings, E-B05. */
function layout(s: BankSummary, top: number, reported: number): void {
  const p = perLevel[0];
  const series = top + 1;
  let even = p > 0 && p * series === reported;
  for (let k = 1; k <= top; k++) if (perLevel[k] !== p) even = false;
  const max = s.batteryNominal_dV >= 512 ? MAX_BATT_48V : MAX_BATT_12_24V;
  if (reported > 0 && !even) s.faults |= 1 << E_B05;
  if (s.count > max) s.faults |= 1 << E_B05;
  s.parallel = even ? p : 0;
  s.series = even ? series : 0;
  s.cellsSeries = s.series * (s.batteryNominal_dV / 32);
  s.nominal_dV = s.series * s.batteryNominal_dV;
  s.capacity_Ah = s.parallel * s.batteryCapacity_Ah;
}

/**
 * Bank voltage (mean of the strings' tops that report; of every top if none does), current (sum
 * of the strings' bottoms), E-B09. A top silent for the W-B05 time no longer tells the bank's
 * voltage: the strings that report are judged on their own (A-B08).
 */
function totals(b: Bank, s: BankSummary, top: number, reported: number, now_ds: number): void {
  let vSum = 0;
  let vFresh = 0;
  let nFresh = 0;
  let iSum = 0;
  for (let i = 0; i < MAX_BATT; i++) {
    if (levelOf[i] === top) {
      const v = b.base_cV[i] + b.v_cV[i];
      vSum += v;
      if (now_ds - b.seen_ds[i] < LINK_WARN_DS) {
        vFresh += v;
        nFresh++;
      }
    }
    if (levelOf[i] === 0) iSum += b.i_dA[i];
  }
  s.voltage_cV = perLevel[0] > 0 ? Math.round(nFresh ? vFresh / nFresh : vSum / (perLevel[top] || 1)) : 0;
  s.current_dA = iSum;
  if (reported > 0 && (s.voltage_cV < SYSTEM_MIN_CV || s.voltage_cV > SYSTEM_MAX_CV)) s.faults |= 1 << E_B09;
}
