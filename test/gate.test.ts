// The Espruino compatibility gate (docs/espruino-gate.md): the bundle check over the fixtures in
// test/fixtures/gate/ (one known-bad snippet per rule id, clean.js with none), more variants of each
// rule, a real esbuild bundle, and the source lint (eslint.config.js) over inline TS snippets.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import * as esbuild from "esbuild";
import { checkBundle, formatViolation } from "../tools/gate/bundle-check.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = join(ROOT, "test", "fixtures", "gate");
/** Each bad fixture marks the start of its one violation with this comment. */
const MARK = "/*^*/";
const FIXTURE_IDS = readdirSync(FIXTURES).filter((f) => f.endsWith(".js") && f !== "clean.js").map((f) => f.slice(0, -3)).sort();

/** 1-based line and column of the code right after the marker. */
function markedAt(source: string): { line: number; column: number } {
  const at = source.indexOf(MARK);
  assert.ok(at >= 0, "fixture has no /*^*/ marker");
  const before = source.slice(0, at + MARK.length);
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
const rulesOf = (code: string): string[] => checkBundle(code).map((v) => v.rule);

describe("Espruino gate: bundle check fixtures", () => {
  it("has a fixture for every rule, clean.js included", () => {
    assert.ok(FIXTURE_IDS.length >= 24, `only ${FIXTURE_IDS.length} fixtures`);
    assert.ok(readdirSync(FIXTURES).includes("clean.js"));
  });

  for (const id of FIXTURE_IDS) {
    it(`${id}.js is reported as ${id}, once, where marked`, () => {
      const source = readFileSync(join(FIXTURES, `${id}.js`), "utf8");
      const found = checkBundle(source);
      assert.ok(found.length >= 1, `${id}.js: no violation`);
      for (const v of found) assert.equal(v.rule, id, formatViolation(`${id}.js`, v));
      assert.equal(found.length, 1, found.map((v) => formatViolation(`${id}.js`, v)).join("\n"));
      const { line, column } = found[0];
      assert.deepEqual({ line, column }, markedAt(source));
      assert.match(found[0].message, /Espruino/);
    });
  }

  it("clean.js (what Espruino does accept) has no violation", () => {
    const found = checkBundle(readFileSync(join(FIXTURES, "clean.js"), "utf8"));
    assert.deepEqual(found.map((v) => formatViolation("clean.js", v)), []);
  });

  it("formats a violation as file:line:col rule: message", () => {
    const [v] = checkBundle("var a=1;\nvar b=a**2;");
    assert.equal(formatViolation("dist/bms.js", v), `dist/bms.js:2:7 exponent: ${v.message}`);
  });
});

/** [code, the one rule it breaks or null when clean, how many violations (default 1)] */
const VARIANTS: Array<[string, string | null, number?]> = [
  ["(function(a,b=2){})()", "default-param"],
  ["class A{m(a=1){}}", "default-param"],
  ["(function(...a){})()", "rest-param"],
  ["f(...a)", "spread"],
  ["new F(...a)", "spread"],
  ["var b=[...a]", "spread"],
  ["var b={...a}", "spread"],
  ["var [a,b]=c", "destructuring"],
  ["[a,b]=[b,a]", "destructuring"],
  ["({a}=c)", "destructuring"],
  ["var {a:{b:[c]}}=d", "destructuring"], // nested: reported once
  ["var {a=1}=d", "destructuring"], // a default inside a pattern is not a default parameter
  ["var {a,...r}=d", "destructuring"],
  ["(function({a}){})()", "destructuring"],
  ["for(const[k,v]of e);", "destructuring"],
  ["try{}catch({message:m}){}", "destructuring"],
  ["class A{[k](){}}", "computed-key"],
  ["class A{[k]=1}", "computed-key"],
  ["var a=o[k],b=o['x'];o[k]=1", null],
  ["a**=2", "exponent"],
  ["a||=1", "logical-assign"],
  ["a&&=1", "logical-assign"],
  ["a?.()", "optional-chain"],
  ["var b=a??1", null],
  ["String.raw`x`", "tagged-template"],
  ["var t=`a${1}b`", null],
  ["class A{*g(){}}", "generator"],
  ["class A{async m(){}}", "async"],
  ["class A extends TypeError{}", "extends-error"],
  ["class A extends B{};class C extends A{}", null],
  ["class A{#x;m(){return this.#x}}", "private-field", 2],
  ["new Set", "missing-global"],
  ["var s=Symbol.iterator", "missing-global"],
  ["Reflect.ownKeys(o)", "missing-global"],
  ["queueMicrotask(f)", "missing-global"],
  ["structuredClone(o)", "missing-global"],
  ["var x=new WeakMap", "missing-global"],
  ["function f(Map){return new Map}", null], // a local, not the global
  ["var o={Map:1,Set:2};o.Map", null],
  ["globalThis.x=1", null],
  ["var m=typeof Map<\"u\"", null], // feature detection is safe
  ["Number.isNaN(x)", "missing-static"],
  ["Number.isInteger(x)", "missing-static"],
  ["var e=Number.EPSILON", "missing-static"],
  ["Math.trunc(x)", "missing-static"],
  ["Math.hypot(x,y)", "missing-static"],
  ["Object.freeze(o)", "missing-static"],
  ["Object.is(a,b)", "missing-static"],
  ["Promise.allSettled([])", "missing-static"],
  ["Array[\"of\"](1)", "missing-static"],
  ["Array.prototype.slice.call(a)", "missing-static"],
  ["[].slice.call(a);Array.isArray(a);Math.sign(a);Number.parseFloat(a);Object.entries(a)", null],
  ["p.finally(f)", "missing-method"],
  ["a.flat()", "missing-method"],
  ["a.flatMap(f)", "missing-method"],
  ["s.trimStart()", "missing-method"],
  ["s.trimEnd()", "missing-method"],
  ["s.replaceAll('a','b')", "missing-method"],
  ["a['at'](0)", "missing-method"],
  ["var x=a.at+a.flat", null], // reading a property of that name is fine
  ["/^a?b$/.test(s)", "regex"],
  ["/a{1,2}/.test(s)", "regex"],
  ["/^(ab)+$/.test(s)", "regex"],
  ["/^(?:ab)$/.test(s)", "regex"],
  ["/a(?=b)/.test(s)", "regex"],
  ["/(a)\\1/.test(s)", "regex"],
  ["new RegExp(\"^a{2}$\").test(s)", "regex"],
  ["RegExp(\"x?\",\"i\").test(s)", "regex"],
  ["new RegExp(p).test(s);new RegExp(\"^[0-9]+$\").test(s)", null], // a pattern not written out is not seen
  // what Espruino 2v29 does match: classes (ranges, negated, a ? or { inside), escapes, groups, |, * and + on a character
  ["/^[0-9a-f]*$/i.test(s);/\"v\":1,\"n\":(\\d+)\\}$/.exec(s);/^[^?{]+$/.test(s);/^a|b$/.test(s);/\\?\\{2\\}/.test(s)", null],
  ["JSON.parse(s)", null],
  ["clearWatch()", "clear-all"],
  ["clearTimeout(void 0)", "clear-all"],
  ["clearInterval(undefined)", "clear-all"],
  ["clearTimeout(t);clearWatch(w)", null],
  ["function f(){return arguments[0]}", "arguments"],
  ["o.arguments=1", null],
  ["while(i--)f(function(){})", "function-in-loop"],
  ["do{var g=class{m(){}}}while(0)", "function-in-loop"], // the class, not its method
  ["for(var k in o)setTimeout(()=>()=>k,1)", "function-in-loop"], // the outer arrow only
  ["for(const x of a){function g(){}g()}", "function-in-loop"],
  ["var g=x=>x;for(let i=0;i<3;i++)g(i)", null],
  ["function f(a){for(;;)if(a)return}", null],
  ["a.forEach(x=>{for(;;)break})", null],
  ["f();function f(){}", "hoisting"], // at the Program level too
  ["new C;function C(){}", "hoisting"],
  ["setTimeout(f,1);function f(){}", "hoisting"], // a reference is undefined there as well
  ["(()=>{(()=>{f()})();function f(){}})()", "hoisting"], // run at once by a nested IIFE
  ["(function(){f()}).call(this);function f(){}", "hoisting"],
  ["!function(){f()}();function f(){}", "hoisting"],
  ["(()=>{(()=>{g();function g(){}})()})()", "hoisting"], // inside a nested IIFE's own list
  ["function g(){return f()}var x=g();function f(){}", "hoisting"], // through an earlier function
  ["function f(){}f()", null],
  ["var h=()=>f();function f(){}h()", null], // only defined before, called after
  ["function a(){return b()}function b(){return 1}a()", null],
  ["(()=>{(()=>{function f(){}f()})();function f(){}})()", null], // the inner f shadows
  ["function f(f){return f()}f(g);function g(){}", "hoisting"], // g itself, as an argument
  ["function o(){return 1}var x={m(){return p()}};function p(){}", null],
  ["var a=", "parse"],
];

describe("Espruino gate: bundle check variants", () => {
  for (const [code, rule, count] of VARIANTS) {
    it(`${rule ?? "clean"}: ${code}`, () => {
      const found = rulesOf(code);
      assert.deepEqual(found, rule === null ? [] : new Array<string>(count ?? 1).fill(rule));
    });
  }

  it("reports accurate lines and columns in multi-line code", () => {
    const found = checkBundle("var a=1;\n  var b=[...c];\n\tclearWatch();");
    assert.deepEqual(found.map((v) => [v.rule, v.line, v.column]), [["spread", 2, 10], ["clear-all", 3, 2]]);
  });
});

describe("Espruino gate: a real esbuild bundle", () => {
  const build = async (contents: string): Promise<string> => {
    const out = await esbuild.build({
      stdin: { contents, loader: "ts", sourcefile: "sample.ts" },
      bundle: true, write: false, format: "iife", target: "es2020", minify: true, logLevel: "silent",
    });
    return out.outputFiles[0].text;
  };

  it("has no false positive on classes, closures, typed arrays, enums, loops", async () => {
    const code = await build(`
      enum Color { Red = 1, Blue = 2 }
      abstract class Base {
        static count = 0;
        protected cells = new Float32Array(16);
        constructor(readonly name: string, private readonly size: number) { Base.count++; }
        get total(): number { let t = 0; for (let i = 0; i < this.size; i++) t += this.cells[i]; return t; }
        abstract step(dt: number): void;
      }
      class Bank extends Base {
        private view = new DataView(new ArrayBuffer(8));
        history: number[] = [];
        constructor(name: string) { super(name, 16); }
        step(dt: number): void {
          for (const c of this.history) this.cells[0] += c * dt;
          this.view.setUint16(0, this.total & 0xffff, true);
          if (\`\${this.name}\`.length > 100) throw new Error("long");
        }
        static make(n: string): Bank { return new Bank(n); }
      }
      function counter() { let n = 0; return { inc: () => ++n, get value() { return n; } }; }
      const mk = (i: number) => () => i * 2;
      const handlers: Array<() => number> = [];
      for (let i = 0; i < 3; i++) handlers.push(mk(i));
      let maybe: number | undefined;
      const c = counter(), b = Bank.make("a"), k = "v";
      const o: Record<string, unknown> = { v: maybe ?? 5, c, color: Color.Red };
      try { b.step(0.1); } catch (e) { console.log(e instanceof Error ? e.message : e); } finally { c.inc(); }
      let w = 0; while (w < 3) { w++; if (w === 2) continue; }
      console.log(o[k], handlers.length, new Uint8Array(4).subarray(1, 3), w === 1 ? void 0 : !0);
    `);
    assert.match(code, /^\(\(\)=>\{/);
    assert.deepEqual(checkBundle(code).map((v) => formatViolation("bundle", v)), []);
  });

  it("accepts esbuild's shim for an external require(\"Storage\") (Espruino has require)", async () => {
    const out = await esbuild.build({
      stdin: { contents: `const s = require("Storage"); console.log(s.readJSON("a", true));`, loader: "ts" },
      bundle: true, write: false, format: "iife", target: "es2020", minify: true, external: ["Storage"], logLevel: "silent",
    });
    const code = out.outputFiles[0].text;
    assert.match(code, /Proxy/); // the shim is there ...
    assert.deepEqual(checkBundle(code).map((v) => formatViolation("bundle", v)), []); // ... and exempt
    assert.deepEqual(rulesOf(`${code};new Proxy({},{})`), ["missing-global"]); // but only the shim
  });

  it("catches what TypeScript and esbuild pass through unchanged", async () => {
    const code = await build(`
      const start = run();
      function run(...parts: number[]): number { const [first = 0] = parts; return first ** 2; }
      const extra: Record<string, number> = JSON.parse("{}");
      console.log(start, { ...extra });
    `);
    assert.deepEqual([...new Set(rulesOf(code))].sort(), ["destructuring", "exponent", "hoisting", "rest-param", "spread"]);
  });
});

/** [rule id, TS source that breaks it]; every message the lint can give is exercised here. */
const LINT_CASES: Array<[string, string]> = [
  ["default-param", "export function f(a = 1) { return a; }"],
  ["default-param", "export class A { constructor(private a = 1) { console.log(this.a); } }"],
  ["rest-param", "export const f = (...a: number[]) => a.length;"],
  ["spread", "export const m = Math.max(...[1, 2]);"],
  ["spread", "export const a = [...[1]];"],
  ["spread", "export const o = { ...{ a: 1 } };"],
  ["destructuring", "const { a } = { a: 1 }; export { a };"],
  ["destructuring", "export function f({ x }: { x: number }) { return x; }"],
  ["destructuring", "let a = 1, b = 2; [a, b] = [b, a]; export { a, b };"],
  ["destructuring", "for (const [k, v] of Object.entries({})) console.log(k, v);"],
  ["destructuring", "try { JSON.parse(''); } catch ({ message }) { console.log(message); }"],
  ["computed-key", "const k = 'a'; export const o = { [k]: 1 };"],
  ["computed-key", "export class A { ['m']() { return 1; } }"],
  ["label", "outer: for (;;) { for (;;) break outer; }"],
  ["exponent", "export const p = 2 ** 3;"],
  ["exponent", "let p = 2; p **= 2; export { p };"],
  ["optional-chain", "export const f = (o: { a?: { b: number } }) => o.a?.b;"],
  ["logical-assign", "export function f(o: { a?: number }) { o.a ??= 1; }"],
  ["logical-assign", "let a = 0; a ||= 1; a &&= 2; export { a };"],
  ["tagged-template", "export const s = String.raw`a`;"],
  ["generator", "export function* g() { yield 1; }"],
  ["async", "export async function f() { return 1; }"],
  ["async", "await Promise.resolve(1); export {};"],
  ["bigint-literal", "export const b = 10n;"],
  ["extends-error", "export class E extends Error {}"],
  ["extends-error", "export const E = class extends RangeError {};"],
  ["private-field", "export class A { #x = 1; }"],
  ["arguments", "export function f() { return arguments.length; }"],
  ["json-reviver", "export const v = JSON.parse('{}', (_k, v) => v);"],
  ["clear-all", "clearWatch();"],
  ["clear-all", "clearTimeout(undefined);"],
  ["function-in-loop", "for (let i = 0; i < 3; i++) setTimeout(() => console.log(i), 1);"],
  ["function-in-loop", "for (const k in {}) [k].forEach(function (x) { console.log(x); });"],
  ["function-in-loop", "let i = 0; while (i++ < 3) { class A {} console.log(A); }"],
  ["function-in-loop", "let i = 0; do { console.log(() => i); } while (i++ < 3);"],
  ["function-in-loop", "for (const x of [1]) { function g() { return x; } g(); }"],
  ["missing-static", "export const a = Array.prototype.slice.call([1]);"],
  ["missing-method", "export const a = [[1]].flat();"],
  ["missing-method", "export const a = [1].flatMap((x) => [x]);"],
  ["missing-method", "export const a = [1].at(-1);"],
  ["missing-method", "export const p = Promise.resolve(1).finally(() => 0);"],
  ["missing-method", "export const s = ' a'.trimStart();"],
  ["missing-method", "export const s = 'a '.trimEnd();"],
  ["missing-method", "export const s = 'aa'.replaceAll('a', 'b');"],
];

const CLEAN_TS = `
import type { Foo } from "./foo";
export const enum Mode { Off, On }
export interface Cell { volts: number }
export class Base {
  static made = 0;
  protected cells = new Float32Array(4);
  constructor(readonly name: string) { Base.made++; }
  get total(): number { let t = 0; for (let i = 0; i < this.cells.length; i++) t += this.cells[i]; return t; }
  static create(name: string): Base { return new Base(name); }
}
export class Bank extends Base {
  private view = new DataView(new ArrayBuffer(4));
  constructor(name: string, private readonly limit: number) { super(name); }
  get total(): number { return Math.min(super.total, this.limit); }
  store(): void { this.view.setUint16(0, this.total & 0xffff, true); }
}
const double = (x: number): number => x * 2;
export function sum(xs: number[], f?: Foo): number {
  let s = 0;
  for (const x of xs) s += double(x);
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s + (f === undefined ? 0 : 1);
}
export function setup(b: Bank, key: string, o: Record<string, number>): number {
  const bits = { b, key };
  const v = o[key] ?? 0;
  let id = setTimeout(() => b.store(), 10);
  try { b.store(); } finally { clearTimeout(id); id = 0; }
  console.log(\`\${bits.key}: \${v}\`, Object.keys(o), [1, 2].map(double), id);
  return Number.parseFloat("1") + Math.sign(v) + (isFinite(v) ? 1 : 0);
}
export const api = { status() { return { on: true }; }, mode: Mode.On };
const storage = require("Storage");
export function read(name: string): unknown { try { return storage.readJSON(name, true); } catch (e) { return undefined; } }
(() => { console.log(sum([1, 2])); })();
`;

describe("Espruino gate: source lint (eslint.config.js)", () => {
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: "eslint.config.js" });
  /** Lint as if it were a file in src/hal/ (the Espruino subset in full, without the layering
   * rules tested below), without the file having to exist. */
  const lint = async (code: string): Promise<Linter.LintMessage[]> =>
    (await eslint.lintText(code, { filePath: "src/hal/__fixture__.ts" }))[0].messages;
  /** The option objects of one rule as configured for src/ (each has a `message`). */
  const configured = async (rule: string): Promise<Array<Record<string, string>>> => {
    const config = (await eslint.calculateConfigForFile(join(ROOT, "src", "hal", "__fixture__.ts"))) as Linter.Config;
    return (config.rules?.[rule] as unknown[]).slice(1) as Array<Record<string, string>>;
  };

  for (const [id, code] of LINT_CASES) {
    it(`${id}: ${code}`, async () => {
      const messages = await lint(code);
      assert.ok(messages.length >= 1, "nothing reported");
      for (const m of messages) {
        assert.equal(m.severity, 2, m.message);
        assert.ok(m.message.endsWith(`(docs/espruino.md) [${id}]`), `${m.ruleId}: ${m.message}`);
      }
    });
  }

  it("reports every configured global and static member", async () => {
    const globals = await configured("no-restricted-globals"), statics = await configured("no-restricted-properties");
    assert.ok(globals.length >= 10 && statics.length >= 15);
    for (const g of globals) {
      const messages = await lint(`export const x = ${g.name};`);
      assert.deepEqual(messages.map((m) => m.message), [`Unexpected use of '${g.name}'. ${g.message}`]);
      assert.ok(g.message.endsWith("[missing-global]"));
    }
    for (const s of statics) {
      const messages = await lint(`export const x = ${s.object}.${s.property};`);
      assert.equal(messages.length, 1, `${s.object}.${s.property}`);
      assert.ok(messages[0].message.endsWith(s.message) && s.message.endsWith("[missing-static]"), messages[0].message);
    }
  });

  it("exercises every no-restricted-syntax message in the cases above", async () => {
    const syntax = await configured("no-restricted-syntax");
    const reported = new Set<string>();
    for (const [, code] of LINT_CASES) for (const m of await lint(code)) reported.add(m.message);
    const untested = syntax.map((s) => s.message).filter((msg) => !reported.has(msg));
    assert.deepEqual(untested, []);
  });

  it("uses the same rule ids as the bundle check", async () => {
    const ids = new Set<string>();
    for (const rule of ["no-restricted-syntax", "no-restricted-globals", "no-restricted-properties"]) {
      for (const e of await configured(rule)) {
        ids.add(/\[([a-z-]+)\]$/.exec(e.message)?.[1] ?? `untagged: ${e.message}`);
      }
    }
    assert.deepEqual([...ids].filter((id) => !FIXTURE_IDS.includes(id)), []);
  });

  it("passes ordinary firmware code (and what Espruino accepts)", async () => {
    const messages = await lint(CLEAN_TS);
    assert.deepEqual(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`), []);
  });
});

describe("gate: nothing in src/ allocates outside constructors and init functions, but named files [no-alloc]", () => {
  const lint = new ESLint({ cwd: ROOT, overrideConfigFile: "eslint.config.js" });
  const noAlloc = async (code: string, filePath: string) =>
    (await lint.lintText(code, { filePath }))[0].messages.filter((m) => m.message.includes("[no-alloc]")).length;
  const cases: [string, string][] = [
    ["an object literal in a method", "export class S { tick(): number { const o = { a: 1 }; return o.a; } }"],
    ["an array literal in a method", "export class S { tick(): number { return [1, 2].length; } }"],
    ["new in a method", "export class S { tick(): number { return new Uint8Array(4).length; } }"],
    ["a closure in a method", "export class S { tick(): () => number { return () => 1; } }"],
    ["a template string in a function", "export function decide(n: number): string { return `${n}`; }"],
  ];
  for (const [what, code] of cases) {
    it(`refuses ${what} in src/supervisor.ts`, async () => assert.equal(await noAlloc(code, "src/supervisor.ts"), 1));
  }
  it("refuses it in any file of src/ not named as an exception, a new one included", async () => {
    assert.equal(await noAlloc(cases[0][1], "src/soc/a-new-module.ts"), 1);
    assert.equal(await noAlloc(cases[1][1], "src/vehicle/vehicle.ts"), 1);
  });
  it("allows allocation in constructors, new*/make*/build* functions and off the tick path", async () => {
    assert.equal(await noAlloc("export class S { a: number[]; constructor() { this.a = [1]; } }", "src/supervisor.ts"), 0);
    assert.equal(await noAlloc("export function newThing(): number[] { return [1]; }", "src/protect/x.ts"), 0);
    assert.equal(await noAlloc("export class S { list(): number[] { return [1]; } }", "src/api.ts"), 0);
  });
});

describe("gate: only src/hal/ and src/main.ts touch the board [hardware-layer]", () => {
  const lint = new ESLint({ cwd: ROOT, overrideConfigFile: "eslint.config.js" });
  const hardware = async (code: string, filePath: string) =>
    (await lint.lintText(code, { filePath }))[0].messages.filter((m) => m.message.includes("[hardware-layer]")).length;
  const cases: [string, string][] = [
    ["a pin write", "export function f(): void { digitalWrite(D1, 1); }"],
    ["the radio", "export function f(): void { NRF.sleep(); }"],
    ["Storage", "export function f(): unknown { return require(\"Storage\").read(\"x\"); }"],
    ["the watchdog", "export function f(): void { E.kickWatchdog(); }"],
    ["a pin name", "export const P = LED1;"],
  ];
  for (const [what, code] of cases) {
    it(`refuses ${what} in the core (src/supervisor.ts) and allows it in src/hal/`, async () => {
      assert.ok((await hardware(code, "src/supervisor.ts")) >= 1);
      assert.equal(await hardware(code, "src/hal/hardware.ts"), 0);
    });
  }
  it("refuses an import of the hardware layer in the core", async () => {
    assert.equal(await hardware('import type { Board } from "./hal/board";\nexport type B = Board;', "src/supervisor.ts"), 1);
    assert.equal(await hardware('import type { Store } from "../ports";\nexport type S = Store;', "src/soc/monitor.ts"), 0);
  });
  it("lets the core call Espruino's native computation helpers", async () => {
    assert.equal(await hardware("export function f(a: Uint8Array): number { return E.CRC32(a) + E.sum(a); }", "src/link/summary.ts"), 0);
  });
});
