// The Smart BMS 12-200's status rows on the web page (web/src/vehicle.ts): which reason the page
// gives for an open alternator output or System+ switch, from the status fields the profile sends.
import assert from "node:assert/strict";
import { alternatorText, is12200, systemPlusText, vehicleRows, type VehicleStatus } from "../../web/src/vehicle.ts";

/** a 12-200 running with everything on, as `bms.status()` sends it; `over` changes a few fields */
function st(over: Partial<VehicleStatus> = {}): VehicleStatus {
  return {
    on: true, remote: true, mode: true, atd: true, atc: true, pre: false, codes: [],
    soft: true, alt: true, sys: true, sysDischarge: true, sysCharge: true, vStart: 14.2, vSys: 13.3, chargeLimited: false,
    ...over,
  };
}

describe("web app: the Smart BMS 12-200's status rows", () => {
  it("knows the profile by its own status fields", () => {
    assert.equal(is12200(st()), true);
    const { alt, soft, sys, sysDischarge, sysCharge, vStart, vSys, chargeLimited, ...ng } = st();
    void [alt, soft, sys, sysDischarge, sysCharge, vStart, vSys, chargeLimited];
    assert.equal(is12200(ng), false);
  });

  it("gives the alternator's first reason: switch, codes, charging, charge limit, starter side, its 5 s", () => {
    const off = { alt: false };
    assert.equal(alternatorText(st()), "On");
    assert.equal(alternatorText(st({ ...off, mode: false, on: false, codes: ["A-B15"] })), "Off: soft switch off");
    assert.equal(alternatorText(st({ ...off, remote: false, on: false })), "Off: remote off");
    assert.equal(alternatorText(st({ ...off, codes: ["E-B33"], chargeLimited: true })), "Off: Reference voltage error (E-B33)");
    assert.equal(alternatorText(st({ ...off, atc: false, codes: ["cell-high"] })), "Off: charging not allowed (High cell voltage)");
    assert.equal(alternatorText(st({ ...off, chargeLimited: true, vStart: 12 })), "Off: charge limit reached (on again after 10 s at 0.5 V below it)");
    assert.equal(alternatorText(st({ ...off, vStart: 13.0 })), "Off: starter side not above 13.0 V");
    assert.equal(alternatorText(st({ ...off, vStart: 13.1 })), "Off: waiting for the starter side to stay above 13.0 V for 5 s");
  });

  it("says which System+ switch is open and why", () => {
    assert.equal(systemPlusText(st()), "On (discharge and charge)");
    assert.equal(systemPlusText(st({ sysDischarge: false, atd: false, codes: ["A-B01"] })), "On: charge only (discharge off: Low cell voltage)");
    assert.equal(systemPlusText(st({ sysCharge: false, atc: false, codes: ["A-B09"] })), "On: discharge only (charge off: High temperature)");
    assert.equal(systemPlusText(st({ sys: false, sysDischarge: false, sysCharge: false, codes: ["A-A12"] })), "Off: Short circuit (A-A12)");
    assert.equal(systemPlusText(st({ sys: false, sysDischarge: false, sysCharge: false, mode: false, on: false })), "Off: soft switch off");
  });

  it("shows the fuse's limit, and an unmeasured alternator current as such", () => {
    const rows = (s: VehicleStatus) => Object.fromEntries(vehicleRows(s).map(([k, , v]) => [k, v]));
    assert.equal(rows(st()).altLimit, "— (fuse type not set)");
    assert.equal(rows(st({ altLimit_A: 9 })).altLimit, "9 A (2 × 7.5 A fuse): choose a DC-DC charger rated below this");
    assert.equal(rows(st()).altPct, "not measured: no current sensor on the alternator line");
    assert.equal(rows(st({ altPct: 42 })).altPct, "42 %");
    assert.equal(rows(st({ soft: false })).soft, "Off");
  });
});
