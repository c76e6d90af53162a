// The one supervisor: collects the inputs (remote, Mode, Bluetooth, the battery link), derives
// the active codes, decides the outputs and LEDs, and applies them. Events that must act at once
// (a remote edge, Mode off) call decide() directly; the tick runs every TICK_MS. The decision
// path allocates nothing (lint: eslint.config.js TICK_PATH); only a changed readout payload (AES
// returns a new buffer) and the 5-minute records do.
import { BT_WINDOW_ds } from "./bluetooth";
import { E_B11, MASK_ALARM, MASK_ATC, MASK_ATD, MASK_ERROR, MASK_PRE, MASK_WARNING, R_NO_DATA, R_UPDATE, R_UPDATE_FAILED, W_B05 } from "./codes";
import { OUT_ATC, OUT_ATD, OUT_PRE } from "./decide";
import type { Hardware } from "./ports";
import { Bank } from "./link/bank";
import { LinkDecoder } from "./link/decoder";
import { LEARN_WINDOW_DS, Learned } from "./link/learned";
import { bankCurrent, newSummary, summarize } from "./link/summary";
import { LED_BLINK, LED_OFF, LED_ON } from "./leds";
import { LINK_WARN_DS, linkCodes } from "./protect/link-codes";
import { Protection } from "./protect/rules";
import { Readout } from "./readout/readout";
import type { Settings } from "./settings";
import { SOC_BLOCK_S } from "./soc/counter";
import { SocMonitor } from "./soc/monitor";
import { SLOW_READ_TICKS, Vehicle } from "./vehicle/vehicle";

export const TICK_MS = 1000;
/** a firmware update not finished within 120 s has failed: ATD opens as a safety measure (SPEC §8) */
export const UPDATE_FAIL_ds = 1200;
/** longest step the coulomb counter takes from one tick (a stalled tick must not invent Ah) */
export const MAX_STEP_ds = 50;
/** E-B11 at this many watchdog resets in a row (our choice) ... */
export const WDT_RESETS_MAX = 3;
/** ... "in a row": none of them followed by this long of clean running (our choice: 10 min) */
export const CLEAN_RUN_ds = 6000;
/** the output pins are set again every this many ticks when the decision did not change (our choice) */
export const OUT_REASSERT_TICKS = 10;
/** the count of that row, in flash: written once per watchdog reset and once when cleared */
const RESETS_FILE = "bms.wdt";

export class Supervisor {
  readonly bank = new Bank();
  readonly summary = newSummary();
  readonly learned = new Learned();
  readonly decoder: LinkDecoder;
  readonly protect = new Protection();
  /** the battery monitor: the smallBMS NG's only (the Smart BMS 12-200 has none, as the product) */
  soc!: SocMonitor;
  readonly ro: Readout;
  private lastTick_ds = 0;
  /** the bank's counts when the codes were last worked out (evaluate) */
  /** what the codes were last worked out for (-1: at the next tick; config.ts applySettings) */
  seen = -1;
  /** E-B05 for a learned battery missing, as last worked out */
  private missing = 0;
  /** a client is connected (1; a number: one variable, a boolean takes two) */
  connected = 0;
  /** active code and reason bits */
  active = 1 << R_NO_DATA;
  /** output bits last decided (PRE = the pre-alarm is active, even in an intermittent pause) */
  outputs = 0;
  /** when the pre-alarm output came on (-1 = it is off) */
  preSince_ms = -1;
  /** code bits of the measured limits, held while the bank data is not valid */
  limitBits = 0;
  /** SoC in per mille, -1 = unknown */
  soc_pm = -1;
  /** E-B11 and friends: latched until restart */
  hardwareFault = 0;
  /** watchdog resets in a row (docs/protection.md "Repeated watchdog resets") */
  resets = 0;
  /** when a firmware update began (0 = none under way) */
  updateSince_ds = 0;
  /** the bank has been valid at least once since start: outputs stay floating until then (1; the
   * flags here are numbers, not booleans: one variable each instead of two) */
  everValid = 0;
  ticks = 0;
  /** Smart BMS 12-200 profile only: the alternator and System+ rules */
  veh!: Vehicle;

