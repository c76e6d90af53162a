// npm run upload: the espruino CLI argv builder, and tools/upload.ts run as a child process
// against ports where no board can answer (plus a fake Espruino over tcp:// for the happy path).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pretokenise } from "../tools/pretokenise.ts";
import {
  ROOT,
  buildEspruinoArgs,
  espruinoCliPath,
  judgeCheck,
  judgeUpload,
  loadConfig,
  uploadRefused,
  missingModules,
  portKind,
  type CliResult,
  type UploadConfig,
} from "../tools/upload.ts";

const UPLOAD_TS = join(ROOT, "tools", "upload.ts");
const KILL_AFTER_MS = 60_000;

/** The espruino CLI is a package of its own (tools/upload/), installed by `npm run upload:install`. */
function cliInstalled(): boolean {
  try {
    return existsSync(espruinoCliPath());
  } catch {
    return false;
  }
}
const CLI = cliInstalled();
/** A test that runs the real espruino CLI: registered only when it is installed (see before()). */
const cliIt = (title: string, fn: () => Promise<void>): void => {
  if (CLI) it(title, fn);
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run tools/upload.ts (or a copy of it) as `npm run upload` would (tsx), killed after 60 s. */
function runUpload(args: string[], env: Record<string, string | undefined>, script = UPLOAD_TS): Promise<Run> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.BMS_PORT;
  delete childEnv.BMS_BUNDLE;
  delete childEnv.BMS_SKIP_BUILD;
  delete childEnv.BMS_PREVIEW;
  delete childEnv.BMS_PIN;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A TCP server standing in for a board; `answer` makes it reply with an Espruino prompt. */
function fakeBoard(answer: boolean): Promise<{ server: Server; port: number; received: () => string }> {
  let received = "";
  const server = createServer((socket) => {
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
      if (answer && d.includes(10)) socket.write("\r\n>");
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      assert.ok(addr && typeof addr === "object");
      resolve({ server, port: addr.port, received: () => received });
    });
  });
}

interface FakeEspruinoOptions {
  /** what the uploaded firmware does at load(): runs (sets its PIN and locks the console) or throws */
  boot: "runs" | "throws";
  /** a firmware is already running with this PIN, its console locked (a board updated before) */
  lockedWith?: string;
}

/**
 * A stand-in for a board on tcp://, closer to Espruino than fakeBoard: a console that a PIN
 * locks ("Invalid password", "password>", "Logged in." as in jsinteractive.c), reset() that stops
 * the firmware and drops its PIN, Storage writes of .bootcde, and load() that boots the uploaded
 * firmware, which either locks the console and answers bms.version(), or throws as a firmware
 * whose LED1 is missing does. Its state lasts across connections, like a board's.
 */
