// Figures, printed, never asserted: bundle size against the budget and how fast the simulator
// runs. Usage: npm run bench (needs dist/bms.js: npm run build);
// npm run bench -- --soc adds the SoC monitor's figures (bench/soc-accuracy.ts, about a minute);
// npm run bench -- --device prints RAM, CPU and flash measured on Espruino (bench/device.ts),
// and Storage after 30 virtual days (bench/storage-month.ts; alone: npm run bench -- --storage).
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { DEFAULT_API, DEFAULT_BUNDLE, SimBoard } from "../sim/board.ts";
import { PUCK } from "../sim/wiring.ts";
import { costModel } from "./cost-model.ts";
import { deviceFigures } from "./device.ts";
import { socAccuracy } from "./soc-accuracy.ts";
import { printStorageMonth, storageMonth } from "./storage-month.ts";
import { BUDGET_BYTES as BUDGET } from "../tools/build.ts";

function bundleFigures(): void {
  const code = readFileSync(DEFAULT_BUNDLE);
  const api = readFileSync(DEFAULT_API);
  const both = code.length + api.length;
  console.log(`bundle      ${code.length} bytes resident + ${api.length} bytes on demand = ${both} (${((both / BUDGET) * 100).toFixed(1)} % of ${BUDGET}), gzip ${gzipSync(code).length} + ${gzipSync(api).length} bytes`);
}

function simSpeed(hours: number): void {
  const b = new SimBoard();
  b.drive(PUCK.remL, 0);
  const t0 = performance.now();
  b.advance(hours * 3600_000);
  const wall_ms = performance.now() - t0;
  const ticks = hours * 3600;
  console.log(`sim speed   ${hours} h simulated in ${wall_ms.toFixed(0)} ms wall: ${((ticks * 1000) / wall_ms).toFixed(0)}x real time, ${((wall_ms * 1000) / ticks).toFixed(1)} us host per tick`);
  if (b.uncaught.length) console.log(`            ${b.uncaught.length} uncaught errors!`);
}

if (!existsSync(DEFAULT_BUNDLE)) {
  console.error("dist/bms.js is missing: run npm run build first");
  process.exit(1);
}
bundleFigures();
if (process.argv.includes("--cost-model")) {
  await costModel();
  process.exit(0);
}
function storageFigures(): void {
  const b = new SimBoard();
  b.repl("000000"); // the console is locked at boot: the PIN of a new board
  printStorageMonth(storageMonth(b));
}

if (process.argv.includes("--device")) {
  // RAM and CPU come from Espruino's own interpreter only: Node cannot see either
  await deviceFigures();
  storageFigures();
  process.exit(0);
}
console.log("device      RAM and CPU are measured on Espruino itself: npm run bench -- --device (minutes)");
simSpeed(1);
simSpeed(24);
if (process.argv.includes("--storage")) storageFigures();
else console.log("storage     not run (about a minute): npm run bench -- --storage (also part of --device)");
if (process.argv.includes("--soc")) {
  console.log("");
  await socAccuracy();
} else {
  console.log("soc         not run (about 60 s on 2 cores): npm run bench -- --soc");
}
