// Device figures, measured on Espruino's own interpreter built for Linux (docs/device-budget.md):
// variables after boot and after a soak, CPU per second in reference loops, bytes in flash, and
// where the variables go. Printed, never asserted here (test/engine/ asserts what is a budget).
// Usage: npm run bench -- --device [--soak-s N] [--only NAME]
import { readFileSync } from "node:fs";
import { BENCH_BANKS, bankFeed } from "../tools/espruino/feed.ts";
import { Engine, findInterpreters, HOW_TO_GET, which } from "../tools/espruino/engine.ts";
import { measureCpu, measureMemory, referenceLoop, storageFiles } from "../tools/espruino/measure.ts";
import { API_FILE, API_PATH, bundle, BUNDLE_PATH } from "../tools/build.ts";

const PUCK_VARIABLES = 2630;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

interface SizeRow {
  name: string;
  size: number;
  more?: SizeRow[];
}

/** Where the variables go: every module-level binding of the firmware, weighed on the device. */
export async function breakdown(counter64: string): Promise<void> {
  const code = await bundle({ breakdown: true });
  const base = await Engine.boot({ binary: counter64, files: storageFiles({}) });
  const before = new Set((await base.eval<SizeRow[]>("E.getSizeOf(global,1)")).map((r) => r.name));
  await base.close();
  const e = await Engine.boot({ binary: counter64, files: storageFiles({ firmware: code.firmware, api: code.api, feed: bankFeed(BENCH_BANKS[1].cfg) }) });
  try {
    await e.run('VC.link("feed")');
    await e.run("VC.run(3)");
    const rows = (await e.eval<SizeRow[]>("E.getSizeOf(global,1)")).filter((r) => !before.has(r.name));
    const kinds = await e.eval<Record<string, string>>(
      "(function(){var o={};for(var k in global)o[k]=typeof global[k]==='function'?'function':(global[k]&&global[k].buffer?'typed':typeof global[k]);return o;})()",
    );
    const byKind: Record<string, { n: number; vars: number }> = {};
    for (const r of rows) {
      const k = kinds[r.name] ?? "?";
      byKind[k] = byKind[k] ?? { n: 0, vars: 0 };
      byKind[k].n++;
      byKind[k].vars += r.size;
    }
    console.log("where the variables go (64-bit build, readable-names bundle, 2s25p, objects overlap where they share):");
    for (const [k, v] of Object.entries(byKind)) console.log(`  ${k.padEnd(9)} ${String(v.n).padStart(4)} bindings ${String(v.vars).padStart(6)} vars`);
    const top = rows.sort((a, b) => b.size - a.size).slice(0, 16);
    console.log("  largest: " + top.map((r) => `${r.name} ${r.size}`).join(", "));
    const sup = top.find((r) => r.name === "sup");
    if (sup) {
      const fields = (await e.eval<SizeRow[]>("E.getSizeOf(sup,1)")).sort((a, b) => b.size - a.size).slice(0, 14);
      console.log("  sup's fields: " + fields.map((r) => `${r.name} ${r.size}`).join(", "));
    }
  } finally {
    await e.close();
  }
}

export async function deviceFigures(): Promise<void> {
  const it = findInterpreters();
  if (!it.counter64 || !(it.puck32 || it.roomy32)) {
    console.log(`device      not measured: ${HOW_TO_GET}`);
    return;
  }
  const firmware = readFileSync(BUNDLE_PATH, "latin1");
  const api = readFileSync(API_PATH, "latin1");
  const soak_s = arg("--soak-s", 120);
  const only = process.argv.indexOf("--only") >= 0 ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  console.log(`device      Espruino for Linux; firmware ${firmware.length} B as .bootcde, module ${api.length} B as ${API_FILE}; link fed from the simulator's encoder in 32-byte chunks`);
  if (which("valgrind")) console.log(`reference   one loop of 1000 = ${(await referenceLoop(it.counter64)).toFixed(0)} x86 instructions (64-bit build)`);
  for (const b of BENCH_BANKS) {
    if (only && !b.name.startsWith(only)) continue;
    const feed = bankFeed(b.cfg);
    const l = { firmware, api, feed };
    console.log(`\n== ${b.name}: ${feed.data.length / feed.seconds} B/s on the link`);
    if (it.puck32) {
      const m = await measureMemory(it.puck32, l, 2);
      const oom = m.errors.filter((x) => /memory/i.test(x));
      console.log(`RAM puck32  pool ${PUCK_VARIABLES}: ${oom.length ? "OUT OF MEMORY while loading (" + oom[0].trim() + ")" : `firmware ${m.firmware} vars after boot, ${m.free} free`} [baseline ${m.baseline}]`);
    }
    if (it.roomy32) {
      const m = await measureMemory(it.roomy32, l, 3);
      console.log(`RAM 32-bit  firmware ${m.firmware} vars after boot + 3 s (13-byte vars, pool ${m.total}); with the interpreter's own ${m.bare}, a Puck.js would have ${PUCK_VARIABLES - m.bare - m.firmware} free [stand-in baseline ${m.baseline}]${m.errors.length ? " errors: " + m.errors.join(" | ") : ""}`);
    }
    const boot = await measureMemory(it.counter64, l, 5);
    const soak = await measureMemory(it.counter64, l, soak_s, 3_600_000);
    console.log(`RAM 64-bit  firmware ${boot.firmware} vars after 5 s, ${soak.firmware} after ${soak_s} s of virtual time (growth ${soak.firmware - boot.firmware})${soak.errors.length ? " errors: " + soak.errors.join(" | ") : ""}`);
    if (which("valgrind")) {
      const c = await measureCpu(it.counter64, l);
      console.log(`CPU         per second of operation, in reference loops: idle ${c.idle.toFixed(2)}, link ${c.link.toFixed(2)}, link + status() poll ${c.poll.toFixed(2)} (subtracted: the stand-in's feed ${c.feedOverhead.toFixed(2)}, and its JavaScript for what a Puck.js does natively: idle ${c.standIn.idle.toFixed(3)}, link ${c.standIn.link.toFixed(3)}, poll ${c.standIn.poll.toFixed(3)}); the bank's arrival (first 30 s of the link, once per boot) ${c.arrival.toFixed(1)} in all`);
    } else console.log("CPU         not measured: valgrind is missing (apt-get install valgrind)");
  }
  await flashFigures(it.counter64, firmware, api);
  await breakdown(it.counter64);
}

/** What a day on a bank leaves in Storage: the firmware and its records. */
async function flashFigures(counter64: string, firmware: string, api: string): Promise<void> {
  const e = await Engine.boot({ binary: counter64, files: storageFiles({ firmware, api, feed: bankFeed(BENCH_BANKS[0].cfg) }), timeout_ms: 3_600_000 });
  try {
    await e.run('VC.link("feed")');
    await e.run("VC.run(7200)");
    const files = await e.eval<Record<string, number>>(
      "(function(){var s=require('Storage'),o={};s.list().forEach(function(f){if(f!=='.boot0'&&f!=='feed'&&f!=='feed.i')o[f]=s.read(f).length;});return o;})()",
    );
    const data = Object.entries(files).filter(([f]) => f !== ".bootcde" && f !== API_FILE);
    const dataBytes = data.reduce((n, [, v]) => n + v, 0);
    console.log(`\nflash       firmware ${files[".bootcde"]} B + ${files[API_FILE]} B (${API_FILE}); after 2 h on 1s1p, ${data.length} data files ${dataBytes} B: ${data.map(([f, v]) => `${f} ${v}`).join(", ")}`);
  } finally {
    await e.close();
  }
}
