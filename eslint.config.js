// Espruino compatibility gate, layer 1: lint the firmware source (src/) so that it stays inside the
// subset the real Espruino 2v29 interpreter accepts (docs/espruino.md, docs/espruino-gate.md).
// Layer 2 (tools/gate/bundle-check.ts) checks the built bundle for the same list, plus hoisting.
//
// Every gate message ends in "[rule-id]"; the ids are the same in both layers and in the fixtures
// under test/fixtures/gate/. Run: `npx eslint src` (npm run lint).
//
// Not a lint rule on purpose: String.prototype.indexOf/includes/replace give a FALSE MATCH on
// Espruino when the text ends with the start of the needle ("abc".indexOf("cd") === 2). Banning
// them would flag every ordinary use, so instead: parsing code must guard every match (check that
// the whole needle really is there, e.g. compare the slice, or compare bytes yourself).
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const DOC = "(docs/espruino.md)";
const LOOPS = "ForStatement, ForInStatement, ForOfStatement, WhileStatement, DoWhileStatement";

/** [rule id, esquery selector, why it fails]: one entry of no-restricted-syntax each. */
const SYNTAX = [
  ["default-param", ":function > AssignmentPattern, TSParameterProperty > AssignmentPattern",
    "default parameters are a SyntaxError on Espruino; test for undefined in the body"],
  ["rest-param", ":function > RestElement", "rest parameters (...args) are a SyntaxError on Espruino; pass an array"],
  ["spread", "SpreadElement", "spread (...x in calls, arrays or objects) is a SyntaxError on Espruino; use apply/concat/Object.assign"],
  ["destructuring", "ObjectPattern, ArrayPattern",
    "destructuring (declarations, parameters, assignments, for-of heads, catch parameters) is a SyntaxError on Espruino"],
  ["computed-key", "ObjectExpression > Property[computed=true]",
    "computed keys {[k]: v} are a SyntaxError on Espruino; assign o[k] = v afterwards"],
  ["computed-key", ":matches(MethodDefinition, PropertyDefinition, AccessorProperty)[computed=true]",
    "computed class member names are a SyntaxError on Espruino"],
  ["label", "LabeledStatement", "labelled statements (labelled break/continue) are a SyntaxError on Espruino; use a flag or a function"],
  ["exponent", "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']",
    "** and **= are a SyntaxError on Espruino; use Math.pow"],
  ["optional-chain", "ChainExpression", "optional chaining ?. is a SyntaxError on Espruino; test for null first"],
  ["logical-assign",
    "AssignmentExpression[operator='??='], AssignmentExpression[operator='||='], AssignmentExpression[operator='&&=']",
    "logical assignment ??= ||= &&= is a SyntaxError on Espruino; write a = a ?? b"],
  ["tagged-template", "TaggedTemplateExpression", "tagged templates are a SyntaxError on Espruino; call a function"],
  ["generator", ":function[generator=true]", "generators are not supported by Espruino"],
  ["async", ":function[async=true], AwaitExpression:not(:function AwaitExpression), ForOfStatement[await=true]",
    "async/await is not supported by Espruino; use Promise then/catch"],
  ["bigint-literal", "Literal[bigint]", "BigInt literals are a SyntaxError on Espruino"],
  ["extends-error",
    ":matches(ClassDeclaration, ClassExpression)[superClass.type='Identifier'][superClass.name=/^(Aggregate|Eval|Range|Reference|Syntax|Type|URI)?Error$/]",
    "class X extends Error does not work on Espruino; throw new Error(msg) or return a code"],
  ["private-field", "PrivateIdentifier",
    "#private members are outside the measured Espruino subset and esbuild lowers them to WeakMap, which Espruino lacks; use a plain property"],
  ["arguments",
    "Identifier[name='arguments']" + // the variable, not a property or member called "arguments"
      ":not(MemberExpression[computed=false] > Identifier.property):not(Property[computed=false] > Identifier.key)" +
      ":not(:matches(MethodDefinition, PropertyDefinition)[computed=false] > Identifier.key)",
    "arguments.length counts the declared parameters on Espruino, not the ones passed; declare the parameters"],
  ["json-reviver", "CallExpression[callee.object.name='JSON'][callee.property.name='parse'][arguments.length>1]",
    "JSON.parse ignores its reviver on Espruino; walk the result yourself"],
  ["clear-all",
    "CallExpression[callee.type='Identifier'][callee.name=/^clear(Watch|Timeout|Interval)$/][arguments.length=0]",
    "clearWatch()/clearTimeout()/clearInterval() with no argument clear ALL of them on Espruino; keep the id and pass it"],
  ["clear-all",
    "CallExpression[callee.type='Identifier'][callee.name=/^clear(Watch|Timeout|Interval)$/][arguments.0.type='Identifier'][arguments.0.name='undefined']",
    "clearWatch/clearTimeout/clearInterval(undefined) throws on Espruino; guard the id"],
  // Espruino's `let` has no per-iteration binding, so every closure made in a loop sees the last
  // value. This also covers `for (let ...)` loops that create closures.
  ["function-in-loop", `:matches(${LOOPS}) :matches(:function, ClassDeclaration, ClassExpression)`,
    "functions created inside a loop all share the loop's last values on Espruino (no per-iteration let); create the function outside the loop"],
  ["missing-static", "MemberExpression[object.object.name='Array'][object.property.name='prototype'][property.name='slice']",
    "Array.prototype.slice.call fails on Espruino; use [].slice.call"],
];

