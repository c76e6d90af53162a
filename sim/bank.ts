// A simulated bank of Lithium NG LiFePO4 batteries: the physics behind the battery link, close
// enough to exercise every protection rule of SPEC §2–§6 (pre-alarm lead time, discharge floor,
// sync to 100 %, temperature limits, over-voltage). Pure model: no board, no timers, no bytes;
// sim/rig.ts turns it into frames on a simulated board. See docs/simulator.md.
//
// Sign convention everywhere: current positive = charging the bank.
import type { Identity, Measurement } from "./link.ts";

// ---- cell chemistry ------------------------------------------------------------------------

/**
 * Open-circuit voltage of one LiFePO4 cell against its state of charge (0..1). The long flat
 * middle and the steep ends are what make LiFePO4 hard to monitor by voltage: the table reaches
 * past 0 and 1 so that over-discharge and overcharge give the voltages the protections look for.
 */
export const OCV_TABLE: readonly (readonly [soc: number, ocv_V: number])[] = [
  [-0.05, 1.5],
  [-0.02, 2.0],
  [0.0, 2.5],
  [0.01, 2.75],
  [0.02, 2.9],
  [0.05, 3.0],
  [0.1, 3.1],
  [0.2, 3.2],
  [0.3, 3.26],
  [0.4, 3.275],
  [0.5, 3.285],
  [0.6, 3.295],
  [0.7, 3.305],
  [0.8, 3.315],
  [0.9, 3.33],
  [0.95, 3.35],
  [0.98, 3.4],
  [0.99, 3.45],
  [1.0, 3.6],
  [1.005, 3.7],
  [1.01, 3.8],
  [1.02, 4.0],
  [1.05, 4.5],
];
/** A cell's state of charge is kept inside the table: beyond it the model means nothing. */
const SOC_MIN = OCV_TABLE[0][0];
const SOC_MAX = OCV_TABLE[OCV_TABLE.length - 1][0];

/** Open-circuit voltage of a cell: linear interpolation in OCV_TABLE, clamped at its ends. */
export function ocv_V(soc: number): number {
  const t = OCV_TABLE;
  if (soc <= t[0][0]) return t[0][1];
  for (let k = 1; k < t.length; k++) {
    const [s1, v1] = t[k];
    if (soc <= s1) {
      const [s0, v0] = t[k - 1];
      return v0 + ((v1 - v0) * (soc - s0)) / (s1 - s0);
    }
  }
  return t[t.length - 1][1];
}

// ---- seeded randomness -----------------------------------------------------------------------

/** mulberry32: a small seeded PRNG in [0, 1), so every run of a test sees the same bank. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: log(0) must not happen
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Uniform in [-1, 1]. */
const symmetric = (rand: () => number): number => 2 * rand() - 1;

// ---- configuration ---------------------------------------------------------------------------

