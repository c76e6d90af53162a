// When memory is short (docs/device-budget.md "A client's session"): the on-demand module is not
// loaded, because running out of memory half-way through loading it would stop the interpreter and
// the tick with it. `bms` says so and the BMS goes on protecting; records that could not be written
// are written once there is memory again. On the built bundles, the simulated board telling the
// firmware how many variables are free.
import assert from "node:assert/strict";
import { SIM_FREE_VARS } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { Feeder, layout } from "./feed.ts";
import { decodeAdvert } from "../tools/readout.ts";
import { bootBoard, countModuleReads, outputs, readyBoard, remoteOn } from "./helpers.ts";

/** fewer free variables than any client session needs */
const SHORT = 100;

describe("memory short", () => {
  it("bms_says_not_enough_memory_without_loading_the_module_and_the_bms_keeps_protecting", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    remoteOn(b);
    b.advance(1000);
    assert.equal(outputs(b), "H H Z");
    const reads = countModuleReads(storage);
    b.freeVars = SHORT;
    assert.match(b.repl("bms.status()"), /Uncaught (Error: )?bms: low on memory, try again/);
    assert.equal(reads.n, 0, "the module is not even read");
    assert.equal(outputs(b), "H H Z", "outputs stay as they were");
    feed.stop();
    b.advance(31_000);
    assert.equal(outputs(b), "Z Z Z", "the tick still runs: 30 s without data (A-B05) floats both outputs");
    b.freeVars = SIM_FREE_VARS;
    assert.ok(b.call<string[]>("bms.codes()").includes("A-B05"), "with memory back the same call works");
    assert.equal(reads.n, 1);
  });

  it("a_soc_record_waits_for_memory_then_is_written", () => {
    const storage = new SimStorage();
    const b = bootBoard({ storage });
    b.freeVars = SHORT;
    new Feeder(b, layout(1, 1)).start(); // discharging 5 A: the consumed Ah move, a record is due every 5 min
    b.advance(11 * 60_000);
    assert.deepEqual(storage.list(/^bms\.soc/), [], "nothing written while memory is short");
    b.freeVars = SIM_FREE_VARS;
    b.advance(5 * 60_000);
    assert.equal(storage.list(/^bms\.soc/).length, 1, "written at the next look, 5 min later");
  });

  it("a_learned_battery_is_saved_once_memory_is_back", () => {
    const storage = new SimStorage();
    const b = bootBoard({ storage });
    b.freeVars = SHORT;
    new Feeder(b, layout(1, 2)).start();
    b.advance(60_000); // learned after the 30 s window after boot
    assert.deepEqual(storage.list(/^bms\.bank/), [], "not written while memory is short");
    b.freeVars = SIM_FREE_VARS;
    b.advance(2000);
    assert.equal(storage.list(/^bms\.bank/).length, 1, "written with the next frame");
    b.reset();
    b.repl("000000");
    assert.equal(b.call("bms.battery().learned.length"), 2, "and it survives a restart");
  });

  it("the_readout_stops_at_the_end_of_its_recorded_nonces_and_goes_on_once_memory_is_back", () => {
    const storage = new SimStorage();
    const { b, feed } = readyBoard({ storage });
    remoteOn(b);
    const key = b.call<string>("bms.readoutKey()");
    let nonceWrites = 0;
    const write = storage.write.bind(storage);
    storage.write = (name: string, data: unknown, offset?: number, size?: number) => {
      if (name.startsWith("bms.nonce")) nonceWrites++;
      return write(name, data, offset, size);
    };
    const nonces: number[] = [];
    const collect = () => {
      for (const a of b.radio.adverts) if (a.manufacturerData) nonces.push(decodeAdvert(Buffer.from(a.manufacturerData).toString("hex"), key).nonce);
      b.radio.adverts.length = 0;
    };
    collect();
    b.freeVars = SHORT;
    // a warning that comes and goes every second: a new payload, so a new nonce, each tick
    const m = feed.batteries[0].m;
    for (let s = 0; s < 200; s++) {
      m.cells_mV = s % 2 ? [3300, 3300, 3300, 3300] : [3000, 3300, 3300, 3300];
      b.advance(1000);
    }
    collect();
    const sentShort = nonces.length;
    assert.ok(sentShort > 0 && sentShort <= 64, `the rest of the recorded block goes out, then nothing: ${sentShort} payloads in 200 s`);
    assert.equal(nonceWrites, 0, "no reservation could be written");
    b.freeVars = SIM_FREE_VARS;
    for (let s = 0; s < 10; s++) {
      m.cells_mV = s % 2 ? [3300, 3300, 3300, 3300] : [3000, 3300, 3300, 3300];
      b.advance(1000);
    }
    collect();
    assert.equal(nonceWrites, 1, "the next block is recorded");
    assert.ok(nonces.length - sentShort >= 9, "and the readout goes on");
    assert.equal(new Set(nonces).size, nonces.length, "no nonce used twice");
  });

  it("with_the_module_loaded_a_settings_change_or_a_factory_reset_that_would_not_fit_is_refused_and_changes_nothing", () => {
    const { b } = readyBoard();
    assert.equal(b.call("bms.settings().lowSocDelay"), 300); // loads the module, kept 5 s
    b.freeVars = 350; // what a change needs is not free now
    assert.match(b.repl('bms.set("lowSocDelay", 60)'), /bms\.set\("lowSocDelay"\): low on memory/);
    assert.equal(b.repl('\x10bms.rpc(3, "set", ["lowSocDelay", 60])'), '{"id":3,"err":"low on memory","field":"lowSocDelay"}\n');
    assert.match(b.repl("bms.schema()"), /bms: low on memory, try again/);
    assert.match(b.repl("bms.factoryReset()"), /bms: low on memory, try again/, "a factory reset too");
    // the list names each setting from the schema's rows (the held keys are the build's): it
    // needs the same room
    assert.match(b.repl("bms.settings()"), /bms: low on memory, try again/, "the settings' list too");
    b.freeVars = SIM_FREE_VARS;
    assert.equal(b.call("bms.settings().lowSocDelay"), 300, "nothing changed");
    remoteOn(b);
    b.advance(1000);
    assert.equal(outputs(b), "H H Z");
    b.freeVars = 350;
    b.call("bms.mode(false)"); // switching the system off acts at once, stored or not
    assert.equal(outputs(b), "Z Z Z");
    b.freeVars = SIM_FREE_VARS;
    b.call("bms.mode(true)");
    assert.equal(b.call('bms.set("lowSocDelay", 60)'), 60, "with memory back the change is made");
  });
});