/** Prototype methods Espruino lacks, reported when called: [name, what to do instead]. */
const METHODS = [
  ["flat", "concat the parts in a loop"],
  ["flatMap", "map, then concat in a loop"],
  ["at", "index with a[i] (a[a.length - 1] for the last)"],
  ["finally", "repeat the code in then and catch"],
  ["trimStart", "use trim() or a loop"],
  ["trimEnd", "use trim() or a loop"],
  ["replaceAll", "use split(x).join(y)"],
];
for (const [name, instead] of METHODS) {
  SYNTAX.push(["missing-method", `CallExpression[callee.type='MemberExpression'][callee.computed=false][callee.property.name='${name}']`,
    `.${name}() does not exist on Espruino; ${instead}`]);
}

/** Globals Espruino lacks: [name, what to do instead]. */
const GLOBALS = [
  ["Map", "use a plain object or parallel arrays"],
  ["Set", "use a plain object or an array"],
  ["WeakMap", "use a plain property"],
  ["WeakSet", "use a plain property"],
  ["WeakRef", "hold the object or drop it"],
  ["FinalizationRegistry", "release resources explicitly"],
  ["Symbol", "use a string key"],
  ["Proxy", "write the accessors out"],
  ["Reflect", "use Object.* or a direct call"],
  ["BigInt", "use numbers (53-bit integers) or typed arrays"],
  ["structuredClone", "copy by hand or JSON.parse(JSON.stringify(x))"],
  ["queueMicrotask", "use Promise.resolve().then(fn) or setTimeout(fn, 0)"],
];

/** Static members Espruino lacks: [object, property, what to do instead]. */
const STATICS = [
  ["Array", "from", "loop, or a typed-array constructor"],
  ["Array", "of", "use an array literal"],
  ["Number", "isFinite", "use the global isFinite"],
  ["Number", "isNaN", "use the global isNaN or x !== x"],
  ["Number", "isInteger", "use Math.floor(x) === x"],
  ["Number", "EPSILON", "use a constant such as 2.220446049250313e-16"],
  ["Math", "trunc", "use x < 0 ? Math.ceil(x) : Math.floor(x)"],
  ["Math", "log2", "use Math.log(x) / Math.LN2"],
  ["Math", "hypot", "use Math.sqrt(a * a + b * b)"],
  ["Object", "freeze", "leave it out"],
  ["Object", "seal", "leave it out"],
  ["Object", "is", "use === (and x !== x for NaN)"],
  ["Promise", "race", "settle by hand with a flag"],
  ["Promise", "allSettled", "catch each promise, then Promise.all"],
  ["Promise", "any", "settle by hand with a counter"],
];

