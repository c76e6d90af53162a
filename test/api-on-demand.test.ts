// The firmware in two Storage files (docs/architecture.md "Two files"): the resident .bootcde and
// the on-demand module bms.api.js, which holds the `bms` API, the RPC and the settings checks. On
// the built bundles: the module is read from Storage when a client uses `bms`, kept 5 s after the
// last use, then let go. It also reads the records at boot: without it (or without the memory to
// load it) the settings are unknown, so E-B11 floats both outputs, and `bms` says what is missing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_FILE, DEFAULT_API, DEFAULT_BUNDLE } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { DEFAULT_PIN } from "../src/settings.ts";
import { pretokenise } from "../tools/pretokenise.ts";
import { Feeder, layout } from "./feed.ts";
import { bootBoard, countModuleReads, outputs, readyBoard, remoteOn } from "./helpers.ts";

describe("the on-demand module bms.api.js", () => {
  it("is_in_storage_next_to_the_firmware_as_after_an_upload", () => {
    const storage = new SimStorage();
    bootBoard({ storage });
    // as the upload stores them: pretokenised (tools/pretokenise.ts)
    assert.equal(storage.read(".bootcde"), pretokenise(readFileSync(DEFAULT_BUNDLE, "latin1")));
    assert.equal(storage.read(API_FILE), pretokenise(readFileSync(DEFAULT_API, "latin1")));
  });

  it("is_read_when_a_client_uses_bms_kept_5_s_after_the_last_use_then_let_go", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    const reads = countModuleReads(storage);
    assert.equal(b.call("bms.status().v"), 13.3);
    assert.equal(reads.n, 1, "loaded for the first call");
    b.advance(4000);
    assert.equal(b.call("bms.codes().length"), 0);
    b.advance(4000);
    assert.equal(b.call("bms.settings().tailCurrent"), 4);
    assert.equal(reads.n, 1, "calls less than 5 s apart reuse it");
    b.advance(5100);
    assert.equal(b.call("bms.version().api"), 1);
    assert.equal(reads.n, 2, "5 s after the last use it was let go: loaded again");
  });

  it("answers_the_rpc_and_a_setting_survives_the_module_being_let_go", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    b.radio.connect();
    b.uart("000000\n");
    assert.equal(b.uart('\x10bms.rpc(4, "set", ["lowSocDelay", 60])\n'), '{"id":4,"ok":60}\n');
    b.advance(10_000);
    assert.equal(b.call("bms.settings().lowSocDelay"), 60);
  });

  it("without_it_the_settings_are_unknown_so_E_B11_floats_both_outputs_and_bms_names_the_missing_file", () => {
    const code = readFileSync(DEFAULT_BUNDLE, "utf8");
    const b = bootBoard({ code }); // no module: an upload of .bootcde alone
    assert.match(b.console, /bms: E-B11, bms\.api\.js missing\n/);
    new Feeder(b, layout(1, 1)).start();
    b.advance(2000);
    remoteOn(b);
    b.advance(5000);
    assert.equal(outputs(b), "Z Z Z", "a sound bank and the remote on, but settings that could not be read: both float");
    assert.equal(b.level("LED1"), "H", "the red LED is on for the error");
    assert.match(b.repl("bms.status()"), /Uncaught bms: bms\.api\.js missing: upload the firmware again/);
    assert.deepEqual(b.uncaught.map((u) => u.during), ["repl"]);
  });

  it("with_too_little_memory_at_boot_to_read_the_records_E_B11_floats_both_outputs_until_a_restart", () => {
    const storage = new SimStorage();
    const b = bootBoard({ storage, freeVars: 100 });
    assert.match(b.console, /bms: E-B11, low on memory/);
    new Feeder(b, layout(1, 1)).start();
    b.advance(2000);
    remoteOn(b);
    b.freeVars = 1500; // memory back: the fault stays latched until a restart
    b.advance(5000);
    assert.equal(outputs(b), "Z Z Z");
    assert.equal(b.call("bms.codes().join(' ')"), "E-B11", "latched: memory coming back does not clear it");
  });

  it("reads_the_records_at_boot_and_is_let_go_after", () => {
    const storage = new SimStorage();
    const { b } = readyBoard({ storage });
    b.call('bms.set("lowSocDelay", 60)');
    b.advance(6000); // let go
    const reads = countModuleReads(storage);
    b.reset("power-on");
    b.repl(DEFAULT_PIN); // the console is locked again at boot
    assert.equal(reads.n, 1, "read once at boot");
    new Feeder(b, layout(1, 1)).start();
    b.advance(3000);
    remoteOn(b);
    b.advance(2000);
    assert.equal(outputs(b), "H H Z", "settings read: both outputs allowed on a sound bank");
    b.advance(6000);
    assert.equal(b.call("bms.settings().lowSocDelay"), 60, "the stored setting was read at boot");
    assert.equal(reads.n, 2, "let go after boot: a client's use loads it again");
  });
});
