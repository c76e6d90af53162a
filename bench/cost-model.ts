// The variable cost of each kind of thing the firmware can hold, measured on the 32-bit
// 2,630-variable interpreter (13-byte variables, the Puck.js v2 layout): each snippet is a Storage
// file run from flash, as the firmware is, and weighed by process.memory() before and after.
// Usage: npm run bench -- --cost-model        (docs/device-budget.md quotes the result)
import { Engine, findInterpreters, HOW_TO_GET } from "../tools/espruino/engine.ts";
import { storageFiles } from "../tools/espruino/measure.ts";

const N = 20;
const rep = (f: (k: number) => string): string => Array.from({ length: N }, (_, k) => f(k)).join("\n");

/** name, what one unit is, the snippet defining N of them (in a function scope, as the bundle) */
const SNIPPETS: [string, string, string][] = [
  ["function", "a module-level function with 2 parameters", rep((k) => `function f${k}(a,b){return a+b+${k};}`) + "var o=f0;"],
  ["closure", "an arrow function kept in a property", `var o={};` + rep((k) => `o.c${k}=function(x){return x+${k};};`)],
  ["method", "a class method", `class C{${rep((k) => `m${k}(a){return a+${k};}`)}}var o=new C();`],
  ["property (number)", "an object property holding a number", `var o={${rep((k) => `p${k}:${k + 0.5}`).replace(/\n/g, ",")}};`],
  ["property (short int)", "an object property holding a small integer", `var o={${rep((k) => `q${k}:${k}`).replace(/\n/g, ",")}};`],
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
