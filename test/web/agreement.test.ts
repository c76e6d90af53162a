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
import { bootProfile } from "../helpers.ts";

/** what the firmware holds only in a profile's bundle: its schema, read from the built dist/12-200/ */
const profileSchema = (): SchemaRow[] => JSON.parse(bootProfile("12-200").call<string>("JSON.stringify(bms.schema())")) as SchemaRow[];

describe("the web app agrees with the firmware", () => {
  it("has a text for every code id the firmware can send, and no other", () => {
    assert.equal(CODE_IDS.split(" ").length, CODE_COUNT);
    // the smallBMS NG's ids (what the host sees of src/codes.ts) and the Smart BMS 12-200's
    const ids = (CODE_IDS + CODE_IDS_12200).split(" ");
    assert.deepEqual(Object.keys(CODES).sort(), [...ids].sort());
    for (const id of ids) assert.ok(CODES[id].title.length > 0, id);
  });

  it("has a label for every setting of the schema, and no other", () => {
    // the smallBMS NG's (what the host sees of src/settings.ts) and the Smart BMS 12-200's
    const keys = new Set([...schema(), ...profileSchema()].map((r) => r[0]));
    assert.ok(keys.has("chargeLimit") && keys.has("fuseType"), "the 12-200 bundle's schema has its settings");
    assert.deepEqual(Object.keys(SETTINGS).sort(), [...keys].sort());
  });

  it("accepts and refuses the Smart BMS 12-200's own settings as its bundle does, with the same words", () => {
    const b = bootProfile("12-200");
    const ng = new Set(schema().map((r) => r[0] as string));
    const rows = profileSchema().filter((r) => !ng.has(r[0]));
    assert.deepEqual(rows.map((r) => r[0]), ["chargeLimit", "remoteFunction", "fuseType"]);
    let refused = 0;
    let taken = 0;
    for (const row of rows) {
      const [key, , def, min, max, step] = row;
      const tries = isSwitch(row) ? [true, false, "0", "1", "2", "0.5"]
        : [min, max, min - step, max + step, min + step / 2, (min + max) / 2, def as number].map(String).concat(["", "x", "1e9"]);
      for (const raw of tries) {
        const web = webCheck(row, raw);
        const value = typeof raw === "boolean" ? (raw ? 1 : 0) : raw.trim() === "" ? NaN : Number(raw);
        // the bundle's own refusal (bms.set throws "bms.set(\"key\"): why"), or none
        const fw = b.call<string | undefined>(`(function () { try { bms.set(${JSON.stringify(key)}, ${JSON.stringify(value)}); } catch (e) { return e.message; } })()`);
        assert.equal(web.err, fw?.replace(/^bms\.set\("\w+"\): /, ""), `${key} = ${JSON.stringify(raw)}`);
        if (fw === undefined) taken++;
        else refused++;
      }
    }
    assert.ok(refused >= 15 && taken >= 10, `both sides tried: ${refused} refused, ${taken} taken`);
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
