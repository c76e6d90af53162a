// Build the firmware: type-check src/ (no emit), bundle it with esbuild into two minified files,
// the resident dist/bms.js (.bootcde) and the on-demand module dist/bms-api.js (the Storage file
// API_FILE), check both against the Espruino subset, and enforce the size budget.
// Usage: npm run build            (exit 1 on a type error, a gate violation or over budget)
//        npm run build -- --profile 12-200   the Smart BMS 12-200: dist/12-200/bms.js and bms-api.js
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { checkBundle, formatViolation } from "./gate/bundle-check.ts";
import { aliasGlobals, aliasNatives, chainAssignments, dropInitOnly, expressOnce, flattenBlocks, inlineCalls, inlineConstants, nestInto, propagateCopies, shareStrings, wordLiterals, foldConstants } from "./shrink-resident.ts";
import { assignNames } from "./assign-names.ts";
import { mangleableNames } from "./mangle-names.ts";
import { storedBytes } from "./pretokenise.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_PATH = join(ROOT, "dist", "bms.js");
/** the on-demand module: the `bms` API, the RPC, settings checks, views (src/api-module.ts) */
export const API_PATH = join(ROOT, "dist", "bms-api.js");
/** its name in Storage, next to .bootcde (one definition, read by the firmware too) */
export { API_FILE } from "../src/files.ts";
/** build profiles (src/profile.ts): the default is the smallBMS NG */
export const PROFILES = ["ng", "12-200"];
/** where a profile's two files go: the smallBMS NG keeps dist/, another profile gets dist/<name>/ */
export function profilePaths(profile: string): { firmware: string; api: string } {
  if (profile === "ng") return { firmware: BUNDLE_PATH, api: API_PATH };
  return { firmware: join(ROOT, "dist", profile, "bms.js"), api: join(ROOT, "dist", profile, "bms-api.js") };
}
/**
 * Property names cost flash and, in live objects, RAM on Espruino. The build shortens every one
 * that only src/ declares and uses, derived from the code by the type checker
 * (tools/mangle-names.ts): never a name of an Espruino or JavaScript API, a settings key, a `bms`
 * method, an untyped object key (it may be stored as JSON or handed to an API); quoted keys (every
 * reply key in src/api.ts) are never shortened.
 */
export function mangleRegExp(names = mangleableNames(ROOT)): RegExp {
  return new RegExp("^(?:" + names.mangle.join("|") + ")$");
}

/**
 * A ceiling on the bundle's text size so growth is seen at once. The real limits are measured on
 * Espruino's interpreter (docs/device-budget.md): variables after boot, CPU per second, bytes in
 * flash. They replace this figure as failing tests; until then it only stops runaway growth.
 */
// (28 KB until the bank's native reductions added 1.2 KB of resident code for 1.4 reference
// loops a second less; 29.5 KB until the build aliased `this` in methods, tools/shrink-resident.ts,
// and the code masks became numbers the build folds; 27.9 KB until the bank frame's receive
// buffer and column copies, 0.3 KB, took 50 batteries from 9.2 to 2.5 reference loops a second;
// 28.2 KB of plain text until the files were stored pretokenised: it counts stored bytes since;
// 24.6 KB until the memory guards on settings calls, 0.2 KB that keep a change that does not fit
// from running Espruino out of memory; 24.8 KB until the records were read at boot by the
// on-demand module, which took the settings table, checks and record reading out of .bootcde)
export const BUDGET_BYTES = 23 * 1024;
/**
 * The Smart BMS 12-200 carries its own rules, settings and codes on top (src/vehicle/): its
 * growth stop is 2.5 KB higher. Like the smallBMS NG, it is not yet within the device budgets.
 */
export const PROFILE_EXTRA_BYTES = 2.5 * 1024;

function typeCheck(): void {
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["-p", join(ROOT, "tsconfig.json")], { stdio: "inherit" });
}

/**
 * `breakdown`: the same code with readable names and no wrapper function, so that every
 * module-level binding is a global the device bench can weigh with E.getSizeOf (never uploaded).
 */