export interface BankConfig {
  /** batteries in series per string */
  series: number;
  /** strings in parallel */
  parallel: number;
  /** nominal battery voltage in 0.1 V: 128, 256 or 512 (4, 8 or 16 cells) */
  nominal_dV: number;
  /** nominal battery capacity */
  capacity_Ah: number;
  /** initial state of charge of every cell, 0..1 (before the spread) */
  soc: number;
  ambient_C: number;
  /** each cell's capacity is nominal × (1 ± up to this fraction), uniform */
  capacitySpread: number;
  /** each cell's initial SoC is soc ± up to this (absolute fraction), uniform */
  socSpread: number;
  /** seed of the PRNG behind the spreads (the current noise has its own stream) */
  seed: number;
  /** serial number of battery 0; the next ones count up */
  firstSerial: number;
  /** firmware version reported in the identity: major × 256 + minor */
  firmware: number;
  /** battery type reported in the identity: 1 = Lithium NG */
  type: number;
  /** internal resistance of one cell of nominal capacity (smaller cells are proportionally worse) */
  cellResistance_ohm: number;
  /** first-order thermal time constant of a battery toward ambient */
  thermalTau_s: number;
  /** heat capacity of one battery */
  heatCapacity_J_per_K: number;
  /** bleed current of the passive balancer on each high cell */
  balance_A: number;
  /** share of the charge current that is stored (LiFePO4 ≈ 99 %, the value the firmware assumes) */
  chargeEfficiency: number;
  /**
   * Peukert exponent at the 20-hour rate (LiFePO4 ≈ 1.05, the value the firmware assumes; 1.0
   * disables it): discharging at I removes I × (I ÷ (C/20))^(peukert − 1) from each cell, so a
   * high rate costs a little more than the amp-hours that flow and a rate below C/20 a little
   * less. C is the battery's nominal capacity, I the current through it. Charging is not affected.
   */
  peukert: number;
  /** DC load, drawn only while discharge is allowed (ATD high) */
  load_A: number;
  /** charger maximum current (constant-current phase), only while charge is allowed (ATC high) */
  charger_A: number;
  /** charger constant-voltage limit at the bank terminals */
  chargeVoltage_V: number;
  /** offset of every battery's current sensor: added to the reported current only */
  currentOffset_A: number;
  /** standard deviation of the reported current's noise (Gaussian, seeded) */
  currentNoise_A: number;
}

/** 14.2 V per 12.8 V battery: a common LiFePO4 absorption voltage (3.55 V per cell). */
const CHARGE_V_PER_CELL = 3.55;
/** Cell resistance × capacity: 2.5 mΩ for a 100 Ah cell, a typical prismatic LiFePO4 figure. */
const CELL_RESISTANCE_OHM_AH = 0.25;
/** Heat capacity per cell-Ah: ~11 kJ/K for a 12.8 V 100 Ah battery (~11 kg at ~1 J/(g·K)). */
const HEAT_CAPACITY_J_PER_K_PER_CELL_AH = 27.5;

export const cellsOf = (nominal_dV: number): number => Math.round(nominal_dV / 32);

/** Fill in every field not given, deriving the ones that scale with the layout. */
export function resolveConfig(cfg: Partial<BankConfig> = {}): BankConfig {
  const series = cfg.series ?? 1;
  const nominal_dV = cfg.nominal_dV ?? 128;
  const capacity_Ah = cfg.capacity_Ah ?? 100;
  const cells = cellsOf(nominal_dV);
  return {
    series,
    parallel: cfg.parallel ?? 1,
    nominal_dV,
    capacity_Ah,
    soc: cfg.soc ?? 0.5,
    ambient_C: cfg.ambient_C ?? 20,
    capacitySpread: cfg.capacitySpread ?? 0.005,
    socSpread: cfg.socSpread ?? 0.002,
    seed: cfg.seed ?? 1,
    firstSerial: cfg.firstSerial ?? 0x00a10001,
    firmware: cfg.firmware ?? 0x0103,
    type: cfg.type ?? 1,
    cellResistance_ohm: cfg.cellResistance_ohm ?? CELL_RESISTANCE_OHM_AH / capacity_Ah,
    thermalTau_s: cfg.thermalTau_s ?? 1800,
    heatCapacity_J_per_K: cfg.heatCapacity_J_per_K ?? HEAT_CAPACITY_J_PER_K_PER_CELL_AH * cells * capacity_Ah,
    balance_A: cfg.balance_A ?? 0.5,
    chargeEfficiency: cfg.chargeEfficiency ?? 0.99,
    peukert: cfg.peukert ?? 1.05,
    load_A: cfg.load_A ?? 0,
    charger_A: cfg.charger_A ?? 0,
    chargeVoltage_V: cfg.chargeVoltage_V ?? CHARGE_V_PER_CELL * cells * series,
    currentOffset_A: cfg.currentOffset_A ?? 0,
    currentNoise_A: cfg.currentNoise_A ?? 0,
  };
}

// ---- cells and batteries ---------------------------------------------------------------------

