// Host decoder of Victron Instant Readout adverts, written from docs/instant-readout.md and
// independently of the firmware's encoder (src/readout/), so that each checks the other.
// Usage: npm run readout -- --key <32 hex digits> <advert hex>
//   <advert hex>: the manufacturer data after the company id (starts with 10), or with the
//   company id in front (e1 02 10 ...).
import { createCipheriv } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export interface Decoded {
  productId: number;
  recordType: number;
  nonce: number;
  keyCheckOk: boolean;
  plain: Buffer;
  fields: Record<string, number | string | undefined>;
}

/** Fields are LSB-first bit fields; reads `width` bits at `bit`. */
function bits(buf: Buffer, bit: number, width: number): number {
  let v = 0;
  for (let k = 0; k < width; k++) {
    const b = bit + k;
    if (b >> 3 < buf.length && (buf[b >> 3] >> (b & 7)) & 1) v += 2 ** k;
  }
  return v;
}
const signed = (v: number, width: number) => (v >= 2 ** (width - 1) ? v - 2 ** width : v);
const na = (v: number, naValue: number, f: (x: number) => number) => (v === naValue ? undefined : f(v));

const PAIR_IO = ["contactor", "allowedToCharge", "allowedToDischarge", "userRelay", "auxOutput", "remoteOn", "alternatorAllowed"];
const PAIR_WA = ["lowCellVoltage", "highCurrent", "highBmsTemperature", "contactor", "bmsCable", "loadDisconnect", "lowSoc", "unknown", "highBatteryTemperature"];
const IO_WORDS = ["n/a", "yes", "no", "?"];
const WA_WORDS = ["n/a", "ok", "warning", "alarm"];

function bmsRecord(p: Buffer): Decoded["fields"] {
  const f: Decoded["fields"] = {
    error: bits(p, 0, 8),
    ttg_min: na(bits(p, 8, 16), 0xffff, (x) => x),
    voltage_V: na(bits(p, 24, 16), 0x7fff, (x) => signed(x, 16) / 100),
    current_A: na(bits(p, 40, 16), 0x7fff, (x) => signed(x, 16) / 10),
    io: bits(p, 56, 16),
    alarms: bits(p, 72, 18),
    soc_pct: na(bits(p, 90, 10), 0x3ff, (x) => x / 10),
    consumed_Ah: na(bits(p, 100, 20), 0xfffff, (x) => x / 10),
    temperature_C: na(bits(p, 120, 7), 0x7f, (x) => x - 40),
    unusedBit: bits(p, 127, 1),
  };
  PAIR_IO.forEach((name, k) => (f["io." + name] = IO_WORDS[bits(p, 56 + 2 * k, 2)]));
  PAIR_WA.forEach((name, k) => (f["wa." + name] = WA_WORDS[bits(p, 72 + 2 * k, 2)]));
  return f;
}

/** Battery monitor record (0x02), as the open decoders read it: for test vector 1. */
function batteryMonitorRecord(p: Buffer): Decoded["fields"] {
  return {
    ttg_min: na(bits(p, 0, 16), 0xffff, (x) => x),
    voltage_V: na(bits(p, 16, 16), 0x7fff, (x) => signed(x, 16) / 100),
    alarm: bits(p, 32, 16),
    aux: bits(p, 48, 16),
    auxType: bits(p, 64, 2),
    current_A: na(bits(p, 66, 22), 0x3fffff, (x) => signed(x, 22) / 1000),
    consumed_Ah: na(bits(p, 88, 20), 0xfffff, (x) => x / 10),
    soc_pct: na(bits(p, 108, 10), 0x3ff, (x) => x / 10),
  };
}

export function decodeAdvert(advertHex: string, keyHex: string): Decoded {
  let data = Buffer.from(advertHex.replace(/\s+/g, ""), "hex");
  if (data[0] === 0xe1 && data[1] === 0x02) data = data.subarray(2);
  const key = Buffer.from(keyHex, "hex");
  if (key.length !== 16) throw new Error("the key must be 16 bytes (32 hex digits)");
  if (data.length < 9 || data[0] !== 0x10) throw new Error("not a Victron product advertisement (byte 0 must be 0x10)");
  const nonce = data[5] | (data[6] << 8);
  const enc = data.subarray(8);
  const counter = Buffer.alloc(16);
  counter[0] = nonce & 0xff;
  counter[1] = nonce >> 8;
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  const ks = Buffer.concat([c.update(counter), c.final()]);
  const plain = Buffer.from(enc.map((b, k) => b ^ ks[k]));
  const recordType = data[4];
  return {
    productId: data[2] | (data[3] << 8),
    recordType,
    nonce,
    keyCheckOk: data[7] === key[0],
    plain,
    fields: recordType === 0x0a ? bmsRecord(plain) : recordType === 0x02 ? batteryMonitorRecord(plain) : {},
  };
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { key: { type: "string" }, help: { type: "boolean" } }, allowPositionals: true });
  if (values.help || !values.key || positionals.length !== 1) {
    console.log("npm run readout -- --key <32 hex digits> <advert hex>");
    process.exit(values.help ? 0 : 2);
  }
  const d = decodeAdvert(positionals[0], values.key);
  console.log(`product 0x${d.productId.toString(16)}  record 0x${d.recordType.toString(16)}  nonce 0x${d.nonce.toString(16)}  key check ${d.keyCheckOk ? "ok" : "MISMATCH (wrong key)"}`);
  console.log(`plaintext ${d.plain.toString("hex")}`);
  for (const [k, v] of Object.entries(d.fields)) console.log(`  ${k.padEnd(28)}${v === undefined ? "n/a" : v}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