function fakeEspruino(o: FakeEspruinoOptions): Promise<{ server: Server; port: number; received: () => string; bootcdeWrites: () => number }> {
  let received = "";
  let bootcdeWrites = 0;
  const st = { pin: o.lockedWith, locked: o.lockedWith !== undefined, bms: o.lockedWith !== undefined };
  const storedPin = o.lockedWith ?? "000000"; // the PIN setting lives in flash: an upload keeps it
  const server = createServer((socket) => {
    let line = "";
    const say = (text: string): void => void socket.write(text.replace(/\n/g, "\r\n"));
    const handle = (raw: string): void => {
      if (st.locked) {
        if (raw === st.pin) {
          st.locked = false;
          say("\n  Logged in.\n>");
        } else say("\n  Invalid password\npassword>");
        return;
      }
      // DLE (no echo) and the CLI's "ESC [ n d" (the line number of what follows), as Espruino reads them
      const code = raw.replace(/^\x10/, "").replace(/^\x1b\[\d+d/, "");
      if (code.startsWith("reset()")) {
        st.pin = undefined;
        st.bms = false;
        return say("\n>");
      }
      if (code.includes('.write(".bootcde"')) bootcdeWrites++;
      if (code.startsWith("load()")) {
        if (o.boot === "throws") return say('Uncaught ReferenceError: "LED1" is not defined\n at line 1 col 20\n>');
        st.bms = true;
        st.pin = storedPin;
        st.locked = true; // the firmware locks the console at boot
        return say("\n>");
      }
      const print = /^print\("([^"]*)", (?:"([^"]*)"|(JSON\.stringify\(bms\.version\(\)\)))\)$/.exec(code);
      if (print && print[2] !== undefined) return say(`${print[1]} ${print[2]}\n>`);
      if (print) return say(st.bms ? `${print[1]} {"api":1,"fw":"0.1.0"}\n>` : 'Uncaught ReferenceError: "bms" is not defined\n>');
      if (/^\d+$/.test(code)) return say(`=${Number(code)}\n>`);
      say("\n>");
    };
    socket.on("data", (d: Buffer) => {
      const text = d.toString("latin1");
      received += text;
      for (const ch of text) {
        if (ch === "\x03") line = "";
        else if (ch === "\n") {
          handle(line.replace(/\x1b$/, ""));
          line = "";
        } else if (ch !== "\r") line += ch;
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      assert.ok(addr && typeof addr === "object");
      resolve({ server, port: addr.port, received: () => received, bootcdeWrites: () => bootcdeWrites });
    });
  });
}

/**
 * The files the CLI's `require("Storage").write(name, atob("…"), offset[, size])` lines write, as
 * Espruino would hold them (one char per byte).
 */
function storageWrites(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  const re = /require\("Storage"\)\.write\(("[^"]+"),atob\(("[^"]*")\),(\d+)(?:,(\d+))?\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = JSON.parse(m[1]) as string;
    const part = Buffer.from(JSON.parse(m[2]) as string, "base64").toString("latin1");
    const at = Number(m[3]);
    if (m[4] !== undefined) files[name] = "\0".repeat(Number(m[4]));
    files[name] = files[name].slice(0, at) + part + files[name].slice(at + part.length);
  }
  return files;
}

function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+[:(]/m, `stack trace in output:\n${text}`);
}