  /** The records (settings, learned batteries, SoC, readout key) are read by the on-demand module. */
  /** `cfg` holds the defaults (settings.ts); then src/boot.ts puts the stored records in */
  constructor(readonly hw: Hardware, readonly cfg: Settings) {
    this.decoder = new LinkDecoder(this.bank, hw.now_ds);
    if (__PROFILE__ === "12-200") this.veh = new Vehicle();
    if (__PROFILE__ !== "12-200") this.soc = new SocMonitor(hw.store);
    this.ro = new Readout(hw);
    // a boot after a watchdog reset adds one to the row; a power cut (no watchdog reset since
    // power-on) ends it. At WDT_RESETS_MAX the count stops: a crash loop writes no more
    const was = +(hw.store.read(RESETS_FILE) || 0) | 0;
    this.resets = hw.watchdogReset ? Math.min(was + 1, WDT_RESETS_MAX) : 0;
    if (this.resets !== was && !hw.store.write(RESETS_FILE, "" + this.resets)) this.hardwareError();
    if (this.resets >= WDT_RESETS_MAX) this.hardwareError();
  }

  /**
   * Remote on/off filter (SPEC §3). The debounced setWatch edge is the authority: it sets the
   * state at once (remoteEdge). The tick's reading (hal/hardware.ts: read again after the debounce
   * time, so a glitch is never taken) is a safety net for a missed edge (remoteSettled):
   *   OFF while ON  -> OFF at once (fail safe: outputs float)
   *   ON  while OFF -> "suspect"; still ON at the next tick -> ON (a bounce caught at the tick
   *                    never switches a load on)
   */
  remoteOn = false;
  /** the codes the outputs were last decided for (-1: none yet) */
  private decidedFor = -1;
  /** 1: an ON reading waits for the next tick (a number: one variable, a boolean takes two) */
  private suspect = 0;

  /** Decide and apply the outputs now. */
  decide(): void {
    // the outputs (decide.ts): system off floats ATD and ATC and the pre-alarm; else every active
    // code opens what its row in the code table says (written out here: a function less in RAM)
    const a = this.active;
    let bits = !this.remoteOn || this.cfg.mode !== 1 ? 0 : (a & MASK_ATD ? 0 : OUT_ATD) | (a & MASK_ATC ? 0 : OUT_ATC) | (a & MASK_PRE ? OUT_PRE : 0);
    // (the alternator's on-delay and charge limit as the last tick found them: Vehicle.ready)
    if (__PROFILE__ === "12-200") bits = this.veh.outputs(this, bits);
    if (!(bits & OUT_PRE)) this.preSince_ms = -1;
    else if (this.preSince_ms < 0) this.preSince_ms = this.hw.now_ms();
    this.outputs = bits;
    // intermittent pre-alarm: on at even ticks, off at odd ones
    const pause = this.cfg.preAlarmMode === 1 && (this.ticks & 1) === 1;
    this.decidedFor = a;
    // Bluetooth (SPEC §7): always on with the setting, else in the window after power-up (off at
    // the decision at 30 s: a reassert tick) and while a client is connected (src/bluetooth.ts).
    // LEDs (SPEC §5): red on for an alarm or an error, blinking for a warning; blue off = Bluetooth
    // off, blinking = advertising, on = a client connected (shown from the next tick: hw.tickIo,
    // which wakes or sleeps the radio with the blue LED)
    const radio = this.cfg.bluetooth === 1 || this.connected || this.bank.now_ds < BT_WINDOW_ds;
    this.hw.leds = (a & (MASK_ALARM | MASK_ERROR) ? LED_ON : a & MASK_WARNING ? LED_BLINK : LED_OFF) |
      ((!radio ? LED_OFF : this.connected ? LED_ON : LED_BLINK) << 2);
    // the pins are set when the bits change, and again every OUT_REASSERT_TICKS: a disturbed pin
    // is put right within that time; a driven pin that reads back low is seen at once (here, and
    // at every tick: hw.tickIo). The LEDs and the readout of the decision made then win
    if (!this.hw.setOutputs(pause ? bits & ~OUT_PRE : bits, this.ticks % OUT_REASSERT_TICKS === 0) && !this.hardwareFault) {
      // an output reads back wrong: decide again so that both outputs float now
      this.hardwareError();
      this.decide();
    }
    // the readout: a changed code, output or remote is on air at once, other numbers within
    // READOUT_GAP and the next decision after it; an unchanged payload is not re-encrypted (its
    // refused nonce record floats the outputs from the next tick: the codes changed)
    if (this.cfg.readout === 1) {
      this.ro.update(this);
      if (!this.ro.storeOk) this.hardwareError();
    }
  }

