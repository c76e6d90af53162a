// Espruino compatibility gate, layer 2: check the built bundle (dist/bms.js, minified esbuild IIFE)
// against the subset the real Espruino 2v29 interpreter accepts (docs/espruino.md). The lint
// (eslint.config.js) keeps src/ inside the subset; this catches what esbuild or a dependency adds,
// and what only the bundle shows: a function used at load time before its declaration (Espruino
// does not hoist). Rule ids match the lint's "[rule-id]" tags and test/fixtures/gate/<rule-id>.js.
import * as acorn from "acorn";
import * as walk from "acorn-walk";

/** One finding. `line` is 1-based, `column` 1-based (acorn's 0-based column + 1), as editors expect. */
export interface Violation { rule: string; message: string; line: number; column: number }

type AnyNode = acorn.AnyNode;
type NodeOf<T extends AnyNode["type"]> = Extract<AnyNode, { type: T }>;
/** Where a node sits: its ancestors (outermost first, the node itself last), whether the walker
 * reached it as a binding (a name being declared/assigned, not read), and every name bound anywhere. */
interface Site { ancestors: AnyNode[]; parent?: AnyNode; binding: boolean; bound: Set<string> }
interface Rule { id: string; types: readonly string[]; check(node: AnyNode, site: Site): string | false | undefined }

type Check<T extends AnyNode["type"]> = (n: NodeOf<T>, s: Site) => string | false | undefined;
function rule<T extends AnyNode["type"]>(id: string, types: readonly T[], check: Check<T>): Rule {
  return { id, types, check: check as Rule["check"] };
}

const SYNTAX_ERROR = "a SyntaxError on Espruino";
const FUNCTIONS = ["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"] as const;
const CLASSES = ["ClassDeclaration", "ClassExpression"] as const;
const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
const PATTERNS = new Set(["ObjectPattern", "ArrayPattern", "AssignmentPattern", "RestElement"]);
const isFunction = (n?: AnyNode): boolean => n !== undefined && (FUNCTIONS as readonly string[]).includes(n.type);
const isScope = (n: AnyNode): boolean => isFunction(n) || (CLASSES as readonly string[]).includes(n.type);

/** Globals Espruino lacks (free identifiers only: a local of the same name is fine). */
const MISSING_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol",
  "Proxy", "Reflect", "BigInt", "structuredClone", "queueMicrotask"]);
/** Static members Espruino lacks (or gets wrong), by dotted path. */
const MISSING_STATICS = new Set(["Array.from", "Array.of", "Array.prototype.slice", "Number.isFinite", "Number.isNaN",
  "Number.isInteger", "Number.EPSILON", "Math.trunc", "Math.log2", "Math.hypot", "Object.freeze", "Object.seal",
  "Object.is", "Promise.race", "Promise.allSettled", "Promise.any"]);
/** Prototype methods Espruino lacks, reported where they are called. */
const MISSING_METHODS = new Set(["flat", "flatMap", "at", "finally", "trimStart", "trimEnd", "replaceAll"]);
const ERROR_CLASSES = /^(Aggregate|Eval|Range|Reference|Syntax|Type|URI)?Error$/;
const LOGICAL_ASSIGN = new Set(["??=", "||=", "&&="]);

/** The name a member access reads: `a.b` and `a["b"]` give "b"; `a[b]` gives undefined. */
function propName(m: acorn.MemberExpression): string | undefined {
  const p = m.property;
  if (!m.computed) return p.type === "Identifier" ? p.name : undefined;
  return p.type === "Literal" && typeof p.value === "string" ? p.value : undefined;
}
/** `Array.prototype.slice` for that expression; undefined when it is not a plain dotted path. */
function dotted(n: AnyNode): string | undefined {
  if (n.type === "Identifier") return n.name;
  if (n.type !== "MemberExpression") return undefined;
  const head = dotted(n.object), name = propName(n);
  return head === undefined || name === undefined ? undefined : `${head}.${name}`;
}
const isFree = (name: string, s: Site): boolean => !s.bound.has(name.split(".")[0]);
/** `typeof Map` is feature detection: it is safe (gives "undefined") on Espruino too. */
const isTypeofOperand = (s: Site): boolean => s.parent?.type === "UnaryExpression" && s.parent.operator === "typeof";

/** esbuild's shim for an external `require("Storage")` in an IIFE:
 * `(e=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(e,...):e)(function(e){...arguments...})`.
 * Espruino has `require`, so the whole call is just `require`: its Proxy and arguments never run. */
