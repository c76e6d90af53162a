// Storage after 30 virtual days, issue 13's budget row: the firmware, the settings, the records
// and the history in at most 36 KB of a Puck.js's 40 KB (bench/storage-month.ts runs the month).
import assert from "node:assert/strict";
import { printStorageMonth, storageMonth } from "../bench/storage-month.ts";
import { bootBoard } from "./helpers.ts";

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
});
