// The `bms` object at the Espruino REPL. Replies are plain objects that read naturally at the
// prompt. Later issues add battery(), history(), settings(), set(), sync(), ...
import { OUT_ATC, OUT_ATD, OUT_PRE, systemOn } from "./decide";
import type { Supervisor } from "./supervisor";

export function createApi(s: Supervisor) {
  return {
    /** `bms.status()`: is the system on, and why not; what the outputs are doing */
    status() {
      return {
        on: systemOn(s),
        remote: s.remoteOn,
        mode: s.modeOn,
        atd: (s.outputs & OUT_ATD) !== 0,
        atc: (s.outputs & OUT_ATC) !== 0,
        pre: (s.outputs & OUT_PRE) !== 0,
      };
    },
    /** `bms.mode(false)` switches the system off at once (outputs float); `bms.mode(true)` back on */
    mode(on: boolean) {
      if (on !== true && on !== false) throw new Error("bms.mode(on): on must be true or false");
      s.setMode(on);
      return s.modeOn;
    },
  };
}