function isRequireShim(n: AnyNode): boolean {
  if (n.type !== "CallExpression" || n.callee.type !== "ArrowFunctionExpression") return false;
  const body = n.callee.body, test = body.type === "ConditionalExpression" ? body.test : undefined;
  return test?.type === "BinaryExpression" && test.left.type === "UnaryExpression" && test.left.operator === "typeof" &&
    dotted(test.left.argument) === "require" && body.type === "ConditionalExpression" && dotted(body.consequent) === "require";
}

/**
 * What a regular expression asks of Espruino 2v29's own matcher (src/jswrap_regexp.c) that it
 * does not do, or undefined. Measured on its Linux build: `/^a?b$/` does not match "b",
 * `/a{1,2}/` does not match "a", `/^(ab)+$/` does not match "abab", `/^(?:ab)+$/` and `/a(?=b)/`
 * match nothing, and `/(a)\1/` throws. Node runs them all, so only this check sees them.
 */
export function unsupportedRegex(pattern: string): string | undefined {
  let inClass = false;
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k];
    if (c === "\\") {
      if (!inClass && /[1-9]/.test(pattern[k + 1] ?? "")) return "back-references (\\1)";
      k++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "?") return pattern[k - 1] === "(" ? "(?...) groups" : "the ? quantifier";
    else if (c === "{" && /^\{\d/.test(pattern.slice(k))) return "{n,m} quantifiers";
    else if (c === ")" && /[*+]/.test(pattern[k + 1] ?? "")) return "a quantifier after a group";
  }
  return undefined;
}

/** The syntax and library rules, each looking at a few node types. */
const RULES: Rule[] = [
  rule("default-param", ["AssignmentPattern"], (_n, s) => isFunction(s.parent) && `default parameters are ${SYNTAX_ERROR}`),
  rule("rest-param", ["RestElement"], (_n, s) => isFunction(s.parent) && `rest parameters (...args) are ${SYNTAX_ERROR}`),
  rule("spread", ["SpreadElement"], () => `spread (...x in a call, array or object) is ${SYNTAX_ERROR}`),
  rule("destructuring", ["ObjectPattern", "ArrayPattern"], (_n, s) => {
    // report the outermost pattern only (nested patterns hang directly off their pattern here)
    for (let k = s.ancestors.length - 2; k >= 0 && PATTERNS.has(s.ancestors[k].type); k--) {
      if (s.ancestors[k].type === "ObjectPattern" || s.ancestors[k].type === "ArrayPattern") return false;
    }
    return `destructuring is ${SYNTAX_ERROR}`;
  }),
  rule("computed-key", ["Property", "MethodDefinition", "PropertyDefinition"], (n) =>
    n.computed && `computed keys ({[k]: v}, class [k]() {}) are ${SYNTAX_ERROR}`),
  rule("label", ["LabeledStatement"], () => `labelled statements (labelled break/continue) are ${SYNTAX_ERROR}`),
  rule("exponent", ["BinaryExpression", "AssignmentExpression"], (n) =>
    (n.operator === "**" || n.operator === "**=") && `${n.operator} is ${SYNTAX_ERROR}; use Math.pow`),
  rule("optional-chain", ["ChainExpression"], () => `optional chaining ?. is ${SYNTAX_ERROR}`),
  rule("logical-assign", ["AssignmentExpression"], (n) =>
    LOGICAL_ASSIGN.has(n.operator) && `logical assignment ${n.operator} is ${SYNTAX_ERROR}`),
  rule("tagged-template", ["TaggedTemplateExpression"], () => `tagged templates are ${SYNTAX_ERROR}`),
  rule("generator", FUNCTIONS, (n) => n.generator && "generators are not supported by Espruino"),
  rule("async", [...FUNCTIONS, "ForOfStatement"], (n) =>
    (n.type === "ForOfStatement" ? n.await : n.async) && "async/await is not supported by Espruino"),
  rule("bigint-literal", ["Literal"], (n) => n.bigint !== undefined && `BigInt literals are ${SYNTAX_ERROR}`),
  rule("regex", ["Literal", "CallExpression", "NewExpression"], (n) => {
    // a literal, or RegExp("...") / new RegExp("...") with its pattern written out
    let pattern: string | undefined;
    if (n.type === "Literal") pattern = "regex" in n && n.regex ? n.regex.pattern : undefined;
    else if (n.callee.type === "Identifier" && n.callee.name === "RegExp") {
      const a = n.arguments[0];
      pattern = a?.type === "Literal" && typeof a.value === "string" ? a.value : undefined;
    }
    const what = pattern === undefined ? undefined : unsupportedRegex(pattern);
    return what !== undefined && `Espruino's regular expressions have no ${what}: the match fails there (Node's succeeds)`;
  }),
  rule("extends-error", CLASSES, (n) => n.superClass?.type === "Identifier" && ERROR_CLASSES.test(n.superClass.name) &&
    `class X extends ${n.superClass.name} does not work on Espruino`),
  rule("private-field", ["MemberExpression", "MethodDefinition", "PropertyDefinition", "PrivateIdentifier"], (n) =>
    (n.type === "PrivateIdentifier" || (n.type === "MemberExpression" ? n.property : n.key).type === "PrivateIdentifier") &&
    "#private members are outside the measured Espruino subset"),
  rule("missing-global", ["Identifier"], (n, s) =>
    !s.binding && MISSING_GLOBALS.has(n.name) && isFree(n.name, s) && !isTypeofOperand(s) && `${n.name} does not exist on Espruino`),
  rule("arguments", ["Identifier"], (n, s) => !s.binding && n.name === "arguments" && isFree(n.name, s) &&
    "arguments.length counts the declared parameters on Espruino, not the ones passed"),
  rule("missing-static", ["MemberExpression"], (n, s) => {
    const path = dotted(n);
    if (path === undefined || !MISSING_STATICS.has(path) || !isFree(path, s)) return false;
    return path === "Array.prototype.slice" ? "Array.prototype.slice.call fails on Espruino; use [].slice.call" : `${path} does not exist on Espruino`;
  }),
  rule("missing-method", ["CallExpression"], (n) => {
    const name = n.callee.type === "MemberExpression" ? propName(n.callee) : undefined;
    return name !== undefined && MISSING_METHODS.has(name) && `.${name}() does not exist on Espruino`;
  }),
  rule("json-reviver", ["CallExpression"], (n) => dotted(n.callee) === "JSON.parse" && n.arguments.length > 1 &&
    "JSON.parse ignores its reviver on Espruino"),
  rule("clear-all", ["CallExpression"], (n) => {
    const name = n.callee.type === "Identifier" ? n.callee.name : "";
    if (!/^clear(Watch|Timeout|Interval)$/.test(name)) return false;
    const a = n.arguments[0];
    if (a === undefined) return `${name}() with no argument clears ALL of them on Espruino`;
    const undef = (a.type === "Identifier" && a.name === "undefined") || (a.type === "UnaryExpression" && a.operator === "void");
    return undef && `${name}(undefined) throws on Espruino`;
  }),
  rule("function-in-loop", [...FUNCTIONS, ...CLASSES], (_n, s) => {
    // a loop between this function and the nearest enclosing function: one is made per iteration
    for (let k = s.ancestors.length - 2; k >= 0; k--) {
      if (LOOPS.has(s.ancestors[k].type)) return "a function created inside a loop sees the loop's last values on Espruino (no per-iteration let)";
      if (isScope(s.ancestors[k])) return false;
    }
    return false;
  }),
];

