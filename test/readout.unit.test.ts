// Unit tests of the pure readout modules (src/readout/pack.ts, crypt.ts) against vector 2 of
// docs/instant-readout.md; the built bundle's behaviour is covered in readout.test.ts.
import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { sealAdvert } from "../src/readout/crypt.ts";
import { F_COUNT, packRecord } from "../src/readout/pack.ts";
// the smallBMS NG's product id (docs/instant-readout.md; src/readout/readout.ts, not imported: it
// pulls in the live state's modules, which use Espruino globals the host check does not know)
const PRODUCT_SMALLBMS_NG = 0xa3ec;

const ecb = (block: Uint8Array, key: Uint8Array): ArrayBuffer => {
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(block), c.final()]);
  return out.buffer.slice(out.byteOffset, out.byteOffset + 16);
};

describe("readout pack and crypt (pure modules)", () => {
  it("vector_1_the_ctr_step_alone", () => {
    // the vector's 15 bytes of plaintext, and a 16th (the firmware always encrypts 16): CTR
    // encrypts each byte on its own, so the first 15 bytes out are the vector's
    const plain = Buffer.from("ffffe50400000000030000f40140df" + "80", "hex");
    const out = new Uint8Array(24);
    sealAdvert(out, ecb, PRODUCT_SMALLBMS_NG, 0x40b0, Buffer.from("aff4d0995b7d1e176c0c33ecb9e70dcd", "hex"), plain, new Uint8Array(16));
    assert.equal(Buffer.from(out.subarray(8, 8 + 15)).toString("hex"), "925d09a4d89aa0128bdef48c6298a9");
  });

  it("packs_any_fields_as_the_records_bit_layout_says", () => {
    // the layout as a table of [bit, width] (docs/instant-readout.md), packed a bit at a time: the
    // reference the firmware's byte-by-byte packRecord must agree with, signed fields included
    const LAYOUT = [[0, 8], [8, 16], [24, 16], [40, 16], [56, 16], [72, 18], [90, 10], [100, 20], [120, 7]];
    const reference = (f: ArrayLike<number>): string => {
      const out = new Uint8Array(16);
      out[15] = 0x80; // the unused top bit
      LAYOUT.forEach(([at, width], k) => {
        for (let b = 0; b < width; b++) if ((f[k] >> b) & 1) out[(at + b) >> 3] |= 1 << ((at + b) & 7);
      });
      return Buffer.from(out).toString("hex");
    };
    fc.assert(
      fc.property(fc.tuple(...LAYOUT.map(([, width]) => fc.integer({ min: -(2 ** (width - 1)), max: 2 ** width - 1 }))), (values) => {
        const f = new Int32Array(F_COUNT);
        f.set(values);
        const plain = new Uint8Array(16).fill(0xa5); // whatever was there before is written over
        packRecord(plain, f);
        assert.equal(Buffer.from(plain).toString("hex"), reference(values));
      }),
      { numRuns: 2000 },
    );
  });


  it("vector_2_fields_pack_to_its_plaintext_and_its_advert", () => {
    const plain = new Uint8Array(16);
    // error, ttg_min, v_cV, i_dA, io, alarms, soc_pm, consumed_dAh, temp_C40 (pack.ts F_...)
    const f = new Int32Array(F_COUNT);
    f.set([0, 600, 1327, -42, 0x1555, 0x05555, 875, 123, 61]);
    packRecord(plain, f);
    assert.equal(Buffer.from(plain).toString("hex"), "0058022f05d6ff55155555acbd0700bd");
    const key = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const adv = new Uint8Array(24);
    sealAdvert(adv, ecb, PRODUCT_SMALLBMS_NG, 0x1234, key, plain, new Uint8Array(16));
    assert.equal(Buffer.from(adv).toString("hex"), "1000eca30a3412003aa080da284ab933b2d99af484a1563a");
  });
});
