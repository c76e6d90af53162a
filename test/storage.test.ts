// Storage after 30 virtual days, issue 13's budget row: the firmware, the settings, the records
// and the history in at most 36 KB of a Puck.js's 40 KB (bench/storage-month.ts runs the month).
import assert from "node:assert/strict";
import { printStorageMonth, storageMonth } from "../bench/storage-month.ts";
import { P12200 } from "../sim/wiring.ts";
import { bootBoard, bootProfile } from "./helpers.ts";

const STORAGE_MUST_B = 36 * 1024;

describe("Storage after 30 virtual days", function () {
  this.timeout(0);

  it(`holds the firmware, settings, records and history in at most ${STORAGE_MUST_B} B, and the records do not grow after the first day`, () => {
    const m = storageMonth(bootBoard());
    printStorageMonth(m);
    assert.deepEqual(m.board.uncaught, []);
    const st = m.board.call<{ soc: number }>("bms.status()");
    assert.ok(st.soc > 0, "the SoC monitor kept its count through the month");
    assert.ok(m.writes > 30 * 24, `the records were written again and again (${m.writes} writes)`);
    assert.ok(m.files.some(([n]) => n.startsWith("bms.cfg")), "the settings record is in Storage");
    assert.ok(m.data_B <= m.dataDay1_B + 64, `records grew from ${m.dataDay1_B} B after a day to ${m.data_B} B`);
    assert.ok(m.used_B <= STORAGE_MUST_B, `${m.used_B} B in Storage, budget ${STORAGE_MUST_B}`);
  });

  it(`the Smart BMS 12-200's bundle: within ${STORAGE_MUST_B} B too, records that do not grow, and no SoC or history record`, () => {
    // (issue 15: each profile meets the budgets on its own; it has no battery monitor to record)
    const m = storageMonth(bootProfile("12-200"), 30, P12200, 'bms.set("chargeLimit", 14.4)');
    printStorageMonth(m);
    assert.deepEqual(m.board.uncaught, []);
    assert.equal(m.board.call("bms.settings().chargeLimit"), 14.4);
    assert.ok(m.files.some(([n]) => n.startsWith("bms.cfg")), "the settings record is in Storage");
    assert.ok(m.files.some(([n]) => n.startsWith("bms.nonce")), "the readout's nonce reservations are in Storage");
    assert.deepEqual(m.files.filter(([n]) => /^bms\.(soc|hist)/.test(n)), []);
    assert.ok(m.data_B <= m.dataDay1_B + 64, `records grew from ${m.dataDay1_B} B after a day to ${m.data_B} B`);
    assert.ok(m.used_B <= STORAGE_MUST_B, `${m.used_B} B in Storage, budget ${STORAGE_MUST_B}`);
  });
});