describe("npm run upload", () => {
  let config: UploadConfig;
  let dir: string;
  let bundle: string;

  before(async () => {
    config = await loadConfig();
    dir = mkdtempSync(join(tmpdir(), "bms-upload-"));
    bundle = join(dir, "bms.js");
    // A stand-in bundle over 512 bytes (shorter uploads never complete, docs/espruino.md).
    writeFileSync(bundle, `(function(){var s=require("Storage");var n=0;${"n++;".repeat(150)}s.write("t",String(n));})();\n`);
    if (!CLI) {
      if (process.env.BMS_UPLOAD_CLI === "required") throw new Error("BMS_UPLOAD_CLI=required, but the espruino CLI is not installed: run `npm run upload:install`");
      console.log("    (the upload tests that run the real espruino CLI were not run: it is not installed; `npm run upload:install` adds it)");
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("espruino CLI argv", () => {
    it("uploads a local board JSON to a serial port, saved to flash, nothing fetched", () => {
      const args = buildEspruinoArgs(config, "PUCKJS", { bundle: "dist/bms.js", port: "/dev/ttyACM0" });
      const i = args.indexOf("--board");
      assert.ok(i >= 0);
      const boardJson = args[i + 1];
      assert.equal(boardJson, "boards/PUCKJS.json");
      // A --board value with a "." is read as a file; without one the CLI downloads <name>.json.
      assert.ok(boardJson.includes("."));
      const json = JSON.parse(readFileSync(join(ROOT, boardJson), "utf8")) as { info: { binary_version: string; builtin_modules: string[] } };
      assert.equal(json.info.binary_version, "2v29"); // else the CLI falls back to E.setBootCode
      for (const m of ["Storage", "crypto"]) assert.ok(json.info.builtin_modules.includes(m), m);
      assert.ok(!json.info.builtin_modules.includes("ble_hid_keyboard"), "a JS module from espruino.com, not built in");

      const configs = args.filter((_, k) => args[k - 1] === "--config");
      assert.ok(configs.includes("SAVE_ON_SEND=0"), "the code sent is load(): the files go to Storage byte for byte first");
      assert.ok(configs.includes("RESET_BEFORE_SEND=1"));
      assert.ok(configs.includes("MINIFICATION_LEVEL="));
      assert.ok(configs.includes("MODULE_URL="), "no module downloads");
      assert.ok(!configs.some((c) => c.startsWith("BOARD_JSON_URL=")));
      assert.ok(args.includes("--no-ble"), "no BLE scan for a serial port");
      assert.ok(args.includes("-t"));
      assert.ok(!args.includes("-o"), "-o would write a preview instead of uploading");
      // -p swallows following non-option arguments: the file goes before it, the port last.
      assert.deepEqual(args.slice(-3), ["dist/bms.js", "-p", "/dev/ttyACM0"]);
    });

    it("writes the stored files to Storage, the module first, then sends load()", () => {
      const args = buildEspruinoArgs(config, "PUCKJS", { bundle: "dist/upload/load.js", bootcde: "dist/upload/bootcde.bin", api: "dist/upload/api.bin", port: "/dev/ttyACM0" });
      // the CLI writes the last --storage file first
      assert.deepEqual(args.slice(-7), ["--storage", ".bootcde:dist/upload/bootcde.bin", "--storage", "bms.api.js:dist/upload/api.bin", "dist/upload/load.js", "-p", "/dev/ttyACM0"]);
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js", api: "C:/x.js", port: "/dev/x" }), /holds ":"/);
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js", bootcde: "-x", port: "/dev/x" }), /starts with "-"/);
    });

    it("keeps Bluetooth on for a BLE address and takes the MDBT42Q board JSON", () => {
      const args = buildEspruinoArgs(config, "MDBT42Q", { bundle: "dist/bms.js", port: "aa:bb:cc:dd:ee:ff" });
      assert.equal(args[args.indexOf("--board") + 1], "boards/MDBT42Q.json");
      assert.ok(!args.includes("--no-ble"));
      assert.deepEqual(args.slice(-2), ["-p", "aa:bb:cc:dd:ee:ff"]);
      assert.ok(existsSync(join(ROOT, "boards", "MDBT42Q.json")));
    });

    it("previews with -o and no port", () => {
      const args = buildEspruinoArgs(config, "PUCKJS", { bundle: "dist/bms.js", preview: "dist/upload-preview.js" });
      assert.deepEqual(args.slice(-3), ["dist/bms.js", "-o", "dist/upload-preview.js"]);
      assert.ok(!args.includes("-p"));
      assert.ok(!args.includes("-t"), "setTime is not part of .bootcde");
      assert.ok(args.includes("--no-ble"));
    });

    it("refuses what the CLI would misread", () => {
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js", port: "/dev/x", preview: "p.js" }), /exactly one/);
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js" }), /exactly one/);
      assert.throws(() => buildEspruinoArgs(config, "NOPE", { bundle: "b.js", port: "/dev/x" }), /unknown board/);
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js", port: "Puck.js 1a2b" }), /\.js/);
      assert.throws(() => buildEspruinoArgs(config, "PUCKJS", { bundle: "b.js", preview: "preview.txt" }), /\.js/);
    });

    it("quotes string settings the CLI would JSON.parse into another type", () => {
      const c: UploadConfig = structuredClone(config);
      c.boards.PUCKJS.config = { SAVE_STORAGE_FILE: "123", MODULE_URL: "", COMPILATION: false, SAVE_ON_SEND: 1 };
      const args = buildEspruinoArgs(c, "PUCKJS", { bundle: "b.js", port: "/dev/x" });
      const configs = args.filter((_, k) => args[k - 1] === "--config");
      assert.deepEqual(configs, ['SAVE_STORAGE_FILE="123"', "MODULE_URL=", "COMPILATION=false", "SAVE_ON_SEND=1"]);
    });

    it("classifies ports like the CLI does", () => {
      assert.equal(portKind("AA:bb:cc:dd:ee:ff"), "ble");
      assert.equal(portKind("tcp://192.168.1.50:23"), "tcp");
      assert.equal(portKind("/dev/ttyACM0"), "serial");
      assert.equal(portKind("COM3"), "serial");
      assert.equal(portKind("Puck"), "name");
    });

    it("finds require()d modules the board does not have", () => {
      const code = `var a=require("Storage"),b=require('crypto'),c=require("ble_hid_keyboard");require("Storage")`;
      assert.deepEqual(missingModules(code, ["Storage", "crypto"]), ["ble_hid_keyboard"]);
    });
  });

  describe("judging the CLI's output (it exits 0 even when nothing was uploaded)", () => {
    const base: CliResult = { code: 0, signal: null, timedOut: false, stoppedAfterUpload: false, stdout: "", stderr: "" };
    it("fails on 'Unable to connect!' with exit code 0", () => {
      const msg = judgeUpload({ ...base, stderr: 'serial: Port "/dev/x" not found\nUnable to connect!\n' }, "/dev/x", "PUCKJS", 120);
      assert.match(msg ?? "", /no board reachable on \/dev\/x/);
    });
    it("fails when nothing answered although the CLI says Upload Complete", () => {
      const msg = judgeUpload({ ...base, stdout: "Connected\nUpload Complete\n" }, "tcp://h:23", "PUCKJS", 120);
      assert.match(msg ?? "", /no Espruino answered/);
    });
    it("fails on a timeout", () => {
      const msg = judgeUpload({ ...base, code: null, signal: "SIGTERM", timedOut: true }, "/dev/x", "PUCKJS", 120);
      assert.match(msg ?? "", /within 120 s/);
    });
    it("passes when the board answered and the upload completed", () => {
      assert.equal(judgeUpload({ ...base, stdout: "Connected\n--] >\nUpload Complete\n" }, "/dev/x", "PUCKJS", 120), undefined);
      assert.equal(judgeUpload({ ...base, code: null, signal: "SIGTERM", stoppedAfterUpload: true, stdout: "--] >\nUpload Complete\n" }, "/dev/x", "PUCKJS", 120), undefined);
    });
  });

  describe("judging what runs after the upload", () => {
    const ok = { out: 'Connected\n  Invalid password\npassword>\n  Logged in.\n>bms-check {"api":1,"fw":"0.1.0"}\n>', timedOut: false };
    it("takes the versions from the answer, not from an echo of the question", () => {
      assert.deepEqual(judgeCheck("--] >\nUpload Complete\n", ok, "tcp://h:23 (PUCKJS)"), { fw: "0.1.0", api: 1 });
      const echo = { out: '>print("bms-check", JSON.stringify(bms.version()))\n', timedOut: true };
      assert.match(judgeCheck("", echo, "x").failure ?? "", /did not answer bms\.version\(\) \(no answer in time\)/);
    });
    it("fails on an error printed at boot even when the board answers", () => {
      const up = '--] >\n--] Uncaught ReferenceError: "LED1" is not defined\n--]  at line 1 col 20\nUpload Complete\n';
      assert.match(judgeCheck(up, ok, "x").failure ?? "", /does not run: the board printed Uncaught ReferenceError: "LED1" is not defined$/);
    });
    it("a refused PIN is said so", () => {
      const refused = { out: "  Invalid password\npassword>\n  Invalid password\npassword>", timedOut: false };
      assert.match(judgeCheck("", refused, "x").failure ?? "", /refused the PIN.*BMS_PIN/);
    });
    it("the upload was refused when the lock answered more than the blank line after load()", () => {
      assert.equal(uploadRefused("--] >\n--] >\n--]   Invalid password\nUpload Complete"), false);
      assert.equal(uploadRefused("--]   Invalid password\n--] password>\n--]   Invalid password\nUpload Complete"), true);
    });
  });

  describe("tools/upload.ts as a child process", () => {
    it("without a port: exit 1 and one clear message", async () => {
      const r = await runUpload([], { BMS_SKIP_BUILD: "1", BMS_BUNDLE: bundle });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /^upload failed: no port given/m);
      assert.match(r.stderr, /BMS_PORT=\/dev\/ttyACM0 npm run upload/);
      assert.match(r.stderr, /npm run upload -- --port aa:bb:cc:dd:ee:ff/);
      assertNoStackTrace(r.stdout + r.stderr);
    });

    it("without the espruino CLI installed: exit 1, says how to add it", async () => {
      // A copy of the project's upload parts in a directory where no espruino package can be found.
      const copy = join(dir, "no-cli");
      mkdirSync(join(copy, "tools"), { recursive: true });
      mkdirSync(join(copy, "boards"));
      copyFileSync(UPLOAD_TS, join(copy, "tools", "upload.ts"));
      mkdirSync(join(copy, "src")); // upload.ts takes the Storage file names from src/files.ts
      copyFileSync(join(ROOT, "src", "files.ts"), join(copy, "src", "files.ts"));
      copyFileSync(join(ROOT, "espruino.config.js"), join(copy, "espruino.config.js"));
      for (const f of readdirSync(join(ROOT, "boards"))) copyFileSync(join(ROOT, "boards", f), join(copy, "boards", f));
      const r = await runUpload(["--port", "tcp://127.0.0.1:9"], { BMS_BUNDLE: bundle }, join(copy, "tools", "upload.ts"));
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /^upload failed: the espruino CLI is not installed/m);
      assert.match(r.stderr, /Add it once with: {2}npm run upload:install$/m);
      assert.doesNotMatch(r.stdout, /→/, "nothing was sent");
      assertNoStackTrace(r.stdout + r.stderr);
    });

    it("`npm install` brings none of the CLI's packages; `npm run upload:install` does", () => {
      const name = (path: string): string => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
      const cliPart = /^(espruino|usb|serialport|@serialport\/.*|@abandonware\/.*)$/;
      const main = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
      assert.deepEqual(Object.keys(main.packages).filter((p) => cliPart.test(name(p))), []);
      const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
      assert.match(pkg.scripts["upload:install"], /^npm ci --prefix tools\/upload\b/);
      const upload = JSON.parse(readFileSync(join(ROOT, "tools", "upload", "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
      assert.equal(upload.packages["node_modules/espruino"]?.version, "0.1.67");
    });

    cliIt("with a serial port that cannot exist: exit 1 and one clear message", async () => {
      const r = await runUpload(["--port", "/dev/does-not-exist"], { BMS_SKIP_BUILD: "1", BMS_BUNDLE: bundle });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /^upload failed: no board reachable on \/dev\/does-not-exist \(PUCKJS\)/m);
      assert.match(r.stderr, /BMS_PORT=/);
      assert.equal(r.stderr.match(/upload failed/g)?.length, 1);
      assertNoStackTrace(r.stdout + r.stderr);
      assert.ok(r.ms < KILL_AFTER_MS, `took ${r.ms} ms`);
    });

    cliIt("with BMS_PORT set to a refused tcp:// port: exit 1", async () => {
      const { server, port } = await fakeBoard(false);
      server.close(); // nothing listens there any more
      const r = await runUpload([], { BMS_BUNDLE: bundle, BMS_PORT: `tcp://127.0.0.1:${port}` });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /no board reachable on tcp:\/\/127\.0\.0\.1/);
      assertNoStackTrace(r.stdout + r.stderr);
    });

    cliIt("with a BLE address and no board in range: exit 1, no stack trace", async () => {
      const r = await runUpload(["--port", "aa:bb:cc:dd:ee:fe"], { BMS_BUNDLE: bundle });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /^upload failed: .*aa:bb:cc:dd:ee:fe/m);
      assertNoStackTrace(r.stdout + r.stderr);
    });

    cliIt("to something that never answers: exit 1", async () => {
      const board = await fakeBoard(false);
      try {
        const r = await runUpload(["--port", `tcp://127.0.0.1:${board.port}`], { BMS_BUNDLE: bundle });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /no Espruino answered/);
      } finally {
        board.server.close();
      }
    });

    cliIt("to a fake Espruino over tcp://: resets, writes .bootcde, loads it, then asks what runs", async () => {
      const board = await fakeEspruino({ boot: "runs" });
      try {
        const r = await runUpload(["--port", `tcp://127.0.0.1:${board.port}`, "--board", "MDBT42Q"], { BMS_BUNDLE: bundle });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^upload: done, the MDBT42Q on tcp:\/\/127\.0\.0\.1:\d+ runs open-smallbms 0\.1\.0 \(API 1\)/m);
        const sent = board.received();
        assert.ok(sent.includes("\x10reset();\n"), "reset() first");
        const files = storageWrites(sent);
        assert.equal(files[".bootcde"], pretokenise(readFileSync(bundle, "latin1")), ".bootcde holds the bundle pretokenised, byte for byte");
        assert.ok(sent.indexOf('.write(".bootcde"') < sent.lastIndexOf("load()\n"), "written before load()");
        assert.match(sent, /\x10(\x1b\[\d+d)?load\(\)\n/, "load() last");
        assert.doesNotMatch(sent, /E\.setBootCode/);
        const after = sent.slice(sent.lastIndexOf("load()\n"));
        assert.ok(after.includes("\n000000\n"), "the PIN on a line of its own, after the boot locked the console");
      } finally {
        board.server.close();
      }
    });

    cliIt("to a board whose firmware throws at boot: exit 1 with the error it printed", async () => {
      const board = await fakeEspruino({ boot: "throws" });
      try {
        const r = await runUpload(["--port", `tcp://127.0.0.1:${board.port}`], { BMS_BUNDLE: bundle });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.doesNotMatch(r.stdout, /upload: done/);
        assert.match(r.stderr, /^upload failed: .*Uncaught ReferenceError: "LED1" is not defined/m);
        assertNoStackTrace(r.stderr);
      } finally {
        board.server.close();
      }
    });

    cliIt("to a board already running the firmware: logs in with the PIN, stops it, then uploads", async () => {
      const board = await fakeEspruino({ boot: "runs", lockedWith: "4711" });
      try {
        const r = await runUpload(["--port", `tcp://127.0.0.1:${board.port}`], { BMS_BUNDLE: bundle, BMS_PIN: "4711" });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.ok(board.bootcdeWrites() > 0, "the new firmware was written");
        assert.match(r.stdout, /runs open-smallbms 0\.1\.0/);
      } finally {
        board.server.close();
      }
    });

    cliIt("to a locked board with the wrong PIN: exit 1, nothing written", async () => {
      const board = await fakeEspruino({ boot: "runs", lockedWith: "4711" });
      try {
        const r = await runUpload(["--port", `tcp://127.0.0.1:${board.port}`], { BMS_BUNDLE: bundle });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /^upload failed: .*refused the PIN/m);
        assert.match(r.stderr, /BMS_PIN/);
        assert.equal(board.bootcdeWrites(), 0);
      } finally {
        board.server.close();
      }
    });

    cliIt("--dry-run prints the command and writes the preview without a device", async () => {
      const preview = join(dir, "preview.js");
      const r = await runUpload(["--dry-run"], { BMS_BUNDLE: bundle, BMS_PREVIEW: preview });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /espruino-cli\.js --board boards\/PUCKJS\.json .*--config SAVE_ON_SEND=0 .* -p '<port>'/);
      assert.match(r.stdout, / -o .*preview\.js/);
      const sent = readFileSync(preview, "latin1");
      assert.equal(storageWrites(sent)[".bootcde"], pretokenise(readFileSync(bundle, "latin1")), "the preview writes the bundle pretokenised to .bootcde");
      assert.match(sent, /\nload\(\)\n?$/, "then boots it");
    });
  });
});
