// Build step: which short name each shortened property gets. esbuild hands out short names in
// the order it meets the properties, one file at a time, so a property the code names 40 times
// could get two letters while one named twice got one. Flash pays per use: the build bundles
// once, counts how often each shortened property is written in both files as they came out,
// and bundles again with the one-letter names given to the most used (docs/espruino.md,
// "Pretokenised code": a property's name is stored as its text at every use).
import { parse } from "acorn";
import { children, isNode, type Node } from "./shrink-resident.ts";

/** How often each name is written as a property in `code`: `a.name`, `{name: ...}`, `name() {}`, a class field. */
export function propertyUses(code: string): Map<string, number> {
  const uses = new Map<string, number>();
  const count = (key: unknown) => {
    if (!isNode(key)) return;
    const name = key.type === "Identifier" ? key.name : key.type === "Literal" ? key.value : undefined;
    if (typeof name === "string") uses.set(name, (uses.get(name) ?? 0) + 1);
  };
  const visit = (n: Node): void => {
    if (n.type === "MemberExpression" && n.computed !== true) count(n.property);
    else if ((n.type === "Property" || n.type === "MethodDefinition" || n.type === "PropertyDefinition") && n.computed !== true) count(n.key);
    for (const c of children(n)) visit(c);
  };
  visit(parse(code, { ecmaVersion: 2022 }) as unknown as Node);
  return uses;
}

const FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
const NEXT = FIRST + "0123456789";
/** words a property may not be called here: Espruino's lexer reads them as keywords after a dot */
const WORDS = new Set(["do", "if", "in", "of"]);

/** Short names, shortest first, without the reserved ones. */
function* shortNames(reserved: Set<string>): Generator<string> {
  for (const a of FIRST) if (!reserved.has(a)) yield a;
  for (const a of FIRST) for (const b of NEXT) if (!reserved.has(a + b) && !WORDS.has(a + b)) yield a + b;
  throw new Error("assign-names: more than 3,510 properties to name");
}

/**
 * A mangle cache for esbuild: each shortened property (the keys of `first`, esbuild's cache of the
 * first bundling, whose values are the names it gave) gets a name by how often `texts` write it,
 * the most used first. A name some property keeps is never handed out: `keep` (src/'s kept names,
 * tools/mangle-names.ts: a record's key is kept in one file and could be a short name in the
 * other), any property name in `texts` that was not shortened, and the cache's `false` entries.
 */
export function assignNames(first: Record<string, string | false>, texts: string[], keep: Iterable<string> = []): Record<string, string | false> {
  const original = new Map<string, string>();
  for (const [name, short] of Object.entries(first)) if (short !== false) original.set(short, name);
  const uses = new Map<string, number>();
  const reserved = new Set<string>(keep);
  for (const [name, short] of Object.entries(first)) if (short === false) reserved.add(name);
  for (const text of texts) {
    for (const [written, n] of propertyUses(text)) {
      const name = original.get(written);
      if (name === undefined) reserved.add(written);
      else uses.set(name, (uses.get(name) ?? 0) + n);
    }
  }
  // (a shortened property the files no longer write still gets a name, after the rest)
  const order = [...original.values()].sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, string | false> = {};
  for (const [name, short] of Object.entries(first)) if (short === false) out[name] = false;
  const names = shortNames(reserved);
  for (const name of order) out[name] = names.next().value as string;
  return out;
}
