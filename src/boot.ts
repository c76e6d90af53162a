// At boot, in the on-demand module (src/api-module.ts, docs/architecture.md "Two files"): the
// default settings and then the records in flash into the supervisor (settings checked,
// learned batteries, SoC and history, the readout key and its first nonce block), then the
// settings applied. The resident firmware (src/main.ts) carries no settings table, no checks and
// no record reading: it loads the module once for this and lets it go.
import { bootSettings } from "./config";
import { loadLearned } from "./link/learned";
import { loadReadout } from "./readout/keys";
import { defaultSettings } from "./settings";
import { restoreSoc } from "./soc/monitor";
import type { Supervisor } from "./supervisor";

export function bootRecords(sup: Supervisor): void {
  defaultSettings(sup.cfg);
  bootSettings(sup);
  loadLearned(sup);
  restoreSoc(sup.soc);
  loadReadout(sup.ro);
  sup.soc_pm = sup.soc.soc_pm();
  sup.applySettings();
}
