// Build steps that shrink what a bundle keeps in RAM, run on its text with readable names,
// before the identifiers are minified. Both work on the bundle's wrapper function
// `(function(){ ... })()` (tools/build.ts), whose variables live as long as the firmware runs.
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

// acorn's nodes, loosely: enough to walk any of them
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).type === "string";
}

function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const k of Object.keys(n)) {
    const v = n[k];
    if (Array.isArray(v)) for (const c of v) { if (isNode(c)) out.push(c); }
    else if (isNode(v)) out.push(v);
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
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const first = (ast.body as Node[])[0];
  const call = first && first.type === "ExpressionStatement" ? (first.expression as Node) : undefined;
  const fn = call && call.type === "CallExpression" ? (call.callee as Node) : undefined;
  if (!fn || fn.type !== "FunctionExpression") return { code, inlined: [] };
  const body = (fn.body as Node).body as Node[];

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
    switch (n.type) {
      case "VariableDeclarator": declare(n.id); break;
      case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
        if (n.id) declare(n.id);
        for (const p of n.params as Node[]) declare(p);
        break;
      case "ClassDeclaration": case "ClassExpression": if (n.id) declare(n.id); break;
      case "CatchClause": if (n.param) declare(n.param); break;
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

  const edits: { start: number; end: number; text: string }[] = [];
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
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  let last = Infinity;
  for (const e of edits) {
    if (e.end > last) throw new Error("inlineConstants: overlapping edits at " + e.start);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    last = e.start;
  }
  return { code: out, inlined: [...ok].sort() };
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** The bundle's wrapper function, its top-level function declarations, and every use of their names. */
function topLevelUses(code: string) {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const first = (ast.body as Node[])[0];
  const call = first && first.type === "ExpressionStatement" ? (first.expression as Node) : undefined;
  const wrapper = call && call.type === "CallExpression" ? (call.callee as Node) : undefined;
  if (!wrapper || wrapper.type !== "FunctionExpression") return undefined;
  const body = (wrapper.body as Node).body as Node[];
  const topFns = new Map<string, Node>();
  for (const st of body) if (st.type === "FunctionDeclaration") topFns.set((st.id as Node).name as string, st);

  const declared = new Map<string, number>();
  const count = (p: unknown) => {
    if (isNode(p) && p.type === "Identifier") declared.set(p.name as string, (declared.get(p.name as string) ?? 0) + 1);
  };
  // for each use of a top-level function's name: the function (or class) it sits in, and whether it is a call
  const uses = new Map<string, { inside: Node; called: boolean }[]>();
  const visit = (n: Node, parent: Node | undefined, inside: Node): void => {
    switch (n.type) {
      case "VariableDeclarator": count(n.id); break;
      case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
        if (n.id) count(n.id);
        for (const p of n.params as Node[]) count(p);
        break;
      case "ClassDeclaration": case "ClassExpression": if (n.id) count(n.id); break;
      case "CatchClause": if (n.param) count(n.param); break;
      case "Identifier": {
        const p = parent!;
        const name = n.name as string;
        if (!topFns.has(name)) return;
        const isKey = (p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && p.key === n && !p.computed && !p.shorthand;
        const isMember = p.type === "MemberExpression" && p.property === n && !p.computed;
        if (isKey || isMember || p.id === n) return;
        const list = uses.get(name) ?? [];
        list.push({ inside, called: (p.type === "CallExpression" || p.type === "NewExpression") && p.callee === n });
        uses.set(name, list);
        return;
      }
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
 * 4. nestInto: the on-demand module also reads the records at boot (src/boot.ts `bootRecords`),
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
 * 3. aliasThis: `this.` is five bytes of flash at every use, and the interpreter reads them all
 * each time the code runs. A function (a method, a constructor) that says `this` at least
 * ALIAS_MIN times gets `const self=this;` first and the short local name (after minifying) at
 * every use instead. Not in a function that makes another function (an arrow or a closure keeps
 * its maker's variables alive, so the alias would cost RAM), nor in a constructor of a derived
 * class (no `this` before `super()`). Costs no RAM: the local lives while the call runs.
 */
export const ALIAS_MIN = 4;

export function aliasThis(code: string): { code: string; aliased: number } {
  const ast = parse(code, { ecmaVersion: 2022 }) as unknown as Node;
  const edits: { start: number; end: number; text: string }[] = [];
  let aliased = 0;
  let serial = 0;
  // the `this` of `fn` itself (not of a function inside it), or undefined when it makes a function
  const thisOf = (fn: Node): Node[] | undefined => {
    const found: Node[] = [];
    let nested = false;
    const walk = (n: Node): void => {
      if (n !== fn && FUNCTION_TYPES.has(n.type)) {
        nested = true;
        return;
      }
      if (n.type === "ClassDeclaration" || n.type === "ClassExpression") {
        nested = true;
        return;
      }
      if (n.type === "ThisExpression") found.push(n);
      for (const c of children(n)) walk(c);
    };
    walk(fn.body as Node);
    return nested ? undefined : found;
  };
  const visit = (n: Node, derivedCtor: boolean): void => {
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression") && !derivedCtor) {
      const uses = thisOf(n);
      const body = n.body as Node;
      if (uses && uses.length >= ALIAS_MIN && body.type === "BlockStatement") {
        const name = "self$" + serial++;
        const stmts = body.body as Node[];
        let at = body.start + 1;
        for (const st of stmts) if (st.type === "ExpressionStatement" && typeof st.directive === "string") at = st.end;
        edits.push({ start: at, end: at, text: "const " + name + "=this;" });
        for (const u of uses) edits.push({ start: u.start, end: u.end, text: name });
        aliased++;
      }
    }
    if (n.type === "ClassDeclaration" || n.type === "ClassExpression") {
      const derived = n.superClass !== null && n.superClass !== undefined;
      for (const m of ((n.body as Node).body as Node[])) {
        const ctor = m.type === "MethodDefinition" && m.kind === "constructor";
        for (const c of children(m)) visit(c, derived && ctor);
      }
      return;
    }
    for (const c of children(n)) visit(c, false);
  };
  visit(ast, false);
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { code: out, aliased };
}