export class SimCell {
  constructor(
    public soc: number,
    public capacity_Ah: number,
    public resistance_ohm: number,
  ) {}
  /** Terminal voltage while `current_A` flows through it (+ = charging raises it). */
  voltage_V(current_A: number): number {
    return ocv_V(this.soc) + current_A * this.resistance_ohm;
  }
  /** Move `charge_Ah` in (+) or out (−), kept inside the OCV table. */
  addCharge(charge_Ah: number): void {
    this.soc = Math.min(SOC_MAX, Math.max(SOC_MIN, this.soc + charge_Ah / this.capacity_Ah));
  }
}

/** Above this a charging cell may be bled (Lithium NG balancers start near the top of charge). */
const BALANCE_START_V = 3.45;
/** Spread that is worth balancing; cells within it of the lowest are left alone. */
const BALANCE_SPREAD_V = 0.01;

export class SimBattery {
  /** true current through the battery in the last step, + = charging */
  current_A = 0;
  /** what its current sensor said in the last step: true + offset + noise */
  reportedCurrent_A = 0;
  temp_C: number;
  /** when set, the temperature is held here (a heat gun, a freezer) instead of following physics */
  pinnedTemp_C: number | null = null;
  balancing = false;
  /** the battery reports an internal fault (flags bit 1) */
  fault = false;

  constructor(
    public serial: number,
    public nominal_dV: number,
    public capacity_Ah: number,
    public firmware: number,
    public type: number,
    public readonly cells: SimCell[],
    temp_C: number,
  ) {
    this.temp_C = temp_C;
  }

  cellVoltages_V(): number[] {
    return this.cells.map((c) => c.voltage_V(this.current_A));
  }
  get voltage_V(): number {
    let v = 0; // the same sum as over cellVoltages_V(), without the array: the rig reads it often
    for (const c of this.cells) v += c.voltage_V(this.current_A);
    return v;
  }
  get openCircuit_V(): number {
    return this.cells.reduce((a, c) => a + ocv_V(c.soc), 0);
  }
  get resistance_ohm(): number {
    return this.cells.reduce((a, c) => a + c.resistance_ohm, 0);
  }

  /**
   * Pass `current_A` for `dt_s`: cells in series all carry it; then balance and heat. What the
   * cells gain or lose is the current corrected by the charge efficiency (charging) or Peukert
   * (discharging, against this battery's 20-hour rate).
   */
  flow(current_A: number, dt_s: number, cfg: BankConfig): void {
    this.current_A = current_A;
    const stored_A = current_A > 0
      ? current_A * cfg.chargeEfficiency
      : current_A < 0 && cfg.peukert !== 1
        ? current_A * Math.pow(-current_A / (this.capacity_Ah / 20), cfg.peukert - 1)
        : current_A;
    for (const c of this.cells) c.addCharge((stored_A * dt_s) / 3600);
    this.balance(dt_s, cfg);
    this.heat(dt_s, cfg);
  }

  /** Passive balancing: only while charging near the top, bleed the cells above the lowest. */
  private balance(dt_s: number, cfg: BankConfig): void {
    const v = this.cellVoltages_V();
    const min_V = Math.min(...v);
    const max_V = Math.max(...v);
    this.balancing = this.current_A > 0 && max_V > BALANCE_START_V && max_V - min_V > BALANCE_SPREAD_V;
    if (!this.balancing) return;
    this.cells.forEach((c, k) => {
      if (v[k] > min_V + BALANCE_SPREAD_V) c.addCharge((-cfg.balance_A * dt_s) / 3600);
    });
  }

  /** First order toward ambient plus I²R heating: exact exponential, stable for any step. */
  private heat(dt_s: number, cfg: BankConfig): void {
    if (this.pinnedTemp_C !== null) {
      this.temp_C = this.pinnedTemp_C;
      return;
    }
    const heating_W = this.current_A * this.current_A * this.resistance_ohm;
    const steady_C = cfg.ambient_C + (heating_W * cfg.thermalTau_s) / cfg.heatCapacity_J_per_K;
    this.temp_C = steady_C + (this.temp_C - steady_C) * Math.exp(-dt_s / cfg.thermalTau_s);
  }
}

