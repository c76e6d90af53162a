// The settings' defaults as the resident firmware holds them (Supervisor.cfg before the stored
// record is read). The build puts a literal of the same values in place of this file
// (tools/build.ts `defaultsLiteral`): the resident file carries no settings table, and the
// literal's keys are shortened like every property the code reads. Tests on the host get the
// values from the one table itself (src/settings.ts schema).
import { defaultSettings, type Settings } from "./settings";

export const DEFAULTS: Settings = defaultSettings();
