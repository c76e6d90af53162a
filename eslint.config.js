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
 * Nothing in src/ allocates outside a constructor or an init function named new*, make* or
 * build* (docs/architecture.md): no object/array literal, `new`, template string or closure in
 * any other function, so nothing on the tick path makes garbage on a board with ~2600 variables.
 * The files below are the exceptions, each for a reason that keeps it off the per-tick path:
 */
const MAY_ALLOCATE = [
  // the on-demand module: loaded when a client calls `bms`, its replies are new objects
  "src/api.ts", "src/api-module.ts", "src/config.ts", "src/settings.ts", "src/codes.ts",
  // records: built every few minutes at most, and read once at boot; the learned list is saved
  // and shown only when it changes
  "src/record.ts", "src/link/learned.ts", "src/boot.ts", "src/soc/monitor.ts", "src/readout/keys.ts",
  // AES gives a new buffer once per changed payload (at most once a minute unless a code changes)
  "src/readout/readout.ts", "src/readout/crypt.ts",
  // byte views (subarray) of the receive buffer per record or frame of link data
  "src/link/decoder.ts",
  // the hardware adapter builds its closures once; its per-tick functions allocate nothing
  "src/hal/**/*.ts", "src/main.ts",
];

/**
 * Only the hardware layer (src/hal/) and the entry (src/main.ts) touch the board: pins, radio,
 * UART, watchdog, console, Storage. The pure core may call Espruino's native computation helpers
 * (E.CRC32, E.sum, E.toArrayBuffer, E.toFlatString, E.hwRand), which the simulated board
 * provides as well.
 */
const HARDWARE_GLOBALS = ["NRF", "Bluetooth", "Serial1", "Serial2", "setWatch", "clearWatch", "digitalWrite", "digitalRead",
  "digitalPulse", "pinMode", "analogRead", "analogWrite", "peek32", "poke32", "LED1", "LED2", "LED3", "BTN", "BTN1",
  "require", ...Array.from({ length: 32 }, (_, k) => "D" + k)];
const HARDWARE_E = ["kickWatchdog", "enableWatchdog", "setPassword", "lockConsole", "getTemperature", "getAnalogVRef",
  "setFlags", "reboot", "on"];

const ALLOCATES = ":matches(ObjectExpression, ArrayExpression, NewExpression, TemplateLiteral, ArrowFunctionExpression, FunctionExpression)";
const NO_ALLOC = [
  [`MethodDefinition[kind!="constructor"] > FunctionExpression ${ALLOCATES}`, "allocates in a method"],
  [`FunctionDeclaration:not([id.name=/^(new|make|build)/]) ${ALLOCATES}`, "allocates in a function"],
].map(([selector, what]) => ({
  selector,
  message: `${what}: every call makes garbage on a board with ~2600 variables; preallocate in a constructor or a new*/make*/build* function, or name the file in MAY_ALLOCATE with its reason [no-alloc]`,
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
    name: "espruino-gate/no-alloc",
    files: ["src/**/*.ts"],
    ignores: MAY_ALLOCATE,
    rules: {
      // repeats the gate's syntax list: a later block replaces the rule's options, not adds to them
      "no-restricted-syntax": ["error", ...SYNTAX.map(([id, selector, why]) => ({ selector, message: tag(id, why) })), ...NO_ALLOC],
    },
  },
  {
    name: "espruino-gate/hardware-layer",
    files: ["src/**/*.ts"],
    ignores: ["src/hal/**/*.ts", "src/main.ts"],
    rules: {
      // the core declares the ports it needs (src/ports.ts); the hardware layer implements them
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/hal/*", "./hal/*"],
        message: "the core imports no part of the hardware layer: declare what it needs in src/ports.ts [hardware-layer]" }] }],
      // repeats the gate's lists for the same reason
      "no-restricted-globals": ["error", ...GLOBALS.map(([name, instead]) => ({
        name,
        message: tag("missing-global", `${name} does not exist on Espruino; ${instead}`),
      })), ...HARDWARE_GLOBALS.map((name) => ({
        name,
        message: `${name} touches the board: only src/hal/ and src/main.ts may; give the core a port (docs/architecture.md) [hardware-layer]`,
      }))],
      "no-restricted-properties": ["error", ...STATICS.map(([object, property, instead]) => ({
        object,
        property,
        message: tag("missing-static", `${object}.${property} does not exist on Espruino; ${instead}`),
      })), ...HARDWARE_E.map((property) => ({
        object: "E",
        property,
        message: `E.${property} touches the board: only src/hal/ and src/main.ts may; give the core a port (docs/architecture.md) [hardware-layer]`,
      }))],
    },
  },
]);