// ---- the bank --------------------------------------------------------------------------------

export interface Allowed {
  /** ATD high: the load may draw */
  loadAllowed: boolean;
  /** ATC high: the charger may charge */
  chargeAllowed: boolean;
}

/** What is really going on in the bank, for tests and benches to compare the firmware with. */
export interface BankTruth {
  /** charge stored ÷ real capacity over all cells (capacity-weighted mean cell SoC) */
  soc: number;
  /** mean string voltage, as the BMS derives it */
  voltage_V: number;
  /** net bank current, + = charging */
  current_A: number;
  /** what the load and the charger actually drew / delivered in the last step */
  loadCurrent_A: number;
  chargerCurrent_A: number;
  cellMin_V: number;
  cellMax_V: number;
  tempMin_C: number;
  tempMax_C: number;
  /** some battery is balancing */
  balancing: boolean;
}

export interface AddBatteryOptions {
  /** string to stack it on (top); strings.length starts a new string. Default: the last string
   *  while it has fewer than `series` batteries, else a new string. */
  string?: number;
  soc?: number;
  capacity_Ah?: number;
  nominal_dV?: number;
  type?: number;
  serial?: number;
}

/** A physics step longer than this is cut into pieces, so that the CV taper stays stable. */
const MAX_SUBSTEP_S = 1;

export class Bank {
  readonly config: BankConfig;
  /** strings of batteries, each listed bottom (at bank minus) to top */
  private readonly strings: SimBattery[][] = [];
  private readonly buildRand: () => number;
  private readonly noiseRand: () => number;
  private nextSerial: number;
  private lastLoad_A = 0;
  private lastCharger_A = 0;

  constructor(cfg: Partial<BankConfig> = {}) {
    this.config = resolveConfig(cfg);
    this.buildRand = seededRandom(this.config.seed);
    this.noiseRand = seededRandom(this.config.seed ^ 0x5eed);
    this.nextSerial = this.config.firstSerial;
    for (let s = 0; s < this.config.parallel; s++) {
      for (let k = 0; k < this.config.series; k++) this.addBattery({ string: s });
    }
  }

  // -- live knobs (the rig and scenarios turn these) --
  get load_A(): number { return this.config.load_A; }
  set load_A(a: number) { this.config.load_A = a; }
  get charger_A(): number { return this.config.charger_A; }
  set charger_A(a: number) { this.config.charger_A = a; }
  get chargeVoltage_V(): number { return this.config.chargeVoltage_V; }
  set chargeVoltage_V(v: number) { this.config.chargeVoltage_V = v; }
  get ambient_C(): number { return this.config.ambient_C; }
  set ambient_C(c: number) { this.config.ambient_C = c; }

  // -- layout --
  /** number of batteries on the chain */
  get count(): number {
    return this.strings.reduce((n, s) => n + s.length, 0);
  }
  /** the strings, bottom to top; chain order is string-major (string 0 bottom first) */
  get layout(): readonly (readonly SimBattery[])[] {
    return this.strings;
  }
  battery(i: number): SimBattery {
    const { string, level } = this.locate(i);
    return this.strings[string][level];
  }
  /** chain position of battery i on the link: 1 is next to the BMS */
  position(i: number): number {
    this.locate(i);
    return i + 1;
  }
  /** string index and level (0 = bottom) of battery i */
  locate(i: number): { string: number; level: number } {
    let rest = i;
    for (let s = 0; s < this.strings.length; s++) {
      if (rest < this.strings[s].length) return { string: s, level: rest };
      rest -= this.strings[s].length;
    }
    throw new Error(`bank: no battery ${i} (there are ${this.count})`);
  }

