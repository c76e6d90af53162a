// Battery link codes (SPEC §4): a detected battery silent for 5 s is a warning (W-B05), for
// 30 s an alarm (A-B05, both outputs float). Both clear as soon as data is back.
import { A_B05, W_B05 } from "../codes";
import type { BankSummary } from "../link/bank-summary";

export const LINK_WARN_DS = 50;
export const LINK_ALARM_DS = 300;

/** Bank numbers worth showing: every battery has reported, and none has been silent for 30 s. */
export function bankData(s: BankSummary): boolean {
  return s.count > 0 && s.valid && s.silent_ds < LINK_ALARM_DS;
}

export function linkCodes(s: BankSummary): number {
  // (silent_ds is 0 while no battery has identified itself: Supervisor.evaluate). One
  // expression: the build puts it in place of the call (tools/shrink-resident.ts inlineCalls)
  return s.faults | (s.silent_ds >= LINK_WARN_DS ? 1 << W_B05 : 0) | (s.silent_ds >= LINK_ALARM_DS ? 1 << A_B05 : 0);
}
