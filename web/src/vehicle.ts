// The Smart BMS 12-200 profile's status rows (docs/smart-bms-12-200.md "Status"). The page knows
// the profile by the status fields only that build sends (`alt`, `sys` ...): no extra request,
// and a smallBMS NG's pages stay as they are.
import { chargeAllowed, codeText, dischargeAllowed, type StatusLike } from "./codes";
import { fmt } from "./labels";

export interface VehicleStatus extends StatusLike {
  soft?: boolean;
  alt?: boolean;
  sys?: boolean;
  sysDischarge?: boolean;
  sysCharge?: boolean;
  vStart?: number;
  vSys?: number;
  chargeLimited?: boolean;
  altLimit_A?: number;
  altPct?: number;
}

/** the fuse of each fuse type (the manual's table), by the limit `altLimit_A` it stands for */
const FUSES: Record<number, string> = { 100: "125 A", 90: "100 A", 60: "80 A", 50: "60 A", 40: "2 × 30 A", 25: "2 × 20 A", 20: "2 × 15 A", 12: "2 × 10 A", 9: "2 × 7.5 A" };
/** codes that open the alternator output and both System+ switches */
const BLOCKING = ["E-B30", "E-B31", "E-B33", "A-B15"];

export function is12200(s: VehicleStatus): boolean {
  return typeof s.alt === "boolean";
}

/** Why the alternator output or System+ is off, before the reasons of charge/discharge allowed. */
function blocked(s: VehicleStatus, sys: boolean): string | undefined {
  if (!s.mode) return "soft switch off";
  if (!s.remote) return "remote off";
  for (const id of sys ? [...BLOCKING, "A-A12"] : BLOCKING) if (s.codes.includes(id)) return codeText(id).title + " (" + id + ")";
  return undefined;
}

export function alternatorText(s: VehicleStatus): string {
  if (s.alt) return "On";
  const why = blocked(s, false);
  if (why) return "Off: " + why;
  if (!s.atc) return "Off: charging not allowed (" + chargeAllowed(s).text.replace(/^No: /, "") + ")";
  if (s.chargeLimited) return "Off: charge limit reached (on again after 10 s at 0.5 V below it)";
  if (!((s.vStart ?? 0) > 13.0)) return "Off: starter side not above 13.0 V";
  return "Off: waiting for the starter side to stay above 13.0 V for 5 s";
}

export function systemPlusText(s: VehicleStatus): string {
  const dis = "discharge off: " + dischargeAllowed(s).text.replace(/^No: /, "");
  const ch = "charge off: " + chargeAllowed(s).text.replace(/^No: /, "");
  if (s.sysDischarge && s.sysCharge) return "On (discharge and charge)";
  if (s.sysCharge) return "On: charge only (" + dis + ")";
  if (s.sysDischarge) return "On: discharge only (" + ch + ")";
  return "Off: " + (blocked(s, true) ?? (!s.atd ? dis : ch));
}

/** The profile's rows for the Status page: [key, label, value]. */
export function vehicleRows(s: VehicleStatus): [string, string, string][] {
  const lim = s.altLimit_A;
  return [
    ["soft", "Soft switch", s.soft ? "On" : "Off"],
    ["alt", "Alternator / starter input", alternatorText(s)],
    ["vStart", "Alternator/starter voltage", fmt(s.vStart, 2, "V")],
    ["sys", "System+", systemPlusText(s)],
    ["vSys", "System+ voltage", fmt(s.vSys, 2, "V")],
    ["altPct", "Alternator charge current", typeof s.altPct === "number" ? fmt(s.altPct, 0, "%") : "not measured: no current sensor on the alternator line"],
    ["altLimit", "Alternator current limit", typeof lim === "number" ? lim + " A (" + (FUSES[lim] ?? "?") + " fuse): choose a DC-DC charger rated below this" : "— (fuse type not set)"],
  ];
}