  /**
   * E-B11 (SPEC §4), the one way to raise it: an output that reads back wrong, a record or setting
   * the flash refused, repeated watchdog resets. Latched until restart; both outputs float from
   * the next decision on.
   */
  hardwareError(): void {
    this.hardwareFault = 1 << E_B11;
    this.active |= this.hardwareFault;
  }

  /** a reading of the remote at a tick, confirmed after the debounce time: OFF at once, ON at the next tick */
  remoteSettled(): void {
    const raw = this.hw.remoteOn();
    if (raw === this.remoteOn || !raw || this.suspect) {
      this.remoteOn = raw;
      this.suspect = 0;
    } else this.suspect = 1;
    this.decide();
  }

  /** A debounced edge on Remote L or H: act inside this event (SPEC §3). */
  remoteEdge(): void {
    this.remoteOn = this.hw.remoteOn(); // a debounced edge: its reading is taken as is
    this.suspect = 0;
    this.decide();
  }

  // The tick runs every second for years and Espruino reads every character of the code it runs
  // (docs/device-budget.md): it asks the clock once and skips what cannot have changed.
  tick(): void {
    // (the clock the link decoder judges a waiting candidate by, between its scans)
    const now_ds = (this.bank.now_ds = this.hw.now_ds());
    this.ticks++;
    this.hw.feedWatchdog();
    if (this.resets > 0 && this.resets < WDT_RESETS_MAX && now_ds >= CLEAN_RUN_ds) {
      // ten minutes of clean running: the watchdog resets before are no longer "in a row"
      this.resets = 0;
      if (!this.hw.store.write(RESETS_FILE, "0")) this.hardwareError();
    }
    // an ON reading held back at the last tick is taken now, then a raw level that differs from
    // the debounced one is read again after the debounce time. (The debounced levels never say
    // otherwise than `remoteOn` but for that held ON: each watch edge and each settled reading
    // updates the two together, hal/hardware.ts)
    if (this.suspect) this.remoteSettled();
    this.hw.checkRemote(this);
    if (__PROFILE__ === "12-200") {
      // its two divider inputs every tick, the ADC reference and the board temperature every
      // SLOW_READ_TICKS (from the first tick); its rules are worked out again when they moved
      const v = this.veh;
      v.moved = this.hw.vehicle!(v, this.ticks % SLOW_READ_TICKS === 1) || now_ds >= v.due_ds ? 1 : 0;
    }
    this.evaluate(now_ds);
    // The outputs are decided again when the codes changed, at every OUT_REASSERT_TICKS (the pins
    // set again) and at every tick while the pre-alarm is on (intermittent: off at odd ticks); a
    // remote edge, a client, the Mode and the settings decide at once themselves (the 12-200 also
    // when its alternator output's on-delay or charge limit changed: Vehicle.ready). Then the
    // blinking LEDs flash and the driven pins are read back: one that reads low makes the
    // decision again (E-B11)
    if (this.active !== this.decidedFor || this.ticks % OUT_REASSERT_TICKS === 0 || this.outputs & OUT_PRE ||
      (__PROFILE__ === "12-200" && this.veh.ready !== this.veh.readyFor)) this.decide();
    if (!this.hw.tickIo()) this.decide();
  }