export async function bundle(opts: { breakdown?: boolean; profile?: string } = {}): Promise<{ firmware: string; api: string; names: Record<string, string | false> }> {
  const readable = opts.breakdown === true;
  const define: Record<string, string> = { __PROFILE__: opts.profile && opts.profile !== "ng" ? JSON.stringify(opts.profile) : "undefined" };
  // the settings' defaults as a literal for the resident file (src/defaults.ts), from the one table
  const defaults = defaultsLiteral(await profileDefaults(define));
  const names = mangleableNames(ROOT);
  const mangle = mangleRegExp(names);
  // the resident firmware first; its property names, shortened, are handed to the module's build
  // so that both files name every shared property the same way
  const both = async (cache: Record<string, string | false>) => {
    const firmware = await bundleOne(join(ROOT, "src", "main.ts"), readable, readable ? "" : "(function(){", readable ? "" : "})();", cache, define, mangle, undefined, [defaults]);
    // the module is one expression: a function whose value is the object src/api-module.ts sets
    // (its record reading at boot nested in `bootRecords`: made only while the records are read)
    const api = await bundleOne(join(ROOT, "src", "api-module.ts"), readable, "(function(){var API;", "return API;})()", firmware.mangleCache, define, mangle, "bootRecords");
    return { firmware, api };
  };
  // twice: the second time each shortened property's name goes by how often the first wrote it
  // (tools/assign-names.ts), so that the most used have one letter
  const first = await both({ at: false, flat: false });
  const { firmware, api } = await both(assignNames(first.api.mangleCache, [first.firmware.text, first.api.text], names.keep));
  // the file is the body of a function: the firmware makes it one with Function(text) and calls
  // it (src/hal/store.ts), so that the module's functions close over no scope of the firmware's
  const head = "(function(){";
  const tail = "})()";
  const text = api.text.replace(/;$/, "");
  if (!text.startsWith(head) || !text.endsWith(tail)) throw new Error("bms-api.js: the module is not one function call");
  // Espruino has no strict mode: its parser takes the directive esbuild writes (tsconfig's
  // `strict`) as a string statement that does nothing, 13 bytes of flash. The type checker and the
  // bundle check hold the code to what strict mode would
  const resident = firmware.text.replace(/^\(function\(\)\{"use strict";/, "(function(){");
  return { firmware: resident, api: text.slice(head.length, -tail.length), names: api.mangleCache };
}

/**
 * src/defaults.ts as a literal: written with bare keys, so that esbuild shortens them like every
 * other property the code reads (the module finds a setting's held key by its place in the
 * schema, src/settings.ts heldKey). A JSON `define` would keep the long names: esbuild never
 * shortens a key that came from JSON.
 */
function defaultsLiteral(values: Record<string, unknown>): esbuild.Plugin {
  const body = Object.keys(values).map((k) => k + ":" + JSON.stringify(values[k])).join(",");
  return {
    name: "defaults-literal",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]defaults\.ts$/ }, () => ({
        contents: 'import type { Settings } from "./settings";\nexport const DEFAULTS: Settings = {' + body + "};\n",
        loader: "ts",
      }));
    },
  };
}

/** defaultSettings() of src/settings.ts as the profile's build sees it */
async function profileDefaults(define: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await esbuild.build({
    stdin: { contents: 'import { defaultSettings } from "./settings"; module.exports = defaultSettings();', resolveDir: join(ROOT, "src"), loader: "ts" },
    bundle: true,
    write: false,
    format: "cjs",
    define,
    platform: "neutral",
    logLevel: "warning",
  });
  const m = { exports: {} };
  new Function("module", r.outputFiles[0].text)(m);
  return m.exports as Record<string, unknown>;
}

/** globals the resident file may name through a variable of its own (tools/shrink-resident.ts
 * aliasGlobals), when that saves more than ALIAS_MIN_SAVED_B bytes of flash for the variable or
 * so the alias holds (40 B until the twelfth session; at 12 B `Uint32Array`, `Int32Array`,
 * `process` and `digitalWrite` joined: 85 B less for 4 variables more at 2s25p, measured) */
// (not `Math` or `Object`: the bundle gate checks their members by name, tools/gate/bundle-check.ts)
const ALIASED_GLOBALS = ["Uint8Array", "Uint16Array", "Uint32Array", "Int16Array", "Int32Array", "digitalRead", "process", "digitalWrite", "setTimeout", "pinMode", "setWatch"];
const ALIAS_MIN_SAVED_B = 12;
/** built-ins the tick calls every second, held in variables of the resident file (tools/shrink-resident.ts
 * aliasNatives): each call then skips Espruino's lookup by name, for ~2 variables an alias. Static
 * members only (they need no `this`); the calls a second at 1s1p are in docs/device-budget.md */
const ALIASED_NATIVES = ["Math.round", "Math.min", "Math.max", "E.CRC32", "E.convolve", "E.sum"];

