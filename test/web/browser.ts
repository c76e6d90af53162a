// Which Chromium the browser tests drive, with nothing installed by hand and nothing downloaded:
// Debian's /usr/bin/chromium when it is there, else the headless Chromium that ships inside the
// @sparticuz/chromium npm package (brotli-compressed; x86-64 Linux only). The package's binary,
// its fonts and the NSS libraries it needs are unpacked once into node_modules/.cache, so the
// tests need no system library beyond glibc.
// BMS_CHROMIUM=packaged forces the packaged browser (this is how the fallback is tested on a
// machine that has Debian's); BMS_CHROMIUM=/path/to/chrome uses that executable.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";

const ROOT = join(import.meta.dirname, "..", "..");
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export interface Browser {
  executablePath: string;
  /** environment for the browser process (library and font paths of the packaged browser) */
  env: Record<string, string>;
  /** where it came from, for the test log */
  source: string;
}

/** Unpack a ustar archive (regular files and directories only, which is all the package has). */
function untar(tar: Buffer, into: string): void {
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h[0] === 0) break;
    const field = (a: number, b: number): string => h.toString("latin1", a, b).replace(/\0.*$/s, "");
    const prefix = field(345, 500);
    const name = (prefix ? prefix + "/" : "") + field(0, 100);
    const size = parseInt(field(124, 136).trim() || "0", 8);
    const type = String.fromCharCode(h[156] || 48);
    const dest = join(into, name);
    if (!dest.startsWith(into) || name.includes("..")) throw new Error(`unsafe path in archive: ${name}`);
    if (type === "5") mkdirSync(dest, { recursive: true });
    else if (type === "0") {
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, tar.subarray(off + 512, off + 512 + size), { mode: parseInt(field(100, 108).trim() || "644", 8) & 0o755 });
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
}

/** The packaged headless Chromium, unpacked on first use into node_modules/.cache. */
function packagedChromium(): Browser {
  const require = createRequire(join(ROOT, "package.json"));
  let pkgDir: string;
  try {
    pkgDir = join(dirname(require.resolve("@sparticuz/chromium")), "..", ".."); // build/cjs/index.cjs
  } catch {
    throw new Error("no Chromium: neither /usr/bin/chromium nor the @sparticuz/chromium package (run `npm install`)");
  }
  const pkgJson = join(pkgDir, "package.json");
  const version = (JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string }).version;
  const bin = join(pkgDir, "bin");
  if (process.platform !== "linux" || !existsSync(join(bin, "chromium.br"))) {
    throw new Error(`the packaged Chromium is built for x86-64 Linux only (this is ${process.platform}/${process.arch}); set BMS_CHROMIUM=/path/to/chrome`);
  }
  const dir = join(ROOT, "node_modules", ".cache", `open-smallbms-chromium-${version}`);
  const exe = join(dir, "chromium");
  if (!existsSync(exe)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const a of ["swiftshader", "fonts", "al2023"]) untar(brotliDecompressSync(readFileSync(join(bin, `${a}.tar.br`))), tmp);
    writeFileSync(join(tmp, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, "fonts")}</dir><cachedir>${join(dir, "fonts-cache")}</cachedir></fontconfig>\n`);
    writeFileSync(join(tmp, "chromium"), brotliDecompressSync(readFileSync(join(bin, "chromium.br"))), { mode: 0o755 });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir); // whole or not at all: a half-unpacked browser is never used
  }
  return {
    executablePath: exe,
    env: { LD_LIBRARY_PATH: [join(dir, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"), FONTCONFIG_FILE: join(dir, "fonts.conf") },
    source: `@sparticuz/chromium ${version} (packaged)`,
  };
}

export function findChromium(): Browser {
  const want = process.env.BMS_CHROMIUM;
  if (want && want !== "packaged") {
    if (!existsSync(want)) throw new Error(`BMS_CHROMIUM=${want}: no such file`);
    return { executablePath: want, env: {}, source: want };
  }
  if (want !== "packaged" && existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, env: {}, source: SYSTEM_CHROMIUM };
  return packagedChromium();
}
