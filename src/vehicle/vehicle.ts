// The Smart BMS 12-200 profile's own rules (docs/smart-bms-12-200.md): the alternator/starter
// output, the System+ port's two switches, the charge limit, the remote on/off function, the bank
// it accepts, and its codes E-B30..E-B33, A-A12, A-B11, A-B15, W-B12. Pure: the hardware fills
// the measured inputs (start_cV, sys_cV, vref_mV, temp_dC) before each evaluate. Only the
// 12-200 bundle carries this file (src/profile.ts). Nothing here allocates after construction.
import { A_A12, A_B01, A_B05, A_B08, A_B11, A_B15, E_B09, E_B30, E_B31, E_B32, E_B33, MASK_ATC, MASK_ATD, MASK_PRE, W_B01, W_B12 } from "../codes";
import { type DecideInput, OUT_ATC, OUT_ATD, OUT_PRE, systemOn } from "../decide";
import type { BankSummary } from "../link/bank-summary";
import { bankData } from "../protect/link-codes";
import type { Settings } from "../settings";

/** alternator/starter output: driven high = the external switch or DC-DC charger may charge */
export const OUT_ALT = 8;
/** System+ discharge switch: driven high = loads on System+ may draw from the bank */
export const OUT_SYSD = 16;
/** System+ charge switch: driven high = chargers on System+ may charge the bank */
export const OUT_SYSC = 32;

export const START_ON_cV = 1300; // alternator input only while the starter side is above 13.0 V (manual)
export const START_ON_DELAY_ds = 50; // ... for 5 s in a row before it turns on (our choice)
export const RESUME_BELOW_cV = 50; // after the charge limit: 0.5 V below it ... (manual)
export const RESUME_AFTER_ds = 100; // ... for 10 consecutive seconds (manual)
export const DIVIDER_MAX_cV = 2000; // E-B30: a divider input above 20 V, none in a 12 V system (our choice)
export const VREF_MIN_mV = 3000; // E-B33: the ADC reference (the board's 3.3 V) outside 3.0 ... (our choice)
export const VREF_MAX_mV = 3600; // ... 3.6 V
export const SHORT_PCT = 50; // A-A12: System+ below 50 % of the bank while a switch is closed (our choice)
export const SHORT_HOLD_ds = 300; // ... both switches open for 30 s, then try again (our choice)
export const HOT_dC = 700; // A-B15 at a board temperature >= 70 °C ... (our choice)
export const HOT_CLEAR_dC = 600; // ... until <= 60 °C
export const NOMINAL_dV = 128;
/** the ADC reference and the board temperature are read every this many ticks (our choice: both
 * change slowly; the tick reads only the two divider inputs) */
export const SLOW_READ_TICKS = 10;
/** a band edge no reading reaches */
const NEVER = 1e9;

export interface VehicleHost extends DecideInput {
  cfg: Settings;
  summary: BankSummary;
  /** output bits last applied */
  outputs: number;
}

export class Vehicle {
  // (first the fields the tick reads and writes, then the rules' own)
  /** cV per unit of analogRead at the last reference read (set by the hardware) */
  scale = 0;
  /** measured each tick by the hardware (hal/vehicle.ts), rounded to cV */
  start_cV = 0;
  sys_cV = 0;
  /**
   * The bands the two readings may move in, and the time, before which the rules cannot change:
   * worked out by each evaluate, looked at each tick (hal/vehicle.ts vehicleReader, and `due_ds`
   * by the supervisor). Their edges are inclusive: a reading on an edge has the rules worked out
   * again, so they are worked out too often rather than too rarely.
   */
  startLo = NEVER;
  startHi = -1;
  sysLo = NEVER;
  sysHi = -1;
  due_ds = 0;
  /** 1: the rules must be worked out at this tick (set by the supervisor's tick) */
  moved = 1;
  /** 1: the alternator output may go on (below the charge limit, the starter side above 13.0 V
   * for the on-delay), as the last evaluate found it; `readyFor`: as the outputs were last decided
   * for (-1: not yet). The tick decides again when they differ: the only part of the decision
   * the clock moves between two changes of the codes */
  ready = 0;
  readyFor = -1;
  /** measured every SLOW_READ_TICKS ticks */
  vref_mV = 3300;
  temp_dC = 200;
  /** E-B31: the stored settings could not be read at boot (set by the module, cleared by a setting stored) */
  cfgBad = false;
  /** the charge limit was reached: the alternator output stays off until the resume rule */
  limited = false;
  belowSince_ds = 0;
  /** when the starter side rose above 13.0 V (0 = it is not above) */
  startSince_ds = 0;
  /** A-A12 holds System+ open until then */
  shortUntil_ds = 0;
  hot = false;

