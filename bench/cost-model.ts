// The variable cost of each kind of thing the firmware can hold, measured on the 32-bit
// 2,630-variable interpreter (13-byte variables, the Puck.js v2 layout): each snippet is a Storage
// file run from flash, as the firmware is, and weighed by process.memory() before and after.
// Usage: npm run bench -- --cost-model        (docs/device-budget.md quotes the result)
import { Engine, findInterpreters, HOW_TO_GET, which } from "../tools/espruino/engine.ts";
import { referenceLoop, storageFiles } from "../tools/espruino/measure.ts";
import { pretokenise } from "../tools/pretokenise.ts";

const N = 20;
const rep = (f: (k: number) => string): string => Array.from({ length: N }, (_, k) => f(k)).join("\n");

/** name, what one unit is, the snippet defining N of them (in a function scope, as the bundle) */
const SNIPPETS: [string, string, string][] = [
  ["function", "a module-level function with 2 parameters", rep((k) => `function f${k}(a,b){return a+b+${k};}`) + "var o=f0;"],
  ["closure", "an arrow function kept in a property", `var o={};` + rep((k) => `o.c${k}=function(x){return x+${k};};`)],
  ["method", "a class method", `class C{${rep((k) => `m${k}(a){return a+${k};}`)}}var o=new C();`],
  ["property (number)", "an object property holding a number", `var o={${rep((k) => `p${k}:${k + 0.5}`).replace(/\n/g, ",")}};`],
  ["property (short int)", "an object property holding a small integer", `var o={${rep((k) => `q${k}:${k}`).replace(/\n/g, ",")}};`],
  ["property (boolean)", "an object property holding true or false", `var o={${rep((k) => `b${k}:${k % 2 ? "true" : "false"}`).replace(/\n/g, ",")}};`],
  ["table row", "a row [id, level, mask] of a plain array table", `var o=[${rep((k) => `["W-B${k}",1,${k}]`).replace(/\n/g, ",")}];`],
  ["object row", "a row {id, level, mask} of a table of objects", `var o=[${rep((k) => `{id:"W-B${k}",level:1,mask:${k}}`).replace(/\n/g, ",")}];`],
  ["array element", "a number in a plain array", `var o=[${rep((k) => `${k * 1000}`).replace(/\n/g, ",")}];`],
  ["Uint16Array element", "a number in a Uint16Array", `var o=new Uint16Array(${N});`],
  ["string char", "a character of a string held in RAM", `var o=E.toString("${"x".repeat(N)}"+"");`],
  ["flash string char", "a character of a string literal left in flash", `var o="${"y".repeat(N)}";`],
];

interface Mem {
  usage: number;
}

export async function costModel(): Promise<void> {
  await variableCosts();
  await textCosts();
}

// CPU: Espruino runs code by lexing it at every call, and a branch not taken is lexed too (it must
// find its end), so text costs whether it runs or not. Six statements as the bundle writes them
// (a `c&&(...)` expression, esbuild's form of an `if`), as an `if` block, and kept in a function of
// their own that is called only when `c`; each called 100 times with c false and with c true.
const SIX = "h[7]<=v||(h[7]=v,d=1),h[8]>=v||(h[8]=v,d=1),h[9]<=v||(h[9]=v,d=1),h[10]>=v||(h[10]=v,d=1),h[11]<=v||(h[11]=v,d=1),h[12]>=v||(h[12]=v,d=1)";
const SIX_BLOCK = "if(!(h[7]<=v)){h[7]=v;d=1}if(!(h[8]>=v)){h[8]=v;d=1}if(!(h[9]<=v)){h[9]=v;d=1}if(!(h[10]>=v)){h[10]=v;d=1}if(!(h[11]<=v)){h[11]=v;d=1}if(!(h[12]>=v)){h[12]=v;d=1}";
const TEXT: [string, string][] = [
  ["empty function", "function(c,h,v){}"],
  ["six statements, expression", `function(c,h,v){var d;c&&(${SIX})}`],
  ["six statements, if block", `function(c,h,v){var d;if(c){${SIX_BLOCK}}}`],
  ["six statements, own function", "function(c,h,v){c&&G(h,v)}"],
];

async function textCosts(): Promise<void> {
  const bin = findInterpreters().counter64;
  if (!bin || !which("valgrind")) {
    console.log("cost model  CPU not measured: needs espruino-counter64 and valgrind");
    return;
  }
  const ref = await referenceLoop(bin);
  const code = `var H=new Float64Array(20);function G(h,v){var d;${SIX}}var F=[${TEXT.map(([, f]) => f).join(",")}];`;
  const e = await Engine.boot({ binary: bin, files: { ".bootcde": pretokenise(code) }, callgrind: true, timeout_ms: 600_000 });
  try {
    console.log("cost model  CPU per call, reference loops (64-bit build, pretokenised, from Storage): not taken / taken");
    for (let i = 0; i < TEXT.length; i++) {
      const per: string[] = [];
      for (const c of [0, 1]) {
        e.dump();
        await e.run(`for(var k=0;k<100;k++)F[${i}](${c},H,5)`);
        per.push((e.dump() / 100 / ref).toFixed(4));
      }
      console.log(`  ${TEXT[i][0].padEnd(30)} ${per.join(" / ")}`);
    }
    if (e.errors.length) console.log("  errors: " + e.errors.join(" | "));
  } finally {
    await e.close();
  }
}

async function variableCosts(): Promise<void> {
  const bin = findInterpreters().puck32;
  if (!bin) {
    console.log(`cost model  not measured: ${HOW_TO_GET}`);
    return;
  }
  const files = storageFiles({});
  // each snippet runs inside a function, like the bundle's one wrapper, and is kept reachable
  SNIPPETS.forEach(([, , code], i) => (files[`s${i}`] = `(function(){${code}\nglobal.keep${i}=o;})();`));
  const e = await Engine.boot({ binary: bin, files });
  try {
    console.log(`cost model  variables per unit on the 32-bit 2,630-variable build (${N} units each, run from Storage):`);
    for (let i = 0; i < SNIPPETS.length; i++) {
      const before = (await e.eval<Mem>("process.memory()")).usage;
      await e.run(`eval(require("Storage").read("s${i}"))`);
      const after = (await e.eval<Mem>("process.memory()")).usage;
      const [name, what] = SNIPPETS[i];
      console.log(`  ${name.padEnd(20)} ${((after - before) / N).toFixed(2).padStart(6)}  ${what}`);
    }
    if (e.errors.length) console.log("  errors: " + e.errors.join(" | "));
  } finally {
    await e.close();
  }
}
