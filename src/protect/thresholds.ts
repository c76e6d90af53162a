// Every threshold of the protection rules (SPEC §4), in one table of named numbers: SPEC's, or
// marked "our choice" (there and in docs/protection.md). Kept apart from the rules that use them
// so the build can put each number straight where it is used.
// quantities the rows read, filled from the bank summary and SoC each tick
export const Q_CELL_MIN_mV = 0;
export const Q_CELL_MAX_mV = 1;
export const Q_TEMP_MIN_dC = 2;
export const Q_TEMP_MAX_dC = 3;
export const Q_BANK_cV = 4;
export const Q_SOC_pm = 5;

export const PREALARM_HYST_mV = 100; // W-B01 clears above level + 0.10 V (our choice)
export const CELL_UV_mV = 2800; // A-B01 at a cell <= 2.80 V ...
export const CELL_UV_CLEAR_mV = 3200; // ... until every cell >= 3.20 V
export const PRE_LEAD_ms = 30_000; // ATD opens for A-B01 no earlier than 30 s after pre-alarm on
export const CELL_HIGH_mV = 3750; // charge blocked at a cell >= 3.75 V ...
export const CELL_HIGH_CLEAR_mV = 3600; // ... until every cell <= 3.60 V
export const COLD_BELOW_dC = 50; // charge blocked below 5 °C ...
export const COLD_CLEAR_dC = 70; // ... back at >= 7 °C
export const HOT_ABOVE_dC = 500; // A-B09 above 50 °C ...
export const HOT_CLEAR_dC = 450; // ... back at <= 45 °C
export const BANK_LOW_cV = 280; // A-B08 below 2.80 V x cells in series ...
export const BANK_LOW_CLEAR_cV = 300; // ... recovered at 3.00 V x cells (our choice)
export const BANK_LOW_DELAY_ds = 100; // ... for 10 s
export const SOC_WARN_HYST_pm = 20; // W-B07 clears above level + 2 %
export const SOC_FLOOR_HYST_pm = 50; // A-B07 clears at floor + 5 %
export const CHARGING_dA = 5; // charging detected: bank current >= +0.5 A (our choice)