  /** The profile's code bits for this tick, from the bank, the other codes (`h.active`) and the inputs. */
  evaluate(h: VehicleHost, now_ds: number): number {
    const s = h.summary;
    const a = h.active;
    let bits = this.cfgBad ? 1 << E_B31 : 0;
    if (s.count > 0 && (s.series > 1 || s.batteryNominal_dV !== NOMINAL_dV)) bits |= 1 << E_B09;
    // (more than 5 batteries: E-B05 from the bank, which places 5 in this profile: MAX_BATT, src/link/protocol.ts)
    if (a & (1 << A_B05)) bits |= 1 << E_B32;
    if (a & ((1 << A_B01) | (1 << A_B08))) bits |= 1 << A_B11;
    if (a & (1 << W_B01)) bits |= 1 << W_B12;
    if (this.start_cV > DIVIDER_MAX_cV || this.sys_cV > DIVIDER_MAX_cV) bits |= 1 << E_B30;
    if (this.vref_mV < VREF_MIN_mV || this.vref_mV > VREF_MAX_mV) bits |= 1 << E_B33;
    this.hot = this.temp_dC >= HOT_dC || (this.hot && this.temp_dC > HOT_CLEAR_dC);
    if (this.hot) bits |= 1 << A_B15;
    const v = s.voltage_cV;
    if (bankData(s)) {
      // A-A12: a closed System+ switch with its far side collapsed is a short or an overload
      if (h.outputs & (OUT_SYSD | OUT_SYSC) && this.sys_cV * 100 < v * SHORT_PCT) this.shortUntil_ds = now_ds + SHORT_HOLD_ds;
      // the charge limit: stop at it, resume after 10 s in a row at 0.5 V or more below it
      const lim = Math.round(h.cfg.chargeLimit * 100);
      if (v >= lim) {
        this.limited = true;
        this.belowSince_ds = 0;
      } else if (this.limited && v <= lim - RESUME_BELOW_cV) {
        if (!this.belowSince_ds) this.belowSince_ds = now_ds;
        if (now_ds - this.belowSince_ds >= RESUME_AFTER_ds) this.limited = false;
      } else this.belowSince_ds = 0;
    }
    if (now_ds < this.shortUntil_ds) bits |= 1 << A_A12;
    if (this.start_cV <= START_ON_cV) this.startSince_ds = 0;
    else if (!this.startSince_ds) this.startSince_ds = now_ds;
    this.ready = !this.limited && this.startSince_ds && now_ds - this.startSince_ds >= START_ON_DELAY_ds ? 1 : 0;
    // what can change these bits before the next new numbers from the bank: the starter side
    // crossing 13.0 V or 20 V, the System+ side crossing 20 V or (a switch closed) half the bank,
    // and the three timers (the alternator's on-delay, the 10 s below the charge limit, A-A12's hold)
    const st = this.start_cV;
    const sy = this.sys_cV;
    this.startLo = st <= START_ON_cV ? -1 : st <= DIVIDER_MAX_cV ? START_ON_cV : DIVIDER_MAX_cV;
    this.startHi = st <= START_ON_cV ? START_ON_cV : st <= DIVIDER_MAX_cV ? DIVIDER_MAX_cV : NEVER;
    this.sysLo = sy > DIVIDER_MAX_cV ? DIVIDER_MAX_cV : h.outputs & (OUT_SYSD | OUT_SYSC) && bankData(s) ? (v * SHORT_PCT) / 100 : -1;
    this.sysHi = sy <= DIVIDER_MAX_cV ? DIVIDER_MAX_cV : NEVER;
    // (each timer only while it is still to come: one that has run out changes nothing more)
    let due = this.shortUntil_ds > now_ds ? this.shortUntil_ds : NEVER;
    const resume = this.belowSince_ds + RESUME_AFTER_ds;
    if (this.belowSince_ds && resume > now_ds && resume < due) due = resume;
    const on = this.startSince_ds + START_ON_DELAY_ds;
    if (this.startSince_ds && on > now_ds && on < due) due = on;
    this.due_ds = due;
    return bits;
  }

  /** `bits` (decideOutputs) with the alternator and System+ outputs added. */
  outputs(h: VehicleHost, bits: number): number {
    const a = h.active;
    this.readyFor = this.ready;
    const was = h.outputs;
    const on = systemOn(h);
    // remote function 0 (default): the remote and the soft switch stop the alternator and System+
    // only; the three BMS outputs go on following the codes
    if (!on && h.cfg.remoteFunction === 0) {
      // decideOutputs with the system on (kept here as it was: the NG bundle stays the same)
      bits = OUT_ATD | OUT_ATC;
      if (a & MASK_ATD) bits &= ~OUT_ATD;
      if (a & MASK_ATC) bits &= ~OUT_ATC;
      if (a & MASK_PRE) bits |= OUT_PRE;
    }
    // codes that open the alternator output and both System+ switches (readings or board not trusted)
    if (on && !(a & ((1 << E_B30) | (1 << E_B31) | (1 << E_B33) | (1 << A_B15)))) {
      const sys = !(a & (1 << A_A12));
      if (bits & OUT_ATD && sys) bits |= OUT_SYSD;
      if (bits & OUT_ATC) {
        if (sys) bits |= OUT_SYSC;
        if (this.ready) bits |= OUT_ALT;
      }
    }
    // a System+ switch that closes is watched for a short from the next tick (its band edge)
    if ((bits ^ was) & (OUT_SYSD | OUT_SYSC)) this.due_ds = 0;
    return bits;
  }
}

/**
 * A tick's readings on or beyond an edge of the bands the last evaluate set: its rules must be
 * worked out again (with `due_ds`, looked at by the supervisor). One expression: the build puts it
 * in place of its call in the hardware's reader (tools/shrink-resident.ts inlineCalls).
 */
export function outsideBands(v: Vehicle, st: number, sy: number): boolean {
  return st <= v.startLo || st >= v.startHi || sy <= v.sysLo || sy >= v.sysHi;
}
