// The bank as a whole, derived each tick from the per-battery state (docs/battery-link.md
// "What the BMS derives"), and the link's faults as code bits. Updates one summary object in
// place: nothing is allocated per tick. The tick's part is a few native reductions over the
// bank's arrays, the same work for 1 battery as for 50; the layout (which battery is where, and
// whether the identities agree) is worked out with a loop only when the bank says it changed.
import { E_B01, E_B05, E_B09 } from "../codes";
import { LINK_WARN_DS } from "../protect/link-codes";
import { type Bank, NO_LEVEL, OFF_CHAIN } from "./bank";
import { MAX_BATT, TYPE_LITHIUM_NG } from "./protocol";
import type { BankSummary } from "./bank-summary";

export type { BankSummary } from "./bank-summary";
/** Limits of SPEC §1 and §4 */
export const MAX_BATT_12_24V = 50;
export const MAX_BATT_48V = 25;
export const ANON_LIMIT_DS = 100;
/** a battery heard beyond position 50 keeps E-B05 until it has been quiet this long (our choice: A-B05's 30 s) */
export const UNPLACED_HOLD_DS = 300; // measurements without identity for 10 s: E-B01
export const SYSTEM_MIN_CV = 900; // E-B09 below 9 V
export const SYSTEM_MAX_CV = 6000; // E-B09 above 60 V


export function newSummary(): BankSummary {
  return {
    count: 0, series: 0, parallel: 0, cellsSeries: 0, batteryNominal_dV: 0, batteryCapacity_Ah: 0,
    nominal_dV: 0, capacity_Ah: 0, voltage_cV: 0, current_dA: 0, cellMin_mV: 0, cellMax_mV: 0,
    tempMin_dC: 0, tempMax_dC: 0, spread_mV: 0, silent_ds: 0, balancing: false, faults: 0, valid: false,
    idsAt: -1, layoutAt: -1, reported: 0, anonymous: 0, anonSince_ds: 0, layoutFaults: 0,
  };
}

/** scratch of the layout: batteries per level in their string (0 = bottom) */
// (pure: a file that imports summary.ts for a type or a constant, the on-demand module, drops it)
const perLevel = /* @__PURE__ */ new Uint8Array(MAX_BATT);

// (a typed array given to Math.min/max.apply as the argument list, which Espruino and JavaScript
// accept but TypeScript does not: hence `as never`)
export function summarize(b: Bank, s: BankSummary, now_ds: number): void {
  if (b.ids !== s.idsAt || b.layout !== s.layoutAt) layout(b, s);
  let faults = s.layoutFaults;
  if (b.unplaced_ds && now_ds - b.unplaced_ds < UNPLACED_HOLD_DS) faults |= 1 << E_B05;
  if (s.anonymous && now_ds - s.anonSince_ds >= ANON_LIMIT_DS) faults |= 1 << E_B01;
  if (E.sum(b.bad)) faults |= 1 << E_B01;
  s.balancing = E.sum(b.bal) > 0;
  // a slot with no measurement holds a value that cannot win (src/link/bank.ts)
  s.cellMin_mV = Math.min.apply(null, b.vMin_mV as never);
  s.cellMax_mV = Math.max.apply(null, b.vMax_mV as never);
  s.spread_mV = Math.max.apply(null, b.vSpread_mV as never);
  s.tempMin_dC = Math.min.apply(null, b.vLo_dC as never);
  s.tempMax_dC = Math.max.apply(null, b.vHi_dC as never);
  totals(b, s, now_ds);
  if (s.reported > 0 && (s.voltage_cV < SYSTEM_MIN_CV || s.voltage_cV > SYSTEM_MAX_CV)) faults |= 1 << E_B09;
  s.faults = faults;
  // a battery that has not said what it is yet is part of the bank too: wait for it
  s.valid = s.count > 0 && s.reported === s.count && s.anonymous === 0 && faults === 0;
}

/**
 * Who is where: batteries identified and reported, their levels, series and parallel counts,
 * even strings, mixed identities (E-B01), E-B05. Runs when an identity, a level or an anonymous
 * battery changed, not every tick.
 */
