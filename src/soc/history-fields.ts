// The history's fields (SPEC §6): index into the one Float64Array, and the BMV counting limits.
// A module of its own so the build puts each number straight where it is used.
export const H_DEEPEST_Ah = 0; // deepest discharge: most negative consumed Ah
export const H_DRAWN_Ah = 1; // cumulative Ah drawn
export const H_DISCHARGED_Wh = 2;
export const H_CHARGED_Wh = 3;
export const H_SYNCS = 4; // synchronisations, counted when SoC was below 90 % since the previous one
export const H_CYCLES = 5; // SoC below 65 % and then above 90 %
export const H_SINCE_FULL_s = 6; // time since last full charge
export const H_V_MIN_cV = 7;
export const H_V_MAX_cV = 8;
export const H_CELL_MIN_mV = 9;
export const H_CELL_MAX_mV = 10;
export const H_T_MIN_dC = 11;
export const H_T_MAX_dC = 12;
export const H_CYCLE_ARMED = 13; // 1 once SoC went below 65 % (a cycle completes above 90 %)
export const H_SYNC_ARMED = 14; // 1 once SoC went below 90 % (the next sync counts)
export const H_COUNT = 15;
/** the fields before this one move with every amp-hour: they ride in the SoC record */
export const H_FAST = 4;
export const CYCLE_LOW = 0.65;
export const CYCLE_HIGH = 0.9;
export const SYNC_COUNTS_BELOW = 0.9;