/** built-ins the on-demand module calls through a variable of its own, for the flash alone */
const MODULE_NATIVES = ["Math.round", "Array.isArray"];
/** a string the module writes more than once is held in one variable when that saves more than this (tools/shrink-resident.ts shareStrings) */
const SHARE_MIN_SAVED_B = 10;

async function bundleOne(entry: string, readable: boolean, banner: string, footer: string, mangleCache: Record<string, string | false>, define: Record<string, string>, mangle: RegExp, nest?: string, plugins: esbuild.Plugin[] = []) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    // CommonJS keeps `require("Storage")` a plain call (iife/esm would add a Proxy-based shim
    // Espruino lacks); our own wrapper gives one scope, so minified names never land on global.
    format: "cjs",
    banner: { js: banner },
    footer: { js: footer },
    external: ["Storage", "crypto"],
    plugins,
    mangleProps: mangle,
    // never hand out a short name that is a method Espruino lacks (the gate refuses calls to it):
    // a property listed as "not mangled" in the cache is a name the mangler will not produce
    mangleCache,
    define,
    target: "es2020", // keeps class/let/const/arrow; the gate refuses what Espruino lacks
    minifySyntax: true,
    minifyWhitespace: true,
    // readable names here: the constants are inlined and the load-only functions let go first
    // (tools/shrink-resident.ts), then minified
    minifyIdentifiers: false,
    legalComments: "none",
    charset: "utf8",
    platform: "neutral",
    logLevel: "warning",
  });
  let text = result.outputFiles[0].text;
  if (!readable) {
    text = inlineCalls(inlineConstants(text).code, nest).code;
    // (the resident file: the module's top level runs at every load, and keeps `bootRecords`)
    if (!nest) text = expressOnce(text).code;
    text = dropInitOnly(text).code;
    // the resident file only: the module's globals live only while it is loaded
    if (!nest) text = aliasNatives(aliasGlobals(text, ALIASED_GLOBALS, ALIAS_MIN_SAVED_B).code, ALIASED_NATIVES).code;
    // the module: only the built-ins it calls often enough to save flash (its variables live only
    // while it is loaded: 9 calls of Math.round are 68 B less, 4 of Array.isArray 32 B)
    if (nest) text = nestInto(shareStrings(aliasNatives(text, MODULE_NATIVES).code, SHARE_MIN_SAVED_B).code, nest).code;
    text = (await esbuild.transform(text, { minify: true, target: "es2020", charset: "utf8", legalComments: "none" })).code;
    // (minified again once the braces are gone: it joins the lets that are now next to each other)
    text = (await esbuild.transform(propagateCopies(flattenBlocks(text).code).code, { minify: true, target: "es2020", charset: "utf8", legalComments: "none" })).code;
    text = wordLiterals(chainAssignments(foldConstants(text).code).code).code;
  }
  return { text: text.replace(/\n$/, ""), mangleCache: result.mangleCache ?? {} };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--profile");
  const profile = at > 0 ? process.argv[at + 1] ?? "" : "ng";
  if (!PROFILES.includes(profile)) {
    console.error(`unknown profile "${profile}": one of ${PROFILES.join(", ")}`);
    process.exit(1);
  }
  const paths = profilePaths(profile);
  typeCheck();
  const out = await bundle({ profile });
  mkdirSync(dirname(paths.firmware), { recursive: true });
  let failed = false;
  let total = 0;
  for (const [path, code] of [[paths.firmware, out.firmware], [paths.api, out.api]]) {
    writeFileSync(path, code);
    const name = "dist/" + (profile === "ng" ? "" : profile + "/") + basename(path);
    const violations = checkBundle(readFileSync(path, "utf8"), path === paths.api);
    // what reaches flash: the upload stores it pretokenised (tools/pretokenise.ts)
    const size = storedBytes(code);
    total += size;
    console.log(`${name}: ${Buffer.byteLength(code)} bytes, ${size} as stored (pretokenised), gate: ${violations.length} violation(s)`);
    for (const v of violations) console.error(formatViolation(name, v));
    if (violations.length > 0) failed = true;
  }
  const budget = profile === "ng" ? BUDGET_BYTES : BUDGET_BYTES + PROFILE_EXTRA_BYTES;
  console.log(`both files as stored: ${total} bytes of ${budget} budget (${((total / budget) * 100).toFixed(1)} %)`);
  if (total > budget) {
    console.error(`the firmware is over budget by ${total - budget} bytes`);
    failed = true;
  }
  if (failed) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
