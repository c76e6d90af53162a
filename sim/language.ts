// Make the vm context speak Espruino 2v29's JavaScript, not Node's: remove what the device lacks
// (docs/espruino.md "Language features that fail") so a bundle that slips past the gate fails here too, and
// reproduce the String.indexOf false match that parsing code must guard against.
import vm from "node:vm";

/** Globals and members Espruino 2v29 does not have. */
export const MISSING = {
  globals: ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "Proxy", "Reflect", "BigInt", "structuredClone", "queueMicrotask"],
  members: [
    "Array.from", "Array.of", "Array.prototype.flat", "Array.prototype.flatMap", "Array.prototype.at",
    "Number.isFinite", "Number.isNaN", "Number.isInteger", "Number.EPSILON",
    "Math.trunc", "Math.log2", "Math.hypot", "Object.freeze", "Object.seal", "Object.is",
    "Promise.race", "Promise.allSettled", "Promise.any", "Promise.prototype.finally",
    "String.prototype.trimStart", "String.prototype.trimEnd", "String.prototype.replaceAll",
  ],
};

const SCRIPT = `(function (missing) {
  var g = globalThis;
  missing.globals.forEach(function (n) { delete g[n]; });
  missing.members.forEach(function (path) {
    var parts = path.split("."), o = g;
    for (var i = 0; i < parts.length - 1; i++) o = o[parts[i]];
    delete o[parts[parts.length - 1]];
  });
  // Espruino 2v29: when the text ends with the start of the needle, indexOf reports a hit there
  // ("abc".indexOf("cd") === 2). includes() and replace() with a string share the bug.
  var realIndexOf = String.prototype.indexOf;
  function buggyIndexOf(needle, from) {
    var s = String(this), n = String(needle), r = realIndexOf.call(s, n, from);
    if (r >= 0 || n.length < 2) return r;
    for (var k = n.length - 1; k > 0; k--) {
      var at = s.length - k;
      if (at >= (from || 0) && s.slice(at) === n.slice(0, k)) return at;
    }
    return -1;
  }
  String.prototype.indexOf = buggyIndexOf;
  String.prototype.includes = function (n, from) { return buggyIndexOf.call(this, n, from) >= 0; };
  var realReplace = String.prototype.replace;
  String.prototype.replace = function (pat, rep) {
    if (typeof pat !== "string") return realReplace.call(this, pat, rep);
    var s = String(this), i = buggyIndexOf.call(s, pat);
    if (i < 0) return s;
    return s.slice(0, i) + (typeof rep === "function" ? rep(pat) : rep) + s.slice(i + pat.length);
  };
})`;

export function removeMissingFeatures(ctx: vm.Context): void {
  const fn = vm.runInContext(SCRIPT, ctx) as (m: typeof MISSING) => void;
  fn(MISSING);
}
