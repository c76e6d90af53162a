// Build steps that shrink what a bundle keeps in RAM or flash. Passes 6, 9 and 10 run on the
// minified text; the others on its text with readable names, and all work on the bundle's
// wrapper function `(function(){ ... })()` (tools/build.ts), whose variables live as long as the
// firmware runs. The passes are numbered in
// the order they appear below: 1 inlineConstants, 2 dropInitOnly, 3 nestInto, 4 inlineCalls,
// 5 aliasGlobals, 6 wordLiterals, 7 aliasNatives, 8 expressOnce, 9 foldConstants, 10 flattenBlocks.
// tools/build.ts runs them as 1, 4, 8, 2, then 5 and 7 (the resident file) or 3 (the module), then
// after the minifier 10 (and the minifier again), 9 and 6.
//
// 1. inlineConstants: the module-level constants, inlined where they are used.
// esbuild inlines a constant imported from another file, but not one used in its own file: there
// it stays a variable of the bundle's wrapper function, and on Espruino every such variable is
// held in RAM for as long as the firmware runs (a name and its value: 1-2 variables each,
// docs/device-budget.md "The cost model"). This pass takes the wrapper's `var`/`const`/`let`
// whose value is a literal (a number, string or boolean, or arithmetic on numbers), assigned
// nowhere else and declared under that name nowhere else in the file (so no inner scope can
// shadow it), puts the literal at each use and drops the declaration. It runs on the bundle with
// readable names, before the identifiers are minified.
//
// 2. dropInitOnly: a function that only runs while the firmware loads (building the hardware
// adapter, the default settings) would still hold its ~7.6 variables for ever. A module-level
// function declared once, and only ever called (never passed on as a value) from the wrapper's own
// statements or from other such functions, is let go after the last of those statements:
// `name=void 0`, so the GC frees it. Anything else, a call from a method, an arrow or a callback,
// keeps it.
import { parse } from "acorn";
import { storedBytes } from "./pretokenise.ts";

// acorn's nodes, loosely: enough to walk any of them (tools/assign-names.ts walks them too)
export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).type === "string";
}

export function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const k of Object.keys(n)) {
    const v = n[k];
    if (Array.isArray(v)) for (const c of v) { if (isNode(c)) out.push(c); }
    else if (isNode(v)) out.push(v);
  }
  return out;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `code` with each edit's range replaced by its text (ranges of the original text, none overlapping). */
function applyEdits(code: string, edits: Edit[], what: string): string {
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = code;
  let last = Infinity;
  for (const e of edits) {
    if (e.end > last) throw new Error(what + ": overlapping edits at " + e.start);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    last = e.start;
  }
  return out;
}

/** The literal's value, or undefined if `n` is not a constant literal expression. */
function constantOf(n: Node): number | string | boolean | undefined {
  if (n.type === "Literal") {
    const v = n.value;
    return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : undefined;
  }
  if (n.type === "UnaryExpression") {
    const a = constantOf(n.argument as Node);
    if (typeof a !== "number") return undefined;
    return n.operator === "-" ? -a : n.operator === "!" ? !a : undefined;
  }
  if (n.type === "BinaryExpression") {
    const a = constantOf(n.left as Node);
    const b = constantOf(n.right as Node);
    if (typeof a !== "number" || typeof b !== "number") return undefined;
    switch (n.operator) {
      case "*": return a * b;
      case "+": return a + b;
      case "-": return a - b;
      case "/": return a / b;
      case "|": return a | b;
      case "&": return a & b;
      case "<<": return a << b;
    }
  }
  return undefined;
}

function literalText(v: number | string | boolean): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "!0" : "!1";
  return String(v);
}

/** a string constant longer than this, used more than once, is not copied to each use */
export const LONG_STRING = 32;

