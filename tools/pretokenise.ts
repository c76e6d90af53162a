// Pretokenise a bundle the way Espruino's own lexer reads it (src/jslex.h in Espruino 2v29): each
// operator of two or more characters and each reserved word becomes the one byte the lexer turns
// it into, integers of two digits up to 32767 and plain strings are stored raw (a single digit
// stays text: one byte, where raw it takes two), and no space is kept that the lexer does not need. Espruino runs code by lexing it again at every call, so a pretokenised function
// costs fewer bytes of flash and fewer characters to scan (docs/espruino.md "Pretokenised code").
//
// The inverse, `detokenise`, gives back JavaScript that lexes to the same tokens: the simulated
// board runs what is stored through it, and a test checks the round trip token by token.
import * as acorn from "acorn";

/** Espruino 2v29's token numbers (jslex.h LEX_TYPES): their order is fixed for pretokenised code. */
const OPERATORS = ["==", "===", "!=", "!==", "<=", "<<", "<<=", ">=", ">>", ">>>", ">>=", ">>>=", "+=", "-=", "++", "--",
  "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>"];
const OPERATOR_FIRST = 138;
const WORDS = ["if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const", "this",
  "throw", "try", "catch", "finally", "true", "false", "null", "undefined", "new", "in", "instanceof", "switch", "case",
  "default", "delete", "typeof", "void", "debugger", "class", "extends", "super", "static", "of"];
const WORD_FIRST = 163;
const NULLISH = 208;
const RAW_STRING8 = 209;
const RAW_STRING16 = 210;
const RAW_INT0 = 211;
const RAW_INT8 = 212;
const RAW_INT16 = 213;

const BYTE_OF = new Map<string, number>();
OPERATORS.forEach((op, i) => BYTE_OF.set(op, OPERATOR_FIRST + i));
WORDS.forEach((w, i) => BYTE_OF.set(w, WORD_FIRST + i));
BYTE_OF.set("??", NULLISH);
const TEXT_OF = new Map<number, string>([...BYTE_OF].map(([t, b]) => [b, t]));

type Kind = "word" | "num" | "op" | "regex" | "other";

/** The pretokenised bytes of `source` (JavaScript as the bundle holds it), one char per byte. */
export function pretokenise(source: string): string {
  let out = "";
  let last: { kind: Kind; text: string } = { kind: "other", text: "" };
  for (const t of acorn.tokenizer(source, { ecmaVersion: 2020 }) as Iterable<acorn.Token & { value: unknown }>) {
    const text = source.slice(t.start, t.end);
    let kind: Kind = "other";
    let piece = text;
    const label = t.type.label;
    if (t.type === acorn.tokTypes.name || t.type.keyword !== undefined) {
      const b = BYTE_OF.get(text);
      if (b !== undefined && /^[a-z]+$/.test(text)) piece = String.fromCharCode(b);
      else kind = "word";
    } else if (t.type === acorn.tokTypes.num) {
      kind = "num";
      const v = Number(t.value);
      // (a single digit 1-9 stays text: one byte, where Espruino's own pretokeniser stores two)
      if (/^(?:0|[1-9][0-9]+|0[xX][0-9a-fA-F]+)$/.test(text) && v < 32768) {
        piece = v === 0 ? String.fromCharCode(RAW_INT0) : v < 128 ? String.fromCharCode(RAW_INT8, v) : String.fromCharCode(RAW_INT16, v & 255, v >> 8);
        kind = "other";
      }
    } else if (t.type === acorn.tokTypes.string) {
      const v = String(t.value);
      // Espruino keeps a string with bytes over 127 as UTF-8 text: those stay quoted
      if (v.length > 0 && v.length < 65536 && /^[\x00-\x7f]*$/.test(v)) {
        piece = v.length < 256 ? String.fromCharCode(RAW_STRING8, v.length) + v : String.fromCharCode(RAW_STRING16, v.length & 255, v.length >> 8) + v;
      }
    } else if (t.type === acorn.tokTypes.regexp) {
      kind = "regex";
    } else if (label === "template" || label === "`" || label === "${" || label === "invalidTemplate") {
      throw new Error("pretokenise: template literals are not handled; the bundle has none today");
    } else if (BYTE_OF.has(text)) {
      piece = String.fromCharCode(BYTE_OF.get(text)!);
    } else {
      kind = text === "/" || text === "-" || text === "+" ? "op" : "other";
    }
    // the spaces Espruino's own pretokeniser keeps (jslPreserveSpaceBetweenTokens)
    const idLike = (k: Kind) => k === "word" || k === "num";
    if ((idLike(last.kind) && idLike(kind)) ||
      (last.kind === "op" && kind === "op" && last.text === text && text !== "/") ||
      (last.kind === "num" && text === ".") ||
      (last.text === "/" && kind === "regex") ||
      (last.kind === "regex" && (text === "/" || kind === "word"))) out += " ";
    out += piece;
    last = { kind, text };
  }
  return out;
}

/** Bytes `source` takes in flash once pretokenised, as the upload stores it. */
export function storedBytes(source: string): number {
  return pretokenise(source).length;
}

/** JavaScript that lexes to the same tokens as pretokenised `bytes` (one char per byte). */
export function detokenise(bytes: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c < 128) {
      out += bytes[i];
      continue;
    }
    let piece: string;
    if (c === RAW_STRING8 || c === RAW_STRING16) {
      const n = c === RAW_STRING8 ? bytes.charCodeAt(i + 1) : bytes.charCodeAt(i + 1) | (bytes.charCodeAt(i + 2) << 8);
      const at = i + (c === RAW_STRING8 ? 2 : 3);
      piece = JSON.stringify(bytes.slice(at, at + n));
      i = at + n - 1;
    } else if (c === RAW_INT0) piece = "0";
    else if (c === RAW_INT8) piece = String((bytes.charCodeAt(++i) << 24) >> 24);
    else if (c === RAW_INT16) {
      piece = String(((bytes.charCodeAt(i + 1) | (bytes.charCodeAt(i + 2) << 8)) << 16) >> 16);
      i += 2;
    } else {
      const t = TEXT_OF.get(c);
      if (t === undefined) throw new Error(`detokenise: byte ${c} at ${i} is no token of Espruino 2v29`);
      piece = t;
    }
    // a space either side keeps words and numbers apart, as the lexer saw them
    out += " " + piece + " ";
  }
  return out;
}
