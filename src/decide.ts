// The decision: what the outputs and LEDs should be at this moment, from the supervisor's inputs
// and the code table's masks. Outputs are one bit set.

export const OUT_ATD = 1;
export const OUT_ATC = 2;
export const OUT_PRE = 4;

export interface DecideInput {
  /** remote terminals say ON (SPEC §3) */
  remoteOn: boolean;
  /** the settings: `mode` is the app/REPL Mode switch (SPEC §3), 1 = on, kept across restarts */
  cfg: { mode: number };
  /** active code and reason bits (codes.ts) */
  active: number;
}

/** The system is on only when remote is ON and Mode is ON (SPEC §3). */
export function systemOn(i: DecideInput): boolean {
  return i.remoteOn && i.cfg.mode === 1;
}

// The rest of the decision is written out where it runs every tick, in Supervisor.decide (the
// outputs: every active code opens what its row in the code table says; system off floats ATD,
// ATC and the pre-alarm) and Supervisor.tick (the LEDs: red on for an alarm or an error, blinking
// for a warning; blue off when Bluetooth is off, blinking while advertising, on with a client).