  /** Add a battery (a new or an extra one); returns its chain index. */
  addBattery(opts: AddBatteryOptions = {}): number {
    const cfg = this.config;
    const last = this.strings.length - 1;
    const s = opts.string ?? (last >= 0 && this.strings[last].length < cfg.series ? last : this.strings.length);
    if (s < 0 || s > this.strings.length) throw new Error(`bank: no string ${s}`);
    if (s === this.strings.length) this.strings.push([]);
    const nominal_dV = opts.nominal_dV ?? cfg.nominal_dV;
    const capacity_Ah = opts.capacity_Ah ?? cfg.capacity_Ah;
    const cells = this.makeCells(cellsOf(nominal_dV), capacity_Ah, opts.soc ?? cfg.soc);
    const serial = opts.serial ?? this.nextSerial++;
    const b = new SimBattery(serial, nominal_dV, capacity_Ah, cfg.firmware, opts.type ?? cfg.type, cells, cfg.ambient_C);
    this.strings[s].push(b);
    return this.strings.slice(0, s + 1).reduce((n, str) => n + str.length, 0) - 1;
  }

  /** Take battery i out of the bank (its string is rewired without it). */
  removeBattery(i: number): void {
    const { string, level } = this.locate(i);
    this.strings[string].splice(level, 1);
    if (this.strings[string].length === 0) this.strings.splice(string, 1);
  }

  private makeCells(n: number, capacity_Ah: number, soc: number): SimCell[] {
    const cfg = this.config;
    const cells: SimCell[] = [];
    for (let k = 0; k < n; k++) {
      const cap_Ah = capacity_Ah * (1 + cfg.capacitySpread * symmetric(this.buildRand));
      const cellSoc = Math.min(1, Math.max(0, soc + cfg.socSpread * symmetric(this.buildRand)));
      // the resistance scales with the cell's size: the same chemistry, less area
      const r_ohm = (cfg.cellResistance_ohm * cfg.capacity_Ah) / cap_Ah;
      cells.push(new SimCell(cellSoc, cap_Ah, r_ohm));
    }
    return cells;
  }

  // -- per-battery knobs --
  setAmbient(c: number): void {
    this.config.ambient_C = c;
  }
  /** Hold battery i at `c` °C (null: let it follow ambient and self-heating again from there). */
  setTemp(i: number, c: number | null): void {
    const b = this.battery(i);
    b.pinnedTemp_C = c;
    if (c !== null) b.temp_C = c;
  }
  setType(i: number, type: number): void {
    this.battery(i).type = type;
  }
  /** A battery of another size in its place: the label and the cells change, the SoC stays. */
  setCapacity(i: number, capacity_Ah: number): void {
    const b = this.battery(i);
    const scale = capacity_Ah / b.capacity_Ah;
    for (const c of b.cells) {
      c.capacity_Ah *= scale;
      c.resistance_ohm /= scale;
    }
    b.capacity_Ah = capacity_Ah;
  }
  setFault(i: number, on: boolean): void {
    this.battery(i).fault = on;
  }

  // -- physics --
  /** Advance the physics by `dt_s` with the outputs as given (default: both allowed). */
  step(dt_s: number, allowed: Allowed = { loadAllowed: true, chargeAllowed: true }): void {
    let left_s = dt_s;
    while (left_s > 1e-9) {
      const h_s = Math.min(MAX_SUBSTEP_S, left_s);
      this.substep(h_s, allowed);
      left_s -= h_s;
    }
    this.readSensors();
  }

  private substep(h_s: number, allowed: Allowed): void {
    const strings = this.strings;
    if (strings.length === 0) return;
    const load_A = allowed.loadAllowed ? this.config.load_A : 0;
    const charger_A = allowed.chargeAllowed ? this.chargerCurrent_A(load_A) : 0;
    this.lastLoad_A = load_A;
    this.lastCharger_A = charger_A;
    // parallel strings split the bank current evenly (no circulating currents: see the doc)
    const string_A = (charger_A - load_A) / strings.length;
    for (const str of strings) for (const b of str) b.flow(string_A, h_s, this.config);
  }