function layout(b: Bank, s: BankSummary): void {
  s.idsAt = b.ids;
  s.layoutAt = b.layout;
  let faults = 0;
  let reported = 0;
  let top = 0;
  let used = 1;
  s.count = s.anonymous = s.anonSince_ds = 0;
  perLevel.fill(0);
  for (let i = 0; i < MAX_BATT; i++) {
    if (b.anon_ds[i]) {
      s.anonymous++;
      if (!s.anonSince_ds || b.anon_ds[i] < s.anonSince_ds) s.anonSince_ds = b.anon_ds[i];
    }
    if (!b.nom_dV[i]) continue;
    used = i + 1;
    if (s.count === 0) {
      s.batteryNominal_dV = b.nom_dV[i];
      s.batteryCapacity_Ah = b.cap_Ah[i];
    }
    s.count++;
    // unsupported type, cells not matching nominal (3.2 V a cell), mixed types or capacities
    if (b.type[i] !== TYPE_LITHIUM_NG || b.idCells[i] * 32 !== b.nom_dV[i] ||
      b.nom_dV[i] !== s.batteryNominal_dV || b.cap_Ah[i] !== s.batteryCapacity_Ah) faults |= 1 << E_B01;
    const level = b.level[i];
    if (level === NO_LEVEL) continue;
    reported++;
    if (level === OFF_CHAIN) faults |= 1 << E_B05;
    else {
      perLevel[level]++;
      if (level > top) top = level;
    }
  }
  const p = perLevel[0];
  const series = top + 1;
  let even = p > 0 && p * series === reported;
  for (let k = 1; k <= top; k++) if (perLevel[k] !== p) even = false;
  const max = s.batteryNominal_dV >= 512 ? MAX_BATT_48V : MAX_BATT_12_24V;
  if (reported > 0 && !even) faults |= 1 << E_B05;
  if (s.count > max) faults |= 1 << E_B05;
  s.parallel = even ? p : 0;
  s.series = even ? series : 0;
  s.cellsSeries = s.series * (s.batteryNominal_dV / 32);
  s.nominal_dV = s.series * s.batteryNominal_dV;
  s.capacity_Ah = s.parallel * s.batteryCapacity_Ah;
  s.reported = reported;
  s.layoutFaults = faults;
  // only identified batteries have values: the tick reduces the slots up to the last one (at
  // least one slot, so that an empty bank gives the values that cannot win)
  if (b.vHeard_ds.length !== used) {
    b.vMin_mV = b.cellMin_mV.subarray(0, used);
    b.vMax_mV = b.cellMax_mV.subarray(0, used);
    b.vSpread_mV = b.spread_mV.subarray(0, used);
    b.vLo_dC = b.tLo_dC.subarray(0, used);
    b.vHi_dC = b.t_dC.subarray(0, used);
    b.vHeard_ds = b.heard_ds.subarray(0, used);
  }
  // which batteries are tops and bottoms, for the native sums of the tick
  b.top = top;
  for (let i = 0; i < MAX_BATT; i++) {
    b.tops[i] = b.level[i] === top ? 1 : 0;
    b.bottoms[i] = b.level[i] === 0 ? 1 : 0;
  }
}

/**
 * Bank voltage: the mean of the strings' tops; while a battery is silent for the W-B05 time, of
 * the tops that report, or of every top if none does. A silent top no longer tells the bank's
 * voltage: the strings that report are judged on their own (A-B08). (The bank's current, the sum
 * of the strings' bottoms, is read by every tick: `bankCurrent`.)
 */
function totals(b: Bank, s: BankSummary, now_ds: number): void {
  const tops = perLevel[b.top];
  const vTops = E.convolve(b.base_cV, b.tops, 0) + E.convolve(b.v_cV, b.tops, 0);
  if (!perLevel[0]) s.voltage_cV = 0;
  else if (s.silent_ds < LINK_WARN_DS) s.voltage_cV = Math.round(vTops / tops);
  else {
    let vFresh = 0;
    let nFresh = 0;
    for (let i = 0; i < MAX_BATT; i++) {
      if (b.tops[i] && now_ds - b.heard_ds[i] < LINK_WARN_DS) {
        vFresh += b.base_cV[i] + b.v_cV[i];
        nFresh++;
      }
    }
    s.voltage_cV = Math.round(nFresh ? vFresh / nFresh : vTops / tops);
  }
}

/**
 * The bank's current: the sum of the strings' bottoms (E.convolve(a, mask, 0): the sum of a's
 * values where the mask is 1, natively). Read every tick: it changes every second on a working
 * bank, and nothing else in the summary depends on it. One expression: the build puts it in
 * place of its call (tools/shrink-resident.ts inlineCalls).
 */
export function bankCurrent(b: Bank): number {
  return E.convolve(b.i_dA, b.bottoms, 0);
}