  /**
   * The active codes from the bank and the learned configuration, worked out again only when new
   * numbers came (a frame with other numbers, an identity or a layout change), `all` (after
   * bms.learn() or new settings) or while one of them waits on the clock (a silent battery, the
   * end of the learning window, an anonymous or unplaced battery, a layout fault, a limit's
   * delay or the pre-alarm lead, an update). Else the tick counts SoC, and the limits see a new SoC
   * (the Smart BMS 12-200's own rules and the codes also when its readings moved: Vehicle.moved,
   * set by the tick).
   */
  evaluate(now_ds: number, all?: boolean): void {
    const s = this.summary;
    const b = this.bank;
    const l = this.protect.limits;
    // longest time an identified battery has sent no valid measurement
    s.silent_ds = s.count ? now_ds - Math.min.apply(null, b.vHeard_ds as never) : 0;
    // (each count only goes up, and so does `unplaced_ds`: their sum moves when one does)
    const at = b.ids + b.layout + b.seq + b.unplaced_ds;
    // (W-B05 still on: the silence ended, or goes on)
    if (all || at !== this.seen || this.active & (1 << W_B05) || s.silent_ds >= LINK_WARN_DS || this.lastTick_ds < LEARN_WINDOW_DS !== now_ds < LEARN_WINDOW_DS ||
      s.anonymous || s.faults || l.timing || l.bits !== this.limitBits || this.updateSince_ds) {
      all = true;
      this.seen = at;
      summarize(b, s, now_ds);
      this.missing = this.learned.update(b, s, now_ds);
      if (__PROFILE__ !== "12-200" && this.learned.added) {
        this.learned.added = 0;
        this.soc.addedAt_s = this.soc.t_s;
      }
      if (!this.everValid && s.valid && this.learned.allPresent(b)) this.everValid = 1;
    }
    // the learned list written by the module; not memory enough now (null): still dirty, tried
    // again at the next tick
    if (this.learned.dirty) {
      const m = this.hw.store.mod(false);
      if (m !== null) {
        if (m && !m.saveLearned(this)) this.hardwareError();
        this.learned.dirty = 0;
      }
    }
    const pm = this.soc_pm;
    const dt_ds = __PROFILE__ === "12-200" ? 0 : this.lastTick_ds ? Math.min(now_ds - this.lastTick_ds, MAX_STEP_ds) : 0;
    this.lastTick_ds = now_ds;
    // the current changes every second on a working bank: read every tick, not worked out
    // again with the rest of the summary (Bank.seq leaves it out)
    s.current_dA = bankCurrent(b);
    // only fresh data from the whole bank is counted: a battery silent for the W-B05 time would
    // otherwise have its last current counted on and on
    if (__PROFILE__ !== "12-200" && s.valid && s.silent_ds < LINK_WARN_DS) {
      const m = this.soc;
      // the history's extremes with each fresh summary (only the current changes between two)
      if (all) m.extremes(s);
      // SoC in blocks (soc/counter.ts SOC_BLOCK_S): the tick sums current x time, the step runs
      // once a block on the block's average current
      m.q_dAds += s.current_dA * dt_ds;
      if ((m.block_ds += dt_ds) >= SOC_BLOCK_S * 10) {
        this.soc_pm = m.update(s, this.cfg, m.q_dAds / m.block_ds, m.block_ds / 10);
        m.q_dAds = m.block_ds = 0;
        if (!m.storeOk) this.hardwareError(); // the settings store failed
      }
    }
    // the limits judge the batteries that report, whatever another battery does (silent, not yet
    // identified, identified but not yet measured); a silent one's last cells and temperature
    // still count: they can only make a limit stricter. Held only while the layout is at fault
    // (E-B01/05/09) or no battery has reported (then cellMin 0xffff > cellMax 0). Judged again
    // only with new numbers or a new SoC (a limit that waits on the clock makes `all` true)
    if (all || pm !== this.soc_pm) {
      if (s.faults === 0 && s.cellMin_mV <= s.cellMax_mV) {
        const preOn_ms = this.preSince_ms < 0 ? 0 : this.hw.now_ms() - this.preSince_ms;
        this.limitBits = this.protect.evaluate(s, this.cfg, this.soc_pm, preOn_ms, now_ds);
      }
    // (the 12-200's own rules and the codes also when its readings moved: Vehicle.moved, set by the tick)
    } else if (__PROFILE__ !== "12-200" || !this.veh.moved) return;
    this.active = linkCodes(s) | this.missing | this.limitBits | this.hardwareFault | (this.everValid ? 0 : 1 << R_NO_DATA) |
      updateBits(this, now_ds);
    if (__PROFILE__ === "12-200") this.active |= this.veh.evaluate(this, now_ds);
  }
}

/**
 * SPEC §8: no charging during an update; if it has not ended after 120 s, no discharging either.
 * One expression: the build puts it in place of each call (tools/shrink-resident.ts inlineCalls).
 */
export function updateBits(s: { readonly updateSince_ds: number }, now_ds: number): number {
  return !s.updateSince_ds ? 0 : now_ds - s.updateSince_ds >= UPDATE_FAIL_ds ? (1 << R_UPDATE) | (1 << R_UPDATE_FAILED) : 1 << R_UPDATE;
}