  /**
   * CC/CV charger: the most current, up to charger_A, that keeps the bank voltage at or below
   * chargeVoltage_V. Bank voltage = mean string voltage = E + (I / p) × R with E and R the mean
   * string open-circuit voltage and resistance, so the CV current is solved directly; as the
   * cells' voltage climbs the steep top of the curve it falls toward zero: the tail.
   */
  private chargerCurrent_A(load_A: number): number {
    const cfg = this.config;
    if (cfg.charger_A <= 0) return 0;
    const p = this.strings.length;
    const e_V = mean(this.strings.map((s) => sum(s.map((b) => b.openCircuit_V))));
    const r_ohm = mean(this.strings.map((s) => sum(s.map((b) => b.resistance_ohm))));
    const cv_A = (p * (cfg.chargeVoltage_V - e_V)) / r_ohm + load_A;
    return Math.min(cfg.charger_A, Math.max(0, cv_A));
  }

  /** What each battery's current sensor reads: the truth plus offset plus noise. */
  private readSensors(): void {
    const cfg = this.config;
    for (const str of this.strings) {
      for (const b of str) {
        const noise_A = cfg.currentNoise_A > 0 ? cfg.currentNoise_A * gaussian(this.noiseRand) : 0;
        b.reportedCurrent_A = b.current_A + cfg.currentOffset_A + noise_A;
      }
    }
  }

  // -- what can be read --
  truth(): BankTruth {
    const all = this.strings.flat();
    const cells = all.flatMap((b) => b.cellVoltages_V());
    let charge_Ah = 0;
    let capacity_Ah = 0;
    for (const b of all) {
      for (const c of b.cells) {
        charge_Ah += c.soc * c.capacity_Ah;
        capacity_Ah += c.capacity_Ah;
      }
    }
    return {
      soc: capacity_Ah > 0 ? charge_Ah / capacity_Ah : 0,
      voltage_V: mean(this.strings.map((s) => sum(s.map((b) => b.voltage_V)))),
      current_A: this.lastCharger_A - this.lastLoad_A,
      loadCurrent_A: this.lastLoad_A,
      chargerCurrent_A: this.lastCharger_A,
      cellMin_V: Math.min(...cells),
      cellMax_V: Math.max(...cells),
      tempMin_C: Math.min(...all.map((b) => b.temp_C)),
      tempMax_C: Math.max(...all.map((b) => b.temp_C)),
      balancing: all.some((b) => b.balancing),
    };
  }

  /** The measurement battery i puts on the link, in the units of sim/link.ts. */
  measurement(i: number): Measurement {
    const { string, level } = this.locate(i);
    const str = this.strings[string];
    const b = str[level];
    // the minus terminal sits on top of the batteries below it in its string
    const base_V = sum(str.slice(0, level).map((x) => x.voltage_V));
    return {
      balancing: b.balancing,
      fault: b.fault,
      voltage_cV: clampU16(Math.round(b.voltage_V * 100)),
      base_cV: clampU16(Math.round(base_V * 100)),
      current_dA: Math.round(b.reportedCurrent_A * 10),
      temp_dC: Math.round(b.temp_C * 10),
      cells_mV: b.cellVoltages_V().map((v) => clampU16(Math.round(v * 1000))),
    };
  }

  /** The identity battery i puts on the link. */
  identity(i: number): Identity {
    const b = this.battery(i);
    return {
      serial: b.serial,
      nominal_dV: b.nominal_dV,
      capacity_Ah: Math.round(b.capacity_Ah),
      firmware: b.firmware,
      cells: b.cells.length,
      type: b.type,
    };
  }
}

function sum(xs: number[]): number {
  return xs.reduce((a, x) => a + x, 0);
}
function mean(xs: number[]): number {
  return xs.length ? sum(xs) / xs.length : 0;
}
function clampU16(v: number): number {
  return Math.min(0xffff, Math.max(0, v));
}