const tag = (id, why) => `${why} ${DOC} [${id}]`;

/**
 * The tick path: code that runs every second (or every link byte) for years. Nothing there may
 * allocate (docs/architecture.md): no object/array literal, `new`, template string or closure outside a
 * constructor or an init function named new*, make* or build*. Espruino has ~2600 variables.
 */
const TICK_PATH = ["src/supervisor.ts", "src/decide.ts", "src/protect/**/*.ts",
  "src/link/summary.ts", "src/link/bank.ts",
  "src/soc/counter.ts", "src/soc/history.ts", "src/readout/pack.ts", "src/readout/live.ts"];
// Not listed, on purpose: src/hal/hardware.ts builds the adapter's closures and objects once (its
// setOutputs and setLeds, run every tick, allocate nothing), src/soc/monitor.ts and src/record.ts build a record every 5 minutes,
// src/readout/readout.ts and crypt.ts get a new buffer from Espruino's AES once per changed payload;
// src/link/decoder.ts puts a DataView on each received chunk (a new string from Serial1 anyway) and
// a byte view on each measurement's cells, so that native calls read and copy them (no byte loop).
const ALLOCATES = ":matches(ObjectExpression, ArrayExpression, NewExpression, TemplateLiteral, ArrowFunctionExpression, FunctionExpression)";
const NO_ALLOC = [
  [`MethodDefinition[kind!="constructor"] > FunctionExpression ${ALLOCATES}`, "allocates in a method on the tick path"],
  [`FunctionDeclaration:not([id.name=/^(new|make|build)/]) ${ALLOCATES}`, "allocates in a function on the tick path"],
].map(([selector, what]) => ({
  selector,
  message: `${what}: every tick would make garbage on a board with ~2600 variables; preallocate in a constructor or a new*/make*/build* function [no-alloc]`,
}));

export default defineConfig([
  { ignores: ["dist/**", "node_modules/**"] },
  {
    name: "espruino-gate/src",
    files: ["src/**/*.ts"],
    extends: [tseslint.configs.recommended],
    rules: {
      // eslint-recommended (pulled in by typescript-eslint) pushes towards rest and spread: off.
      "prefer-rest-params": "off",
      "prefer-spread": "off",
      // `let x; ...closure using x...; x = make()` is how load-order cycles are written (no hoisting)
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // require("Storage") is how Espruino loads its built-in modules (esbuild leaves it alone)
      "@typescript-eslint/no-require-imports": "off",
      // `catch (e)` stays legal: optional catch binding is not in the measured subset
      "@typescript-eslint/no-unused-vars": ["error", { caughtErrors: "none", argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", ...SYNTAX.map(([id, selector, why]) => ({ selector, message: tag(id, why) }))],
      "no-restricted-globals": ["error", ...GLOBALS.map(([name, instead]) => ({
        name,
        message: tag("missing-global", `${name} does not exist on Espruino; ${instead}`),
      }))],
      "no-restricted-properties": ["error", ...STATICS.map(([object, property, instead]) => ({
        object,
        property,
        message: tag("missing-static", `${object}.${property} does not exist on Espruino; ${instead}`),
      }))],
    },
  },
  {
    name: "espruino-gate/tick-path",
    files: TICK_PATH,
    rules: {
      // repeats the gate's syntax list: a later block replaces the rule's options, not adds to them
      "no-restricted-syntax": ["error", ...SYNTAX.map(([id, selector, why]) => ({ selector, message: tag(id, why) })), ...NO_ALLOC],
    },
  },
]);
