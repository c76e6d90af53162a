// Unit tests of tools/pretokenise.ts: the bytes Espruino 2v29's lexer reads as tokens (jslex.h),
// the spaces it needs, and a round trip that gives back the same token stream for the built
// bundles of both profiles. The real interpreter running the result: test/engine/pretokenise.test.ts.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as acorn from "acorn";
import { detokenise, pretokenise } from "../tools/pretokenise.ts";

const bytes = (s: string) => [...s].map((c) => c.charCodeAt(0));
const tokens = (s: string) => [...acorn.tokenizer(s, { ecmaVersion: 2020 }) as Iterable<acorn.Token & { value: unknown }>].map((t) => t.type.label + ":" + String(t.value));

describe("pretokenise (Espruino 2v29's token bytes)", () => {
  it("reserved_words_and_long_operators_are_the_lexers_token_numbers", () => {
    // LEX_R_RETURN 171, LEX_R_THIS 175, LEX_TYPEEQUAL 139, LEX_R_UNDEFINED 183, LEX_ARROW_FUNCTION 162
    assert.deepEqual(bytes(pretokenise("return this===undefined")), [171, 175, 139, 183]);
    assert.deepEqual(bytes(pretokenise("a=>a>>>=b")), [97, 162, 97, 149, 98]);
    assert.deepEqual(bytes(pretokenise("x??y")), [120, 208, 121]);
  });

  it("integers_of_two_digits_up_to_32767_are_raw_and_everything_else_stays_as_written", () => {
    assert.deepEqual(bytes(pretokenise("0")), [211]);
    assert.deepEqual(bytes(pretokenise("10")), [212, 10]);
    assert.deepEqual(bytes(pretokenise("127")), [212, 127]);
    // one digit is one byte as text, two raw: it stays text (Espruino's own pretokeniser stores two)
    assert.equal(pretokenise("a=9+1"), "a=9+1");
    assert.equal(pretokenise("1 .toString()"), "1 .toString()", "a digit before a dot keeps its space: `1.` is a number");
    assert.deepEqual(bytes(pretokenise("0x1ff")), [213, 0xff, 0x01]);
    assert.equal(pretokenise("32768"), "32768");
    assert.equal(pretokenise("1.5e3"), "1.5e3");
  });

  it("ascii_strings_are_raw_with_their_length_and_others_stay_quoted", () => {
    assert.deepEqual(bytes(pretokenise('"a\\nb"')), [209, 3, 97, 10, 98]);
    assert.equal(pretokenise('""'), '""', "an empty string stays quoted, as Espruino's own pretokeniser leaves it");
    const long = "x".repeat(300);
    assert.deepEqual(bytes(pretokenise(`"${long}"`)).slice(0, 3), [210, 300 & 255, 300 >> 8]);
    assert.equal(pretokenise('"\\u00b0C"'), '"\\u00b0C"', "a string with a byte over 127 would be UTF-8 on the device");
  });

  it("keeps_only_the_spaces_the_lexer_needs", () => {
    assert.equal(pretokenise("var  a = b  +  c ;"), "\xaca=b+c;");
    assert.equal(pretokenise("a in b"), "a\xb9b");
    assert.equal(pretokenise("a- -b"), "a- -b");
    assert.equal(pretokenise("a+ +b"), "a+ +b");
    assert.equal(pretokenise("x = a / /re/.source"), "x=a/ /re/.source");
    assert.equal(pretokenise("typeof x"), "\xbfx");
    assert.equal(pretokenise("f(a, b)"), "f(a,b)");
  });

  it("refuses_template_literals_rather_than_store_them_wrong", () => {
    assert.throws(() => pretokenise("`a${b}`"), /template literals/);
  });

  for (const dir of ["dist", join("dist", "12-200")]) {
    for (const file of ["bms.js", "bms-api.js"]) {
      const path = join(import.meta.dirname, "..", dir, file);
      it(`round_trip_of_${dir.replace("/", "_")}_${file.replace(/\W/g, "_")}_gives_the_same_tokens_and_fewer_bytes`, () => {
        assert.ok(existsSync(path), `${path} is missing: npm test builds both profiles first`);
        const src = readFileSync(path, "latin1");
        const stored = pretokenise(src);
        assert.deepEqual(tokens(detokenise(stored)), tokens(src));
        assert.ok(stored.length < src.length * 0.9, `${file}: ${src.length} B -> ${stored.length} B`);
      });
    }
  }
});