const RULES_BY_TYPE = new Map<string, Rule[]>();
for (const r of RULES) for (const t of r.types) RULES_BY_TYPE.set(t, [...(RULES_BY_TYPE.get(t) ?? []), r]);

/** Names bound anywhere inside `root`: parameters, var/let/const, function/class names, catch, assignment targets. */
function boundNames(root: acorn.Node): Set<string> {
  const names = new Set<string>();
  walk.full(root, (n, _s, type) => { if (type === "VariablePattern" && n.type === "Identifier") names.add(n.name); });
  return names;
}

/** The function a call runs at once: `(function(){})()`, `(()=>{})()`, `new function(){}`, `(function(){}).call(this)`. */
function immediatelyInvoked(n: acorn.CallExpression | acorn.NewExpression): acorn.Function | undefined {
  let callee: AnyNode = n.callee;
  if (callee.type === "MemberExpression" && /^(call|apply)$/.test(propName(callee) ?? "")) callee = callee.object;
  return callee.type === "FunctionExpression" || callee.type === "ArrowFunctionExpression" ? callee : undefined;
}

type OnRef = (id: acorn.Identifier, shadow: Set<string>, called: boolean) => void;
/** Walk the code that `node` runs when it runs: not the bodies of functions that are only defined,
 * but the bodies of immediately invoked ones (their own names shadowing the outer ones). */
