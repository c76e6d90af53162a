// Memory figures for the per-battery state, counted from the firmware's own classes (not
// guessed): every typed array's bytes, and an Espruino variable estimate using the device's
// storage model (ESPRUINO.md): a typed array is ~3 variables of header (the view, its
// ArrayBuffer, the property name) plus its bytes in 13-byte blocks.
import { Bank } from "../src/link/bank.ts";
import { MAX_BATT, MAX_CELLS } from "../src/link/protocol.ts";
import { LinkDecoder } from "../src/link/decoder.ts";

const BLOCK_BYTES = 13;
const HEADER_VARS = 3;

export interface ArrayCost { name: string; bytes: number; vars: number }

export function typedArrayCosts(obj: object): ArrayCost[] {
  const out: ArrayCost[] = [];
  for (const [name, v] of Object.entries(obj)) {
    if (ArrayBuffer.isView(v)) out.push({ name, bytes: v.byteLength, vars: HEADER_VARS + Math.ceil(v.byteLength / BLOCK_BYTES) });
  }
  return out;
}

export function memoryFigures(): void {
  const bank = typedArrayCosts(new Bank());
  const bytes = bank.reduce((n, a) => n + a.bytes, 0);
  const vars = bank.reduce((n, a) => n + a.vars, 0);
  const cellBytes = bank.find((a) => a.name === "cell_mV")?.bytes ?? 0;
  console.log(`bank state  ${bank.length} typed arrays, ${bytes} bytes for ${MAX_BATT} batteries x ${MAX_CELLS} cells: ` +
    `${((bytes - cellBytes) / MAX_BATT).toFixed(1)} B/battery + ${cellBytes / MAX_BATT} B of cells = ${(bytes / MAX_BATT).toFixed(1)} B/battery; ` +
    `~${vars} Espruino vars of 2630 (${((vars / 2630) * 100).toFixed(1)} %)`);
  const dec = typedArrayCosts(new LinkDecoder(() => {}));
  const decVars = dec.reduce((n, a) => n + a.vars, 0);
  console.log(`decoder     ${dec.map((a) => `${a.name} ${a.bytes} B`).join(", ")}: ~${decVars} vars, fixed (no growth per byte or frame)`);
}
