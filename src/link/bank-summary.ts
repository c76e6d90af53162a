// The bank as a whole, as the tick derives it (src/link/summary.ts summarize): the one read model
// the codes, the limits, SoC, the readout, the 12-200's rules and the REPL read. Types only, so
// that a pure module (and a host test of it) can name it without the code that fills it.
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
  /** longest time a detected battery has sent no valid measurement (0 with none; worked out by
   * Supervisor.evaluate every tick) */
  silent_ds: number;
  balancing: boolean;
  /** code bits of configuration faults: E-B01, E-B05, E-B09 */
  faults: number;
  /** every detected battery has reported and the layout is sound */
  valid: boolean;
  /** the bank's `ids` and `layout` counts when the layout below was worked out */
  idsAt: number;
  layoutAt: number;
  /** what the layout says: identified batteries that reported, ones that have not identified
   * themselves (and the first time one was heard), and the layout's fault bits */
  reported: number;
  anonymous: number;
  anonSince_ds: number;
  layoutFaults: number;
}
