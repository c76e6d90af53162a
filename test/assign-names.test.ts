// The build's naming of shortened properties by use (tools/assign-names.ts): the most used get
// one letter, and no name that a kept property has is ever handed out.
import assert from "node:assert/strict";
import { assignNames, propertyUses } from "../tools/assign-names.ts";
import { bundle, ROOT } from "../tools/build.ts";
import { mangleableNames } from "../tools/mangle-names.ts";

describe("build: assignNames", () => {
  it("counts_member_reads_keys_methods_and_class_fields_but_not_computed_ones", () => {
    const uses = propertyUses("class K{f=1;m(){return this.f+this.f}}var o={f:2,\"g\":3};o[f];o.m()");
    assert.equal(uses.get("f"), 4); // the field, two reads, the key
    assert.equal(uses.get("m"), 2); // the method, the call
    assert.equal(uses.get("g"), 1); // a quoted key is a property too
  });

  it("gives_the_most_used_property_the_shortest_name", () => {
    // esbuild named them in the order it met them: the rare one first
    const first = { rare: "a", busy: "b" };
    const text = "x.a;" + "x.b;".repeat(5);
    const out = assignNames(first, [text]);
    assert.equal(out.busy, "a");
    assert.equal(out.rare, "b");
  });

  it("never_hands_out_a_kept_name_or_a_false_entry", () => {
    // `a` and `b` are written as properties the build keeps (a record's key, an API's member)
    const first: Record<string, string | false> = { busy: "c", at: false };
    const text = "r.a;r.b;" + "x.c;".repeat(3);
    const out = assignNames(first, [text]);
    assert.equal(out.at, false);
    assert.ok(!["a", "b", "at"].includes(out.busy as string), String(out.busy));
    assert.equal(out.busy, "c"); // the first free one-letter name
  });

  it("hands_out_no_two_letter_keyword_once_the_letters_are_used", () => {
    const first: Record<string, string | false> = {};
    for (let k = 0; k < 200; k++) first["p" + k] = "n" + k;
    const given = Object.values(assignNames(first, []));
    assert.equal(new Set(given).size, 200, "all distinct");
    for (const w of ["do", "if", "in", "of"]) assert.ok(!given.includes(w), w);
  });

  it("the_built_files_use_no_short_name_twice_nor_a_kept_name", async () => {
    const b = await bundle({});
    const short = Object.values(b.names).filter((v): v is string => v !== false);
    assert.equal(new Set(short).size, short.length, "one name per property");
    // the names src/ keeps (a record's key, an API's member): derived from the source, not the output
    const kept = new Set(mangleableNames(ROOT).keep);
    assert.ok(kept.has("n") && kept.has("v"), "the records' keys are kept names");
    for (const name of short) assert.ok(!kept.has(name), name + " is both a short name and a kept property");
  });
});
