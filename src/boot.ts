// At load: the records in flash into the supervisor (settings, learned batteries, SoC and
// history, the readout key and its first nonce block), then the settings applied. These
// functions are called only here, from the firmware's own load: the build lets them go after
// it (tools/shrink-resident.ts), so reading records costs no resident RAM, and the on-demand
// module (which writes records later) need not be loaded at boot, when RAM is tightest.
import { applySettings, bootSettings } from "./config";
import { loadLearned } from "./link/learned";
import { loadReadout } from "./readout/keys";
import { restoreSoc, socPm } from "./soc/monitor";
import type { Supervisor } from "./supervisor";

export function bootRecords(sup: Supervisor): void {
  bootSettings(sup);
  loadLearned(sup);
  // (the battery monitor: the smallBMS NG's only)
  if (__PROFILE__ !== "12-200") restoreSoc(sup.soc);
  loadReadout(sup.ro);
  if (__PROFILE__ !== "12-200") sup.soc_pm = socPm(sup.soc);
  applySettings(sup);
}
