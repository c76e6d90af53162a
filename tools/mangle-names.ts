// Build step: which property names the build shortens, derived from the code (no hand-kept list).
// A property name is shortened when every use of it in src/ is of a member that src/ declares
// itself (a class field or method, a member of a src interface, a key of an object literal
// typed by one). It keeps its name when any use is public:
//  - a member of an Espruino or JavaScript API (declared in typings/, @types/espruino or
//    TypeScript's lib: `on`, `set`, `read`, `manufacturerData`, ...);
//  - a key of an object literal that no src type describes (it may go to an API: `{ mode: "ECB" }`,
//    or be stored as JSON in flash: the records' `{ s: ... }`), or a name read through an index
//    signature or from an untyped value (`r.v` of a record);
//  - a method of the `bms` API (src/api.ts `createApi`: called by name over the RPC).
// The settings' keys are shortened: a person's names for them, and the stored record's keys, are
// the schema's strings, and the module finds a name's held key by its row (src/settings.ts heldKey).
// Quoted keys (every reply key in src/api.ts) are never shortened by esbuild at all.
// esbuild renames by name, bundle-wide: one public use keeps the name everywhere.
import { dirname, join, resolve, sep } from "node:path";
import ts from "typescript";

export function mangleableNames(root: string): { mangle: string[]; keep: string[] } {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("tsconfig.json unreadable");
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const srcDir = resolve(root, "src") + sep;
  const inSrc = (d: ts.Declaration) => resolve(d.getSourceFile().fileName).startsWith(srcDir);

  const seen = new Set<string>();
  const keep = new Set<string>();
  /** a use of `name` whose member is `sym`: public unless src declares it (and only src) */
  const use = (name: string, sym: ts.Symbol | undefined) => {
    seen.add(name);
    const decls = sym?.declarations ?? [];
    if (decls.length === 0 || !decls.every(inSrc)) keep.add(name);
  };
  /** the property `name` of a src type, if `type` (or a union member) declares one */
  const memberOf = (type: ts.Type | undefined, name: string): ts.Symbol | undefined => {
    if (!type) return undefined;
    for (const t of type.isUnion() ? type.types : [type]) {
      const p = checker.getPropertyOfType(t, name);
      if (p && (p.declarations ?? []).length > 0) return p;
    }
    return undefined;
  };

  for (const sf of program.getSourceFiles()) {
    if (!resolve(sf.fileName).startsWith(srcDir)) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.name)) {
        const sym = checker.getSymbolAtLocation(n.name);
        // a module's export read through `import * as H` is no property once bundled: left alone
        const exported = (sym?.declarations ?? []).some((d) => inSrc(d) && (ts.isVariableDeclaration(d) || ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d)));
        if (!exported) use(n.name.text, sym);
      } else if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n) || ts.isMethodDeclaration(n) ||
        ts.isGetAccessor(n) || ts.isSetAccessor(n)) && ts.isObjectLiteralExpression(n.parent)) {
        if (ts.isIdentifier(n.name)) {
          // an object literal's key: described by the type it is written for, or public
          use(n.name.text, memberOf(checker.getContextualType(n.parent), n.name.text));
        }
      } else if ((ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isParameter(n)) &&
        ts.isClassLike(n.parent.kind === ts.SyntaxKind.Constructor ? n.parent.parent : n.parent)) {
        // class members (and constructor parameter properties) are declared here
        if (n.name && ts.isIdentifier(n.name) && (!ts.isParameter(n) || ts.getModifiers(n)?.length)) {
          use(n.name.text, checker.getSymbolAtLocation(n.name));
        }
      } else if (ts.isElementAccessExpression(n) && ts.isStringLiteral(n.argumentExpression)) {
        keep.add(n.argumentExpression.text);
      }
      if (ts.isFunctionDeclaration(n) && n.name?.text === "createApi") {
        const sig = checker.getSignatureFromDeclaration(n);
        if (sig) for (const p of checker.getReturnTypeOfSignature(sig).getProperties()) keep.add(p.name);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const mangle = [...seen].filter((n) => !keep.has(n)).sort();
  return { mangle, keep: [...keep].filter((n) => seen.has(n)).sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(dirname(new URL(import.meta.url).pathname), "mangle-names.ts")) {
  const r = mangleableNames(resolve(dirname(new URL(import.meta.url).pathname), ".."));
  console.log("shortened:", r.mangle.join(" "));
  console.log("kept:", r.keep.join(" "));
}