/** `code` is one wrapper function called at once: `(function(){ ... })()`, as tools/build.ts makes it. */
export function inlineConstants(code: string): { code: string; inlined: string[] } {
  const w = wrapperOf(code);
  if (!w) return { code, inlined: [] };
  const { ast, body } = w;

  const candidates = new Map<string, { value: number | string | boolean; decl: Node; stmt: Node }>();
  for (const stmt of body) {
    if (stmt.type !== "VariableDeclaration") continue;
    for (const d of stmt.declarations as Node[]) {
      const id = d.id as Node;
      const v = d.init ? constantOf(d.init as Node) : undefined;
      if (id.type === "Identifier" && v !== undefined) candidates.set(id.name as string, { value: v, decl: d, stmt });
    }
  }

  // every declaration of a name anywhere, and every write to one
  const declared = new Map<string, number>();
  const written = new Set<string>();
  const refs: { node: Node; shorthand: boolean }[] = [];
  const declare = (p: unknown) => {
    if (isNode(p) && p.type === "Identifier") declared.set(p.name as string, (declared.get(p.name as string) ?? 0) + 1);
    else if (isNode(p)) written.add("*"); // a pattern: give up (the Espruino subset has none)
  };
  const visit = (n: Node, parent: Node | undefined): void => {
    declares(n, declare);
    switch (n.type) {
      case "AssignmentExpression": if ((n.left as Node).type === "Identifier") written.add((n.left as Node).name as string); break;
      case "UpdateExpression": if ((n.argument as Node).type === "Identifier") written.add((n.argument as Node).name as string); break;
      case "Identifier": {
        const p = parent!;
        const isKey = (p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && p.key === n && !p.computed;
        const isMember = p.type === "MemberExpression" && p.property === n && !p.computed;
        const isLabel = p.type === "LabeledStatement" || p.type === "BreakStatement" || p.type === "ContinueStatement";
        // a declaration's own name (counted above): a use of it, if ours, is never a declaration
        const isDecl = (p.type === "VariableDeclarator" && p.id === n) || p.id === n || p.param === n ||
          (Array.isArray(p.params) && (p.params as Node[]).includes(n));
        if (p.type === "Property" && p.shorthand) refs.push({ node: n, shorthand: true });
        else if (!isKey && !isMember && !isLabel && !isDecl) refs.push({ node: n, shorthand: false });
        return;
      }
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(ast, undefined);
  if (written.has("*")) return { code, inlined: [] };

  const ok = new Set<string>();
  for (const [name] of candidates) if (declared.get(name) === 1 && !written.has(name)) ok.add(name);
  // a long string used more than once stays one variable: copies would cost more flash than it
  // costs RAM (the settings table, src/settings.ts)
  const uses = new Map<string, number>();
  for (const r of refs) uses.set(r.node.name as string, (uses.get(r.node.name as string) ?? 0) + 1);
  for (const name of [...ok]) {
    const v = candidates.get(name)!.value;
    if (typeof v === "string" && v.length > LONG_STRING && (uses.get(name) ?? 0) > 1) ok.delete(name);
  }

  const edits: Edit[] = [];
  for (const r of refs) {
    const name = r.node.name as string;
    if (!ok.has(name)) continue;
    const text = literalText(candidates.get(name)!.value);
    const safe = typeof candidates.get(name)!.value === "string" ? text : "(" + text + ")";
    edits.push({ start: r.node.start, end: r.node.end, text: r.shorthand ? name + ":" + safe : safe });
  }
  // drop the declarations: a statement whose declarators all go, or each declarator with its comma
  const stmts = new Set<Node>();
  for (const name of ok) stmts.add(candidates.get(name)!.stmt);
  for (const stmt of stmts) {
    const ds = stmt.declarations as Node[];
    const gone = ds.map((d) => ok.has((d.id as Node).name as string));
    if (gone.every(Boolean)) {
      edits.push({ start: stmt.start, end: stmt.end, text: "" });
      continue;
    }
    // "decl," up to the next declarator for one before the last kept, ",decl..." after it
    let kept = ds.length - 1;
    while (gone[kept]) kept--;
    for (let i = 0; i < kept; i++) if (gone[i]) edits.push({ start: ds[i].start, end: ds[i + 1].start, text: "" });
    if (kept < ds.length - 1) edits.push({ start: ds[kept].end, end: ds[ds.length - 1].end, text: "" });
  }
  return { code: applyEdits(code, edits, "inlineConstants"), inlined: [...ok].sort() };
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** Whether identifier `n` under `p` stands for its value: not a key, a member or the name declared. */
function usesValue(n: Node, p: Node): boolean {
  const isKey = (p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && p.key === n && !p.computed && !p.shorthand;
  const isMember = p.type === "MemberExpression" && p.property === n && !p.computed;
  return !(isKey || isMember || p.id === n);
}

/** Count each name `n` declares: a variable, a function and its parameters, a class, a caught error. */
function declares(n: Node, count: (p: unknown) => void): void {
  switch (n.type) {
    case "VariableDeclarator": count(n.id); break;
    case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
      if (n.id) count(n.id);
      for (const p of n.params as Node[]) count(p);
      break;
    case "ClassDeclaration": case "ClassExpression": if (n.id) count(n.id); break;
    case "CatchClause": if (n.param) count(n.param); break;
  }
}

/** The bundle's wrapper function `(function(){ ... })()`, its statements and its top-level function declarations. */
function wrapperOf(code: string) {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const first = (ast.body as Node[])[0];
  const call = first && first.type === "ExpressionStatement" ? (first.expression as Node) : undefined;
  const wrapper = call && call.type === "CallExpression" ? (call.callee as Node) : undefined;
  if (!wrapper || wrapper.type !== "FunctionExpression") return undefined;
  const body = (wrapper.body as Node).body as Node[];
  const topFns = new Map<string, Node>();
  for (const st of body) if (st.type === "FunctionDeclaration") topFns.set((st.id as Node).name as string, st);
  return { ast, wrapper, body, topFns };
}

/** The bundle's wrapper function, its top-level function declarations, and every use of their names. */
function topLevelUses(code: string) {
  const w = wrapperOf(code);
  if (!w) return undefined;
  const { ast, wrapper, body, topFns } = w;

  const declared = new Map<string, number>();
  const count = (p: unknown) => {
    if (isNode(p) && p.type === "Identifier") declared.set(p.name as string, (declared.get(p.name as string) ?? 0) + 1);
  };
  // for each use of a top-level function's name: the function (or class) it sits in, and whether it is a call
  const uses = new Map<string, { inside: Node; called: boolean }[]>();
  const visit = (n: Node, parent: Node | undefined, inside: Node): void => {
    declares(n, count);
    if (n.type === "Identifier") {
      const p = parent!;
      const name = n.name as string;
      if (!topFns.has(name)) return;
      if (!usesValue(n, p)) return;
      const list = uses.get(name) ?? [];
      list.push({ inside, called: (p.type === "CallExpression" || p.type === "NewExpression") && p.callee === n });
      uses.set(name, list);
      return;
    }
    const next = FUNCTION_TYPES.has(n.type) || n.type === "ClassDeclaration" || n.type === "ClassExpression" ? n : inside;
    for (const c of children(n)) visit(c, n, next);
  };
  visit(ast, undefined, ast);

  /** the top-level functions only ever called (never passed on) from `from` or from one another */
  const calledOnlyFrom = (from: (inside: Node) => boolean): Set<string> => {
    const ok = new Set<string>();
    for (const [name] of topFns) if (declared.get(name) === 1) ok.add(name);
    for (let changed = true; changed;) {
      changed = false;
      for (const name of [...ok]) {
        const fine = (uses.get(name) ?? []).every((u) => u.called && (from(u.inside) ||
          (u.inside.type === "FunctionDeclaration" && ok.has((u.inside.id as Node).name as string) && topFns.get((u.inside.id as Node).name as string) === u.inside)));
        if (!fine || !uses.has(name)) {
          ok.delete(name);
          changed = true;
        }
      }
    }
    return ok;
  };
  return { wrapper, body, topFns, calledOnlyFrom };
}

export function dropInitOnly(code: string): { code: string; dropped: string[] } {
  const t = topLevelUses(code);
  if (!t) return { code, dropped: [] };
  const ok = t.calledOnlyFrom((inside) => inside === t.wrapper);
  if (ok.size === 0) return { code, dropped: [] };
  const names = [...ok].sort();
  const text = names.map((n) => n + "=void 0;").join("");
  // after the last statement, or before it when it is the wrapper's `return`
  const last = t.body[t.body.length - 1];
  const at = last.type === "ReturnStatement" ? last.start : last.end;
  const sep = last.type === "ReturnStatement" ? "" : ";";
  return { code: code.slice(0, at) + sep + text + code.slice(at), dropped: names };
}

/**
 * 3. nestInto: the on-demand module also reads the records at boot (src/boot.ts `bootRecords`),
 * with functions nothing else calls. Declared at the module's top level, each would be made
 * (~7 variables) at every load of the module, a client's included. A top-level function only
 * ever called from `root` or from other such functions is moved into `root`'s body: made only
 * while `root` runs, and free after. Its references to the module's names still resolve.
 */
export function nestInto(code: string, root: string): { code: string; nested: string[] } {
  const t = topLevelUses(code);
  const rootFn = t?.topFns.get(root);
  if (!t || !rootFn) throw new Error(`nestInto: no top-level function ${root}`);
  const ok = t.calledOnlyFrom((inside) => inside === rootFn);
  ok.delete(root);
  if (ok.size === 0) return { code, nested: [] };
  const names = [...ok].sort();
  const moved = names.map((n) => t.topFns.get(n)!).sort((x, y) => x.start - y.start);
  const at = (rootFn.body as Node).start + 1;
  let out = code.slice(0, at) + moved.map((f) => code.slice(f.start, f.end)).join("") + code.slice(at);
  // cut the originals, from the last, so that earlier offsets hold (all lie before or after `at`)
  for (const f of [...moved].reverse()) {
    const shift = f.start > at ? moved.reduce((k, g) => k + g.end - g.start, 0) : 0;
    out = out.slice(0, f.start + shift) + out.slice(f.end + shift);
  }
  return { code: out, nested: names };
}

/**
 * 4. inlineCalls: a module-level function called from one place only still costs its ~7.6
 * variables for as long as the firmware runs. When that one call is a statement (possibly inside
 * `a && (b, f(x), c)`, `c ? (f(x), d) : e` or a `return`'s comma list, which the first
 * minification makes of statements), the function has no `return`, no `this`, no `arguments`
 * and makes no function, and none of its free names is declared where it is called, the call is
 * replaced by its body in a block, `{let p$i1=x; ...}`, with every name the function declares
 * renamed (so it can shadow nothing), and the declaration dropped. The conditions and commas on
 * the way are written back as `if` statements; the final minification compresses them again.
 * A function that only returns an expression, called with names and literals only, is put in
 * place of each of its calls as that expression with them put in (`returnedWith`).
 * Only a call that runs whenever the function it sits in runs (in no `if`, `?:`, `&&` or `||`):
 * a block written out in a branch costs a read of its text at every skip, on Espruino.
 * One function at a time, parsing again after each, until none is left.
 */
/** the longest expression (characters) copied to more than one call */
export const INLINE_COPY_MAX = 40;

export function inlineCalls(code: string, keep?: string): { code: string; inlined: string[] } {
  const inlined: string[] = [];
  for (let serial = 1; ; serial++) {
    const next = inlineOne(code, serial, keep);
    if (!next) return { code, inlined: inlined.sort() };
    code = next.code;
    inlined.push(next.name);
  }
}

function inlineOne(code: string, serial: number, keep?: string): { code: string; name: string } | undefined {
  const w = wrapperOf(code);
  if (!w) return undefined;
  const { ast, wrapper, body, topFns } = w;

  // every declaration of every name, and each reference with its chain of ancestors
  const declared = new Map<string, number>();
  const count = (p: unknown) => {
    if (isNode(p) && p.type === "Identifier") declared.set(p.name as string, (declared.get(p.name as string) ?? 0) + 1);
    else if (isNode(p)) declared.set("*", 1);
  };
  const refs = new Map<string, Node[][]>();
  const visit = (n: Node, chain: Node[]): void => {
    declares(n, count);
    if (n.type === "Identifier") {
      const p = chain[chain.length - 1];
      const name = n.name as string;
      if (!topFns.has(name) || !p) return;
      if (!usesValue(n, p)) return;
      const list = refs.get(name) ?? [];
      list.push([...chain, n]);
      refs.set(name, list);
      return;
    }
    chain.push(n);
    for (const c of children(n)) visit(c, chain);
    chain.pop();
  };
  visit(ast, []);
  if (declared.has("*")) return undefined;

  for (const [name, fn] of topFns) {
    if (name === keep) continue; // (nestInto's root)
    const uses = refs.get(name) ?? [];
    if (declared.get(name) !== 1 || uses.length === 0) continue;
    // a function that only returns an expression, called with names and literals only: the
    // expression with them put in, in place of every call
    const exprs = uses.map((chain) => {
      const callee = chain[chain.length - 1];
      const call = chain[chain.length - 2];
      if (call.type !== "CallExpression" || call.callee !== callee || chain.includes(fn)) return undefined;
      const expr = returnedWith(fn, code, call.arguments as Node[], declaredAlong(chain, wrapper));
      return expr === undefined ? undefined : { start: call.start, end: call.end, text: "(" + expr + ")" };
    });
    // (more than one call: only a short expression, or the copies cost more flash than the RAM saved)
    if (exprs.every((e) => e !== undefined && (uses.length === 1 || e.text.length <= INLINE_COPY_MAX))) {
      return { code: applyEdits(code, [...(exprs as Edit[]), { start: fn.start, end: fn.end, text: "" }], "inlineCalls"), name };
    }
    if (uses.length !== 1) continue;
    const chain = uses[0];
    const callee = chain[chain.length - 1];
    const call = chain[chain.length - 2];
    if (call.type !== "CallExpression" || call.callee !== callee || chain.includes(fn)) continue;
    if ((call.arguments as Node[]).some((a) => a.type === "SpreadElement")) continue;
    const callerDecl = declaredAlong(chain, wrapper);
    const plan = inlinePlan(fn, code);
    if (!plan) continue;
    // the statement the call is part of, through commas, && / || and ?: whose values are unused
    let k = chain.length - 2;
    let stmt: Node | undefined;
    for (; k > 0; k--) {
      const node = chain[k];
      const up = chain[k - 1];
      if (up.type === "ExpressionStatement") { stmt = up; break; }
      if (up.type === "SequenceExpression") {
        const els = up.expressions as Node[];
        const parent = chain[k - 2];
        if (parent && parent.type === "ReturnStatement" && els[els.length - 1] !== node) { stmt = parent; k--; break; }
        if (parent && parent.type === "ReturnStatement") break;
        continue;
      }
      if (up.type === "LogicalExpression" && up.right === node && (up.operator === "&&" || up.operator === "||")) continue;
      if (up.type === "ConditionalExpression" && up.test !== node) continue;
      break;
    }
    if (!stmt) continue;
    // only a call that runs whenever its function runs: a body written out in a branch that is
    // skipped costs a read of its text at every skip (Espruino reads what it skips)
    const home = [...chain].reverse().find((f) => FUNCTION_TYPES.has(f.type));
    const from = chain.indexOf(home!);
    if (chain.slice(from + 1).some((n) => n.type === "IfStatement" || n.type === "ConditionalExpression" || n.type === "LogicalExpression" || n.type === "SwitchCase")) continue;
    // not into the wrapper's own statements: its variables live as long as the firmware
    if ([...chain].reverse().find((f) => FUNCTION_TYPES.has(f.type)) === wrapper) continue;
    // the names the function uses but does not declare must mean the same where it is called
    if (plan.free.some((f) => callerDecl.has(f))) continue;

    const src = (n: Node) => code.slice(n.start, n.end);
    const onPath = new Set(chain.slice(k));
    const params = fn.params as Node[];
    const args = call.arguments as Node[];
    const decl = params.map((p, i) => plan.rename(p.name as string, serial) + "=" + (args[i] ? src(args[i]) : "void 0")).join(",");
    const inner = "{" + (decl ? "let " + decl + ";" : "") + plan.body(serial) + "}";
    const stmts = (n: Node): string => {
      if (n === call) return inner;
      if (!onPath.has(n)) return src(n) + ";";
      if (n.type === "SequenceExpression") return (n.expressions as Node[]).map(stmts).join("");
      if (n.type === "LogicalExpression") return "if(" + (n.operator === "&&" ? "" : "!") + "(" + src(n.left as Node) + ")){" + stmts(n.right as Node) + "}";
      if (n.type === "ConditionalExpression") return "if(" + src(n.test as Node) + "){" + stmts(n.consequent as Node) + "}else{" + stmts(n.alternate as Node) + "}";
      throw new Error("inlineCalls: unexpected " + n.type);
    };
    let text: string;
    if (stmt.type === "ReturnStatement") {
      const els = (stmt.argument as Node).expressions as Node[];
      text = "{" + els.slice(0, -1).map(stmts).join("") + "return " + src(els[els.length - 1]) + "}";
    } else text = "{" + stmts(stmt.expression as Node) + "}";
    return { code: applyEdits(code, [{ start: stmt.start, end: stmt.end, text }, { start: fn.start, end: fn.end, text: "" }], "inlineCalls"), name };
  }
  return undefined;
}

/** Whether `fn` can be written out at its call, its free names, and its body with its own names renamed. */
function inlinePlan(fn: Node, code: string): { free: string[]; rename(name: string, serial: number): string; body(serial: number): string } | undefined {
  const own = new Set<string>();
  for (const p of fn.params as Node[]) {
    if (p.type !== "Identifier") return undefined;
    own.add(p.name as string);
  }
  let fine = true;
  const refs: { node: Node; shorthand: boolean }[] = [];
  const walk = (n: Node, parent: Node | undefined): void => {
    if (n !== fn && (FUNCTION_TYPES.has(n.type) || n.type === "ClassDeclaration" || n.type === "ClassExpression")) fine = false;
    if (n.type === "ReturnStatement" || n.type === "ThisExpression" || n.type === "LabeledStatement") fine = false;
    if (n.type === "VariableDeclarator") {
      // (one with no value: Espruino may keep a block's `let` as the function's, so a loop around
      // the inlined body would see the last value, not undefined)
      if ((n.id as Node).type !== "Identifier" || !n.init) fine = false;
      else own.add((n.id as Node).name as string);
    }
    if (n.type === "CatchClause" && n.param) {
      if ((n.param as Node).type !== "Identifier") fine = false;
      else own.add((n.param as Node).name as string);
    }
    if (n.type === "Identifier" && parent) {
      if (n.name === "arguments") fine = false;
      const p = parent;
      const isKey = (p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && p.key === n && !p.computed && !p.shorthand;
      const isMember = p.type === "MemberExpression" && p.property === n && !p.computed;
      const isFnName = p === fn && p.id === n;
      const isShorthandKey = p.type === "Property" && p.shorthand && p.key === n && p.value !== n;
      if (!isKey && !isMember && !isFnName && !isShorthandKey) refs.push({ node: n, shorthand: p.type === "Property" && p.shorthand === true });
    }
    for (const c of children(n)) walk(c, n);
  };
  walk(fn, undefined);
  if (!fine) return undefined;
  const bodyNode = fn.body as Node;
  const free = [...new Set(refs.map((r) => r.node.name as string).filter((x) => !own.has(x)))];
  const rename = (name: string, serial: number) => name + "$i" + serial;
  return {
    free,
    rename,
    body(serial: number) {
      // the body's text, its own names renamed
      const edits = refs.filter((r) => own.has(r.node.name as string) && r.node.start >= bodyNode.start)
        .map((r) => ({ start: r.node.start, end: r.node.end, text: (r.shorthand ? r.node.name + ":" : "") + rename(r.node.name as string, serial) }))
        .sort((a, b) => b.start - a.start);
      let out = code.slice(bodyNode.start, bodyNode.end);
      for (const e of edits) out = out.slice(0, e.start - bodyNode.start) + e.text + out.slice(e.end - bodyNode.start);
      return out.slice(1, -1);
    },
  };
}

/** Every name declared in the functions (but the wrapper) the call sits in: they may shadow. */
function declaredAlong(chain: Node[], wrapper: Node): Set<string> {
  const names = new Set<string>();
  for (const f of chain) {
    if (!FUNCTION_TYPES.has(f.type) || f === wrapper) continue;
    const walk = (n: Node): void => {
      if ((n.type === "FunctionDeclaration" || n.type === "ClassDeclaration") && n.id) names.add((n.id as Node).name as string);
      if (n.type === "VariableDeclarator" && (n.id as Node).type === "Identifier") names.add((n.id as Node).name as string);
      if (FUNCTION_TYPES.has(n.type)) for (const p of n.params as Node[]) if (p.type === "Identifier") names.add(p.name as string);
      if (n.type === "CatchClause" && n.param && (n.param as Node).type === "Identifier") names.add((n.param as Node).name as string);
      for (const c of children(n)) walk(c);
    };
    walk(f);
  }
  return names;
}

/**
 * For `function f(a,b){return EXPR}` called with names or literals only: EXPR with them put in
 * for the parameters, when EXPR assigns nothing, makes no function and says no `this`, and its
 * free names are not declared where it is called; else undefined.
 */
function returnedWith(fn: Node, code: string, args: Node[], callerDecl: Set<string>): string | undefined {
  const stmts = (fn.body as Node).body as Node[];
  if (stmts.length !== 1 || stmts[0].type !== "ReturnStatement" || !stmts[0].argument) return undefined;
  const params = fn.params as Node[];
  const ret = stmts[0].argument as Node;
  // an argument is a name, a literal, or (when the expression calls nothing that could change it
  // between two reads) a chain of plain property reads of a name or `this`
  let calls = false;
  const look = (n: Node): void => {
    if (n.type === "CallExpression" || n.type === "NewExpression") calls = true;
    for (const c of children(n)) look(c);
  };
  look(ret);
  const plain = (a: Node): boolean => a.type === "Identifier" || a.type === "Literal" || a.type === "ThisExpression" ||
    (!calls && a.type === "MemberExpression" && !a.computed && plain(a.object as Node));
  if (params.some((p) => p.type !== "Identifier") || args.some((a) => !plain(a))) return undefined;
  const index = new Map(params.map((p, i) => [p.name as string, i]));
  let fine = true;
  const edits: Edit[] = [];
  const walk = (n: Node, parent: Node | undefined): void => {
    if (FUNCTION_TYPES.has(n.type) || n.type === "ClassExpression" || n.type === "ThisExpression" ||
      n.type === "AssignmentExpression" || n.type === "UpdateExpression") fine = false;
    if (n.type === "Identifier" && parent) {
      const p = parent;
      const isKey = p.type === "Property" && p.key === n && !p.computed && !p.shorthand;
      const isMember = p.type === "MemberExpression" && p.property === n && !p.computed;
      const isShorthandKey = p.type === "Property" && p.shorthand && p.key === n && p.value !== n;
      if (!isKey && !isMember && !isShorthandKey) {
        const name = n.name as string;
        if (name === "arguments") fine = false;
        const i = index.get(name);
        if (i === undefined) {
          if (callerDecl.has(name)) fine = false;
        } else {
          const arg = args[i] ? code.slice(args[i].start, args[i].end) : "void 0";
          edits.push({ start: n.start, end: n.end, text: (p.type === "Property" && p.shorthand ? name + ":" : "") + "(" + arg + ")" });
        }
      }
    }
    for (const c of children(n)) walk(c, n);
  };
  walk(ret, stmts[0]);
  if (!fine) return undefined;
  edits.sort((a, b) => b.start - a.start);
  let out = code.slice(ret.start, ret.end);
  for (const e of edits) out = out.slice(0, e.start - ret.start) + e.text + out.slice(e.end - ret.start);
  return out;
}

/**
 * 5. aliasGlobals: a global the bundle names many times (`Uint8Array`, `digitalRead`) is spelt out in
 * flash at every use; a variable of the wrapper holding it is one or two letters once minified.
 * Each alias costs the wrapper a variable (about 2 on Espruino) for as long as the firmware runs,
 * so only the names whose uses save more than `minSaved_B` bytes are aliased, and only those no
 * scope of the bundle declares itself (so every use found is the global).
 */
export function aliasGlobals(code: string, names: readonly string[], minSaved_B: number): { code: string; aliased: string[] } {
  const w = wrapperOf(code);
  if (!w) return { code, aliased: [] };
  const declared = declaredNames(w.ast);
  const uses = new Map<string, Node[]>();
  const visit = (n: Node, parent: Node | undefined): void => {
    if (n.type === "Identifier" && parent && names.includes(n.name as string) && usesValue(n, parent)) {
      if (parent.type === "Property" && parent.shorthand) declared.add(n.name as string); // `{Math}`: left alone
      const list = uses.get(n.name as string) ?? [];
      list.push(n);
      uses.set(n.name as string, list);
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(w.ast, undefined);
  const aliased = names.filter((name) => !declared.has(name) && (uses.get(name)?.length ?? 0) * (name.length - 2) - (name.length + 5) > minSaved_B);
  return { code: withAliases(code, w, aliased.map((name) => ({ alias: "global$" + name, value: name, uses: uses.get(name)! })), "aliasGlobals"), aliased };
}

/** Every name some scope of the bundle declares. */
function declaredNames(ast: Node): Set<string> {
  const declared = new Set<string>();
  const visit = (n: Node): void => {
    declares(n, (p) => {
      if (isNode(p) && p.type === "Identifier") declared.add(p.name as string);
    });
    for (const c of children(n)) visit(c);
  };
  visit(ast);
  return declared;
}

/** Each alias put at its uses and declared once, after the wrapper's directives ("use strict"),
 * before any statement that could use it. */
function withAliases(code: string, w: NonNullable<ReturnType<typeof wrapperOf>>, aliases: { alias: string; value: string; uses: Node[] }[], what: string): string {
  if (!aliases.length) return code;
  const edits: Edit[] = [];
  for (const a of aliases) for (const u of a.uses) edits.push({ start: u.start, end: u.end, text: a.alias });
  const body = w.wrapper.body as Node;
  let at = body.start + 1;
  for (const st of body.body as Node[]) if (st.type === "ExpressionStatement" && typeof st.directive === "string") at = st.end;
  edits.push({ start: at, end: at, text: "var " + aliases.map((a) => a.alias + "=" + a.value).join(",") + ";" });
  return applyEdits(code, edits, what);
}


/**
 * 6. wordLiterals: the minifier writes `true` as `!0`, `false` as `!1` and `undefined` as
 * `void 0`, which is shorter as text. Stored as Espruino's tokens (tools/pretokenise.ts) each word
 * is one byte and each of those forms two, and the interpreter reads two tokens and works out an
 * operator where one token would do. Run last, on the minified file: each such expression whose
 * operand is the literal itself (not `!0 .x`) is written back as the word.
 */
export function wordLiterals(code: string): { code: string; replaced: number } {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const edits: Edit[] = [];
  const visit = (n: Node): void => {
    if (n.type === "UnaryExpression") {
      const a = n.argument as Node;
      if (a.type === "Literal" && (a.raw === "0" || a.raw === "1")) {
        const word = n.operator === "!" ? (a.raw === "0" ? "true" : "false") : n.operator === "void" ? "undefined" : undefined;
        if (word !== undefined) {
          // (`return!1`, `case!0:`: a word needs a space from a name or keyword next to it)
          const before = /[\w$]/.test(code[n.start - 1] ?? "") ? " " : "";
          const after = /[\w$]/.test(code[n.end] ?? "") ? " " : "";
          edits.push({ start: n.start, end: n.end, text: before + word + after });
          return;
        }
      }
    }
    for (const c of children(n)) visit(c);
  };
  visit(ast);
  return { code: applyEdits(code, edits, "wordLiterals"), replaced: edits.length };
}

/**
 * 7. aliasNatives: a built-in called as `Math.max(…)` or `E.CRC32(…)` is found by name at every
 * call: Espruino looks the object up, then the member in its table of built-ins, and makes a new
 * function variable for it each time; a call through a variable of the wrapper holding it skips
 * all three (measured on Espruino 2v29: 0.0011 reference loops less a call, docs/device-budget.md).
 * Each alias holds about 2 variables for as long as the firmware runs, so only the members named
 * (those the tick calls every second) are aliased, and only static ones that need no `this`.
 * The aliases are declared first in the wrapper, so a lookup finds them first.
 */
export function aliasNatives(code: string, members: readonly string[]): { code: string; aliased: string[] } {
  const w = wrapperOf(code);
  if (!w) return { code, aliased: [] };
  const declared = declaredNames(w.ast);
  const uses = new Map<string, Node[]>();
  const visit = (n: Node, parent: Node | undefined): void => {
    const obj = n.object as Node | undefined;
    const prop = n.property as Node | undefined;
    if (n.type === "MemberExpression" && !n.computed && obj?.type === "Identifier" && prop?.type === "Identifier") {
      const name = (obj.name as string) + "." + (prop.name as string);
      const written = parent && ((parent.type === "AssignmentExpression" && parent.left === n) || parent.type === "UpdateExpression" || parent.type === "UnaryExpression" && parent.operator === "delete");
      if (members.includes(name)) {
        // a member written or deleted is left alone, and so are all its other uses
        if (written) declared.add(obj.name as string);
        const list = uses.get(name) ?? [];
        list.push(n);
        uses.set(name, list);
      }
      return; // (the object is the global itself: nothing under it to visit)
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(w.ast, undefined);
  const aliased = members.filter((m) => !declared.has(m.split(".")[0]) && uses.has(m));
  return { code: withAliases(code, w, aliased.map((m) => ({ alias: "native$" + m.replace(".", "$"), value: m, uses: uses.get(m)! })), "aliasNatives"), aliased };
}

/**
 * 8. expressOnce: a function or class of the wrapper used once, by a call or `new` in the
 * wrapper's own top-level code (the hardware set up at boot, the supervisor made once), still
 * holds its name in the wrapper's scope for as long as the firmware runs. Written in place of
 * that one use, as `(function(…){…})(…)` or `new (class{…})(…)`, it holds no name. Not for a
 * use inside a function: a function written there would hold that function's scope alive.
 */
export function expressOnce(code: string): { code: string; expressed: string[] } {
  const w = wrapperOf(code);
  if (!w) return { code, expressed: [] };
  const declared = new Map<string, number>();
  const uses = new Map<string, { n: Node; parent: Node; top: boolean }[]>();
  const visit = (n: Node, parent: Node | undefined, top: boolean): void => {
    declares(n, (p) => {
      if (isNode(p) && p.type === "Identifier") declared.set(p.name as string, (declared.get(p.name as string) ?? 0) + 1);
    });
    if (n.type === "Identifier" && parent && usesValue(n, parent)) {
      const list = uses.get(n.name as string) ?? [];
      list.push({ n, parent, top });
      uses.set(n.name as string, list);
    }
    const inner = top && !(FUNCTION_TYPES.has(n.type) || n.type === "ClassDeclaration" || n.type === "ClassExpression") ? top : n === w.wrapper;
    for (const c of children(n)) visit(c, n, inner);
  };
  visit(w.ast, undefined, false);
  const onlyUse = (name: string, how: "CallExpression" | "NewExpression", after: number) => {
    const list = uses.get(name) ?? [];
    if (declared.get(name) !== 1 || list.length !== 1) return undefined;
    const u = list[0];
    return u.top && u.parent.type === how && u.parent.callee === u.n && u.n.start > after ? u.n : undefined;
  };
  const edits: Edit[] = [];
  const expressed: string[] = [];
  for (const st of w.body) {
    if (st.type === "FunctionDeclaration" && !st.generator && !st.async) {
      const name = (st.id as Node).name as string;
      const use = onlyUse(name, "CallExpression", -1);
      if (!use) continue;
      // the text from the parameters' bracket on, after `function name`
      const rest = code.slice(code.indexOf("(", (st.id as Node).end), st.end);
      edits.push({ start: st.start, end: st.end, text: "" });
      edits.push({ start: use.start, end: use.end, text: "(function" + rest + ")" });
      expressed.push(name);
    } else if (st.type === "ClassDeclaration" && !st.superClass) {
      const id = st.id as Node;
      const use = onlyUse(id.name as string, "NewExpression", st.end);
      if (!use) continue;
      edits.push({ start: st.start, end: st.end, text: "" });
      edits.push({ start: use.start, end: use.end, text: "(" + code.slice(st.start, id.start) + code.slice(id.end, st.end) + ")" });
      expressed.push(id.name as string);
    } else if (st.type === "VariableDeclaration") {
      const ds = st.declarations as Node[];
      const kept = ds.filter((d) => {
        const init = d.init as Node | null;
        if (!init || init.type !== "ClassExpression" || (d.id as Node).type !== "Identifier") return true;
        const name = (d.id as Node).name as string;
        const use = onlyUse(name, "NewExpression", st.end);
        if (!use) return true;
        edits.push({ start: use.start, end: use.end, text: "(" + code.slice(init.start, init.end) + ")" });
        expressed.push(name);
        return false;
      });
      // the statement written again with the declarators left (none: it goes)
      if (kept.length < ds.length) {
        const semi = code[st.end - 1] === ";" ? ";" : "";
        const text = kept.length ? (st.kind as string) + " " + kept.map((d) => code.slice(d.start, d.end)).join(",") + semi : "";
        edits.push({ start: st.start, end: st.end, text });
      }
    }
  }
  if (!edits.length) return { code, expressed };
  return { code: applyEdits(code, edits, "expressOnce"), expressed: expressed.sort() };
}

/**
 * 9. foldConstants: arithmetic on number literals that the minifier leaves written out because
 * its value is longer as text: `a&(1<<18|1<<19|1<<21|1<<24)` stays, though 19660800 is shorter
 * as stored (tools/pretokenise.ts: a small integer is 2 or 3 bytes, each operator one) and the
 * device would work the expression out at every run (the 12-200's decide: 0.0016 reference loops
 * a second at 1s1p, and 17 B). Run on the minified file, before wordLiterals: each largest
 * expression of literals (inlineConstants' arithmetic) whose value, a finite number of at least
 * 0, takes no more bytes stored than the expression, parentheses included, is written as that
 * value. An expression a member is read from keeps its parentheses: `(1<<3).toString()` becomes
 * `(8).toString()`.
 */
export function foldConstants(code: string): { code: string; folded: number } {
  const ast = parse(code, { ecmaVersion: 2022, preserveParens: true }) as unknown as Node;
  const edits: Edit[] = [];
  const visit = (n: Node, parent: Node | undefined): void => {
    const e = unparen(n);
    if (e.type === "BinaryExpression" && !(parent?.type === "MemberExpression" && parent.object === n)) {
      const v = constantOf(e);
      if (typeof v === "number" && Number.isFinite(v) && v >= 0 && !Object.is(v, -0)) {
        const before = /[\w$]/.test(code[n.start - 1] ?? "") ? " " : "";
        const after = /[\w$]/.test(code[n.end] ?? "") ? " " : "";
        const text = before + String(v) + after;
        if (storedBytes(text) <= storedBytes(code.slice(n.start, n.end))) {
          edits.push({ start: n.start, end: n.end, text });
          return;
        }
      }
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(ast, undefined);
  return { code: applyEdits(code, edits, "foldConstants"), folded: edits.length };
}

/** `n` with every ParenthesizedExpression inside it taken out (constantOf reads the plain tree). */
function unparen(n: Node): Node {
  if (n.type === "ParenthesizedExpression") return unparen(n.expression as Node);
  if (n.type === "BinaryExpression") return { ...n, left: unparen(n.left as Node), right: unparen(n.right as Node) };
  if (n.type === "UnaryExpression") return { ...n, argument: unparen(n.argument as Node) };
  return n;
}

/**
 * 10. flattenBlocks: inlineCalls writes a function out at its call inside a block of its own, so
 * that its `let`s cannot meet the caller's; the minifier keeps every block that declares a name.
 * Each such pair of braces is two bytes of flash, and the interpreter reads past them at every
 * run. Run on the minified file: a block that is a plain statement of another block (or of a
 * function body) loses its braces when that can change nothing, that is when no name it declares
 * is declared by the enclosing block (or its function's parameters, its catch or its loop) or
 * appears anywhere in the enclosing block outside it, and it declares no function or class of
 * its own. A `;` takes the closing brace's place where a statement follows.
 * One block per enclosing block a round, to a fixed point, so each decision sees the last.
 */
export function flattenBlocks(code: string): { code: string; flattened: number } {
  let flattened = 0;
  for (;;) {
    const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
    const edits: Edit[] = [];
    const visit = (n: Node, parent: Node | undefined): void => {
      if (n.type === "BlockStatement") {
        const body = n.body as Node[];
        const own = new Set<string>([...lexicalNames(body), ...boundAround(n, parent)]);
        for (let k = 0; k < body.length; k++) {
          const b = body[k];
          if (b.type !== "BlockStatement") continue;
          const inner = b.body as Node[];
          if (inner.some((s) => s.type === "FunctionDeclaration" || s.type === "ClassDeclaration")) continue;
          const names = lexicalNames(inner);
          if (names.some((x) => own.has(x))) continue;
          const outside = new Set<string>();
          for (let j = 0; j < body.length; j++) if (j !== k) identifiersIn(body[j], outside);
          if (names.some((x) => outside.has(x))) continue;
          // (a `;` where a statement follows: what ends the block may be `if(a)b()`)
          const closing = k === body.length - 1 || code[b.end] === ";" ? "" : ";";
          edits.push({ start: b.start, end: b.start + 1, text: "" }, { start: b.end - 1, end: b.end, text: closing });
          return; // one a round in this block: the next round sees it flattened
        }
      }
      for (const c of children(n)) visit(c, n);
    };
    visit(ast, undefined);
    if (edits.length === 0) return { code, flattened };
    code = applyEdits(code, edits, "flattenBlocks");
    flattened += edits.length / 2;
  }
}

/** the names a statement list declares with let, const or class (a var belongs to the function) */
function lexicalNames(body: Node[]): string[] {
  const out: string[] = [];
  for (const s of body) {
    if (s.type === "VariableDeclaration" && s.kind !== "var") for (const d of s.declarations as Node[]) patternNames(d.id as Node, out);
    if ((s.type === "ClassDeclaration" || s.type === "FunctionDeclaration") && s.id) out.push((s.id as Node).name as string);
  }
  return out;
}

/** the names bound around a block by what it is the body of: parameters, a catch, a loop's let */
function boundAround(block: Node, parent: Node | undefined): string[] {
  const out: string[] = [];
  if (!parent) return out;
  if (FUNCTION_TYPES.has(parent.type)) for (const p of parent.params as Node[]) patternNames(p, out);
  if (parent.type === "CatchClause" && parent.param) patternNames(parent.param as Node, out);
  const init = (parent.init ?? parent.left) as Node | undefined;
  if (/^For/.test(parent.type) && init?.type === "VariableDeclaration") for (const d of init.declarations as Node[]) patternNames(d.id as Node, out);
  return out;
}

function patternNames(p: Node, out: string[]): void {
  if (p.type === "Identifier") out.push(p.name as string);
  else for (const c of children(p)) if (c.type !== "Literal") patternNames(c.type === "Property" ? (c.value as Node) : c, out);
}

/** every identifier's name in `n`, bindings and uses alike (the safe side), but not a member's
 * or a key's name (`x.r`, `{r:1}`: no variable) */
function identifiersIn(n: Node, out: Set<string>): void {
  if (n.type === "Identifier") out.add(n.name as string);
  for (const c of children(n)) {
    if (c === n.property && n.type === "MemberExpression" && !n.computed) continue;
    if (c === n.key && (n.type === "Property" || n.type === "MethodDefinition" || n.type === "PropertyDefinition") && !n.computed && !n.shorthand) continue;
    identifiersIn(c, out);
  }
}

/**
 * 11. shareStrings: a string written several times (`typeof x=="number"` thirteen times in the
 * module, a setting's name in its checks) is stored again at each place. For the on-demand module
 * only, whose variables live only while it is loaded: each string whose places together take more
 * than `minSaved_B` bytes of flash more than one variable of the wrapper holding it would (stored
 * as the upload stores it, a minified name counted as one byte) is written once, in that variable.
 * Not a property's key, a directive or a method's name: those are names, not values.
 */
export function shareStrings(code: string, minSaved_B: number): { code: string; shared: string[] } {
  const w = wrapperOf(code);
  if (!w) return { code, shared: [] };
  const uses = new Map<string, Node[]>();
  const visit = (n: Node, parent: Node | undefined): void => {
    if (n.type === "Literal" && typeof n.value === "string" && parent) {
      const isKey = (parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === n && !parent.computed;
      const isDirective = parent.type === "ExpressionStatement" && typeof parent.directive === "string";
      if (!isKey && !isDirective && !/^(Import|Export)/.test(parent.type)) {
        const list = uses.get(n.value) ?? [];
        list.push(n);
        uses.set(n.value, list);
      }
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(w.ast, undefined);
  const shared: { alias: string; value: string; uses: Node[] }[] = [];
  for (const [value, list] of uses) {
    if (list.length < 2) continue;
    const one = storedBytes(JSON.stringify(value));
    // each place becomes a one-byte name; the wrapper holds `,x=` and the string once
    if (list.length * (one - 1) - (one + 2) > minSaved_B) shared.push({ alias: "string$" + shared.length, value: JSON.stringify(value), uses: list });
  }
  return { code: withAliases(code, w, shared, "shareStrings"), shared: shared.map((s) => JSON.parse(s.value) as string) };
}

/**
 * 12. chainAssignments: a constructor sets its fields one by one, `this.a=0,this.b=0,this.c=0`,
 * each with its own value; written as one chain, `this.c=this.b=this.a=0`, the value is stored
 * once (two bytes less a field). Run on the minified file, in a comma sequence: in a run of
 * assignments of literals to `this`'s named fields, those of one literal (the same text) become
 * one chain where that literal first comes, written last field first so that the first is set
 * first. A field set to a value that came before it in the run is so made earlier than its
 * place in the source (`this.a=0,this.b=1,this.c=0` makes a, c, b): Espruino looks fields up in
 * the order they were made, and these are the constructors' numbers and flags, a few places
 * apart (the CPU figures were measured with it, docs/device-budget.md). Nothing else runs
 * between them: each value is a literal.
 */
export function chainAssignments(code: string): { code: string; chained: number } {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const edits: Edit[] = [];
  let chained = 0;
  const fieldOf = (e: Node): string | undefined => {
    if (e.type !== "AssignmentExpression" || e.operator !== "=") return undefined;
    const l = e.left as Node;
    if (l.type !== "MemberExpression" || l.computed || (l.object as Node).type !== "ThisExpression") return undefined;
    const r = e.right as Node;
    const literal = r.type === "Literal" || (r.type === "UnaryExpression" && (r.argument as Node).type === "Literal");
    return literal ? code.slice(r.start, r.end) : undefined;
  };
  const visit = (n: Node): void => {
    if (n.type === "SequenceExpression") {
      const list = n.expressions as Node[];
      for (let k = 0; k < list.length;) {
        // a run of field assignments of literals, whatever their values
        let j = k;
        while (j < list.length && fieldOf(list[j]) !== undefined) j++;
        if (j - k > 1) {
          // grouped by value, each group where its value first comes: a field set to a value
          // that came before it moves up to that value's chain (only fields set to literals, in
          // this run, change places among themselves)
          const groups = new Map<string, string[]>();
          for (const e of list.slice(k, j)) {
            const v = fieldOf(e)!;
            groups.set(v, [...(groups.get(v) ?? []), code.slice((e.left as Node).start, (e.left as Node).end)]);
          }
          if (groups.size < j - k) {
            const text = [...groups].map(([v, lefts]) => [...lefts].reverse().join("=") + "=" + v).join(",");
            edits.push({ start: list[k].start, end: list[j - 1].end, text });
            chained += j - k - groups.size;
          }
        }
        k = Math.max(j, k + 1);
      }
    }
    for (const c of children(n)) visit(c);
  };
  visit(ast);
  return { code: applyEdits(code, edits, "chainAssignments"), chained };
}

/**
 * 13. propagateCopies: inlineCalls writes a function out with its parameters as `let`s of the
 * arguments (`let a=t,r=s`), and a method may keep `this` in a name (`let s=this`). Where the
 * copy can only ever hold what the original holds, its uses are written as the original and the
 * copy goes (four bytes a copy, and a variable less while the code runs). Run on the minified
 * file, one copy a round, to a fixed point; a copy `x=y` declared by let or const in a block goes
 * only when, in that block, nothing else declares x or y, nothing assigns x or y anywhere in the
 * enclosing function, y is that function's own (a parameter, a var, or declared by a block
 * around the copy) or `this`, no use
 * of x is a shorthand key, and for `this` no use is inside a function with a `this` of its own.
 */
export function propagateCopies(code: string): { code: string; propagated: number } {
  let propagated = 0;
  for (;;) {
    const next = propagateOne(code);
    if (next === undefined) return { code, propagated };
    code = next;
    propagated++;
  }
}

function propagateOne(code: string): string | undefined {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  let out: string | undefined;
  // `around`: the names the blocks (and the loops and catches) from the function's body down to
  // `n` declare, where a name used in `n` may be the function's own
  const visit = (n: Node, fn: Node | undefined, parent: Node | undefined, around: string[]): void => {
    if (out !== undefined) return;
    const home = FUNCTION_TYPES.has(n.type) ? n : fn;
    if (FUNCTION_TYPES.has(n.type)) around = [];
    if (n.type === "BlockStatement") around = [...around, ...lexicalNames(n.body as Node[]), ...boundAround(n, parent)];
    if (n.type === "BlockStatement" && home) {
      for (const st of n.body as Node[]) {
        if (st.type !== "VariableDeclaration" || st.kind === "var") continue;
        const list = st.declarations as Node[];
        for (let k = 0; k < list.length && out === undefined; k++) {
          const d = list[k];
          const id = d.id as Node;
          const init = d.init as Node | null;
          if (id.type !== "Identifier" || !init || (init.type !== "Identifier" && init.type !== "ThisExpression")) continue;
          out = copyGone(code, n, home, st, k, id.name as string, init, around);
        }
        if (out !== undefined) return;
      }
    }
    for (const c of children(n)) visit(c, home, n, around);
  };
  visit(ast, undefined, undefined, []);
  return out;
}

function copyGone(code: string, block: Node, fn: Node, decl: Node, k: number, x: string, init: Node, around: string[]): string | undefined {
  const y = init.type === "Identifier" ? (init.name as string) : undefined;
  // the block's declarations of x and y: only this one of x, none of y
  let xDecl = 0;
  let yDecl = 0;
  const countIn = (root: Node) => {
    const walk = (n: Node) => {
      declares(n, (p) => {
        const names: string[] = [];
        if (isNode(p)) patternNames(p, names);
        for (const name of names) {
          if (name === x) xDecl++;
          if (name === y) yDecl++;
        }
      });
      for (const c of children(n)) walk(c);
    };
    walk(root);
  };
  countIn(block);
  if (xDecl !== 1 || yDecl !== 0) return undefined;
  // y is the function's own: one of its parameters, a `var` of it, or a name a block around the
  // copy declares (not a name some other block of the function declares: the y the copy reads
  // may then be another function's, which a call could write)
  if (y !== undefined) {
    const own: string[] = [...around];
    for (const p of fn.params as Node[]) patternNames(p, own);
    const walkVars = (n: Node) => {
      if (n !== fn && FUNCTION_TYPES.has(n.type)) return;
      if (n.type === "VariableDeclaration" && n.kind === "var") for (const d of n.declarations as Node[]) patternNames(d.id as Node, own);
      for (const c of children(n)) walkVars(c);
    };
    walkVars(fn.body as Node);
    if (!own.includes(y)) return undefined;
  }
  // nothing in the function assigns x or y
  let written = false;
  const walkWrites = (n: Node) => {
    const target = n.type === "AssignmentExpression" || n.type === "ForInStatement" || n.type === "ForOfStatement" ? (n.left as Node) :
      n.type === "UpdateExpression" ? (n.argument as Node) : undefined;
    // (`arguments` can write a parameter: a function that names it is left alone)
    if (n.type === "Identifier" && n.name === "arguments") written = true;
    if (target) {
      const names: string[] = [];
      patternNames(target.type === "MemberExpression" ? { type: "Nothing", start: 0, end: 0 } : target, names);
      if (names.includes(x) || (y !== undefined && names.includes(y))) written = true;
    }
    for (const c of children(n)) walkWrites(c);
  };
  walkWrites(fn);
  if (written) return undefined;
  // the uses of x in the block
  const uses: Node[] = [];
  let refused = false;
  const walkUses = (n: Node, parent: Node | undefined, ownThis: boolean) => {
    if (n.type === "Identifier" && n.name === x && parent && usesValue(n, parent) && !(parent.type === "VariableDeclarator" && parent.id === n)) {
      if (parent.type === "Property" && parent.shorthand) refused = true;
      if (y === undefined && ownThis) refused = true;
      uses.push(n);
    }
    const inner = ownThis || n.type === "FunctionExpression" || n.type === "FunctionDeclaration" || n.type === "ClassExpression" || n.type === "ClassDeclaration";
    for (const c of children(n)) walkUses(c, n, inner);
  };
  walkUses(block, undefined, false);
  if (refused) return undefined;
  const edits: Edit[] = uses.map((u) => ({ start: u.start, end: u.end, text: y ?? "this" }));
  const list = decl.declarations as Node[];
  if (list.length === 1) {
    const end = code[decl.end] === ";" ? decl.end + 1 : decl.end;
    edits.push({ start: decl.start, end, text: code[decl.end - 1] === ";" || code[decl.end] === ";" ? "" : ";" });
  } else if (k < list.length - 1) edits.push({ start: list[k].start, end: list[k + 1].start, text: "" });
  else edits.push({ start: list[k - 1].end, end: list[k].end, text: "" });
  return applyEdits(code, edits, "propagateCopies");
}
