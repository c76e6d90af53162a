// The web app keeps its own copies of what the firmware defines: the code table (web/src/codes.ts
// against src/codes.ts), the human names of the settings (web/src/labels.ts against the schema in
// src/settings.ts) and the checks it makes before sending (web/src/schema.ts against the
// firmware's check()). These tests fail as soon as one side changes without the other.
import assert from "node:assert/strict";
import { CODE_COUNT, CODE_IDS, CODE_IDS_12200 } from "../../src/codes.ts";
import { check as fwCheck, defaultSettings, schema } from "../../src/settings.ts";
import { CODES } from "../../web/src/codes.ts";
import { SETTINGS, humanize } from "../../web/src/labels.ts";
import { check as webCheck, isSwitch, type SchemaRow } from "../../web/src/schema.ts";

describe("the web app agrees with the firmware", () => {
  it("has a text for every code id the firmware can send, and no other", () => {
    assert.equal(CODE_IDS.split(" ").length, CODE_COUNT);
    // the smallBMS NG's ids (what the host sees of src/codes.ts) and the Smart BMS 12-200's
    const ids = (CODE_IDS + CODE_IDS_12200).split(" ");
    assert.deepEqual(Object.keys(CODES).sort(), [...ids].sort());
    for (const id of ids) assert.ok(CODES[id].title.length > 0, id);
  });

  it("has a label for every setting of the schema, and no other", () => {
    assert.deepEqual(Object.keys(SETTINGS).sort(), schema().map((r) => r[0]).sort());
  });

  it("reads the schema rows in the firmware's shape", () => {
    for (const row of schema()) {
      assert.equal(row.length, 7, row[0]);
      const [key, unit, def, min, max, step, restores] = row;
      assert.deepEqual([typeof key, typeof unit, typeof min, typeof max, typeof step, typeof restores], ["string", "string", "number", "number", "number", "boolean"]);
      assert.equal(typeof def, step === 0 ? "string" : "number", key);
    }
  });

  it("accepts and refuses exactly what the firmware accepts and refuses, with the same words", () => {
    const st = defaultSettings();
    let compared = 0;
    for (const row of schema()) {
      const r = row as unknown as SchemaRow;
      const [key, , def, min, max, step] = row;
      const tries: (string | boolean)[] = step === 0
        ? ["", "1", "1234", "123456", "12345678", "123456789", "abc", "a".repeat(max), "a".repeat(max + 1), "é", String(def)]
        : isSwitch(r) ? [true, false, "0", "1", "2", "0.5"]
        : [min, max, min - step, max + step, min + step / 2, (min + max) / 2, def as number].map(String).concat(["", "x", "1e9"]);
      for (const raw of tries) {
        const web = webCheck(r, raw);
        const value = typeof raw === "boolean" ? (raw ? 1 : 0) : step === 0 ? raw : raw.trim() === "" ? NaN : Number(raw);
        const fw = fwCheck(st, key, value, true);
        assert.equal(web.err, fw?.err, `${key} = ${JSON.stringify(raw)}: web says ${web.err ?? "ok"}, firmware ${fw?.err ?? "ok"}`);
        compared++;
      }
    }
    assert.ok(compared > 100);
  });

  it("names settings in a refusal by their labels", () => {
    const st = defaultSettings();
    const e = fwCheck(st, "dischargeFloor", 30);
    assert.ok(e);
    assert.equal(humanize(e.err), "“Low-SoC warning level” must be above “Discharge floor”");
  });
});