function walkRunning(node: acorn.Node, shadow: Set<string>, onRef: OnRef, onIife: (fn: acorn.Function) => void): void {
  const call = (n: acorn.CallExpression | acorn.NewExpression, st: Set<string>, c: walk.WalkerCallback<Set<string>>): void => {
    const fn = immediatelyInvoked(n);
    if (fn) {
      onIife(fn);
      c(fn.body, new Set([...st, ...boundNames(fn)]));
    } else if (n.callee.type === "Identifier") onRef(n.callee, st, true);
    else c(n.callee, st);
    for (const a of n.arguments) c(a, st);
  };
  walk.recursive(node, shadow, {
    Function() {}, // defined, not run
    PropertyDefinition(n, st, c) { // instance fields run at construction, static ones now
      if (n.computed) c(n.key, st);
      if (n.static && n.value) c(n.value, st);
    },
    CallExpression: call,
    NewExpression: call,
    Identifier(n, st) { onRef(n, st, false); },
  });
}

const pos = (n: acorn.Node): string => `${n.loc?.start.line}:${(n.loc?.start.column ?? 0) + 1}`;

/** Espruino does not hoist: in each statement list run at load time (the Program, and the bodies of
 * immediately invoked functions in it), nothing may use a `function f` declared further down, directly
 * or through a call of an earlier function that uses it. */
function checkHoisting(program: acorn.Program, report: (node: acorn.Node, rule: string, message: string) => void): void {
  const lists = [program.body as acorn.Statement[]];
  const queued = new Set<acorn.Node>();
  for (let k = 0; k < lists.length; k++) {
    const declared = new Map<string, { at: number; fn: acorn.FunctionDeclaration }>();
    lists[k].forEach((s, at) => { if (s.type === "FunctionDeclaration") declared.set(s.id.name, { at, fn: s }); });
    lists[k].forEach((stmt, i) => {
      const entered = new Set<acorn.Node>();
      const scan = (node: acorn.Node, shadow: Set<string>, via?: acorn.Identifier): void => walkRunning(node, shadow, (id, sh, called) => {
        const d = sh.has(id.name) ? undefined : declared.get(id.name);
        if (d === undefined) return;
        if (d.at > i) {
          const what = via ? `${via.name}() runs ${id.name}${called ? "()" : ""}` : `${id.name}${called ? "() is called" : " is used"}`;
          const why = "Espruino does not hoist function declarations";
          report(via ?? id, "hoisting", `${what} at load time before \`function ${id.name}\` (at ${pos(d.fn)}): ${why}`);
        } else if (called && d.at < i && !entered.has(d.fn)) {
          entered.add(d.fn);
          scan(d.fn.body, boundNames(d.fn), via ?? id);
        }
      }, (fn) => {
        if (via === undefined && fn.body.type === "BlockStatement" && !queued.has(fn.body)) {
          queued.add(fn.body);
          lists.push(fn.body.body);
        }
      });
      scan(stmt, new Set());
    });
  }
}

/**
 * Every construct in `source` (a script, e.g. the esbuild IIFE bundle) that fails on Espruino.
 * `body`: the source is a function's body (the on-demand module, made a function by Function()).
 */
export function checkBundle(source: string, body?: boolean): Violation[] {
  let program: acorn.Program;
  try {
    program = acorn.parse(source, { ecmaVersion: "latest", sourceType: "script", locations: true, allowReturnOutsideFunction: body === true });
  } catch (e) {
    const loc = (e as { loc?: acorn.Position }).loc;
    const message = (e instanceof Error ? e.message : String(e)).replace(/ \(\d+:\d+\)$/, ""); // acorn's 0-based (line:col)
    const why = `the bundle does not parse as a script, so Espruino cannot load it: ${message}`;
    return [{ rule: "parse", message: why, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 }];
  }
  const out: Violation[] = [];
  const report = (node: acorn.Node, rule: string, message: string): void => {
    const start = node.loc?.start ?? { line: 1, column: 0 };
    out.push({ rule, message: `${message} (docs/espruino.md)`, line: start.line, column: start.column + 1 });
  };
  const bound = boundNames(program);
  walk.fullAncestor(program, (node, _st, ancestors, type) => {
    if (ancestors.some(isRequireShim)) return;
    const site: Site = { ancestors, parent: ancestors[ancestors.length - 2], binding: type === "VariablePattern", bound };
    for (const r of RULES_BY_TYPE.get(node.type) ?? []) {
      const message = r.check(node, site);
      if (message) report(node, r.id, message);
    }
  });
  checkHoisting(program, report);
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `dist/bms.js:LINE:COL rule: message`, the shape editors and CI logs link to. */
export function formatViolation(file: string, v: Violation): string {
  return `${file}:${v.line}:${v.column} ${v.rule}: ${v.message}`;
}
