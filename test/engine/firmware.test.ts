// The real-engine tier: the built dist/bms.js on Espruino's own interpreter (64-bit Linux build),
// loaded from Storage as on a board, with a Puck.js stand-in on a virtual clock and 50 batteries
// on the link (docs/device-budget.md). Runs whenever the interpreter is installed; otherwise
// prints one line saying how to get it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_PATH, BUNDLE_PATH } from "../../tools/build.ts";
import { Engine, findInterpreters, HOW_TO_GET } from "../../tools/espruino/engine.ts";
import { packFeed } from "../../tools/espruino/feed.ts";
import { storageFiles } from "../../tools/espruino/measure.ts";
import { bankFrame, identityFrame } from "../../sim/link.ts";
import { layout, type FeedBattery } from "../feed.ts";

const counter64 = findInterpreters().counter64;
/** Virtual seconds of the soak (24 h once the firmware keeps up: see docs/device-budget.md). */
const SOAK_S = Number(process.env.ENGINE_SOAK_S ?? 300);

/** Ten seconds of a chain: identities in the first, the bank frame in each. */
function tenSeconds(bank: FeedBattery[]): ReturnType<typeof packFeed> {
  const bursts: Uint8Array[] = [];
  for (let s = 0; s < 10; s++) {
    const frames: number[] = [];
    if (s === 0) bank.forEach((b, i) => frames.push(...identityFrame(i + 1, b.id, b.m.cells_mV)));
    frames.push(...bankFrame(bank.map((b) => b.m)));
    bursts.push(Uint8Array.from(frames));
  }
  return packFeed(bursts);
}

interface State {
  t: number;
  atd: number;
  atc: number;
  pre: number;
  err: number;
  wdMiss: number;
}

if (!counter64) {
  console.log(`real-engine tier not run: ${HOW_TO_GET}`);
} else {
  describe("real engine: dist/bms.js on Espruino for Linux, 50 batteries (2s25p)", function () {
    this.timeout(3_600_000);
    const normal = layout(2, 25);
    const high = layout(2, 25);
    high[17].m.cells_mV = [3325, 3800, 3325, 3325];
    const feeds = { normal: tenSeconds(normal), high: tenSeconds(high) };
    let e: Engine;

    before(async () => {
      const files = storageFiles({ firmware: readFileSync(BUNDLE_PATH, "latin1"), api: readFileSync(API_PATH, "latin1"), feed: feeds.normal });
      files.high = feeds.high.data;
      files["high.i"] = feeds.high.index;
      e = await Engine.boot({ binary: counter64, files, timeout_ms: 900_000 });
    });
    after(async () => {
      await e?.close();
    });

    it("loads_from_storage_and_answers_at_the_repl", async () => {
      assert.deepEqual(e.errors, [], e.output);
      const v = await e.eval<{ api: number }>("bms.version()");
      assert.equal(typeof v.api, "number");
      const st = await e.eval<State>("VC.state()");
      assert.equal(st.atd, 0, "outputs float until the bank is known");
    });

    it("a_sound_bank_allows_both_outputs_and_raises_no_code", async () => {
      await e.run('VC.link("feed")');
      await e.run("VC.run(5)");
      const st = await e.eval<State>("VC.state()");
      assert.equal(st.atd, 1);
      assert.equal(st.atc, 1);
      assert.deepEqual(await e.eval("bms.codes()"), []);
      const b = await e.eval<{ batteries: number; series: number; parallel: number }>("bms.battery()");
      assert.deepEqual([b.batteries, b.series, b.parallel], [50, 2, 25]);
    });

    it(`runs_${SOAK_S}_virtual_seconds_with_no_error_no_missed_watchdog_and_no_growth_in_variables`, async () => {
      // past the first two SoC saves (the records are looked at every 5 min; each of the two
      // copies, once it exists, keeps a variable more for good): then six samples, and the
      // second half must not hold more than the first did (the 24-hour soak is soak.test.ts)
      await e.run("VC.run(660)");
      const usage: number[] = [];
      for (let k = 0; k < 6; k++) {
        await e.run(`VC.run(${SOAK_S / 6})`);
        usage.push((await e.eval<{ usage: number }>("process.memory()")).usage);
      }
      const st = await e.eval<State>("VC.state()");
      assert.deepEqual(e.errors, []);
      assert.equal(st.err, 0);
      assert.ok(st.wdMiss <= 1000, `the watchdog was last kicked ${st.wdMiss} ms apart`);
      const firstHalf = Math.max(...usage.slice(0, 3));
      const secondHalf = Math.max(...usage.slice(3));
      assert.ok(secondHalf <= firstHalf, `variables grew: ${usage.join(", ")}`);
      assert.equal(st.atd & st.atc, 1);
    });

    it("a_cell_at_3_80V_floats_ATC_at_the_next_tick_and_keeps_the_loads_on", async () => {
      await e.run('VC.link("high")');
      await e.run("VC.run(2)");
      const st = await e.eval<State>("VC.state()");
      assert.equal(st.atc, 0);
      assert.equal(st.atd, 1);
    });

    it("link_silence_is_W_B05_at_5s_and_A_B05_with_both_outputs_floating_at_30s", async () => {
      await e.run('VC.link("feed")');
      await e.run("VC.run(3)");
      assert.equal((await e.eval<State>("VC.state()")).atc, 1, "ATC back once the cell is down");
      await e.run('VC.link("")');
      await e.run("VC.run(6)");
      assert.ok((await e.eval<string[]>("bms.codes()")).includes("W-B05"));
      assert.equal((await e.eval<State>("VC.state()")).atd, 1);
      await e.run("VC.run(25)");
      const codes = await e.eval<string[]>("bms.codes()");
      assert.ok(codes.includes("A-B05"), codes.join(" "));
      const st = await e.eval<State>("VC.state()");
      assert.deepEqual([st.atd, st.atc], [0, 0]);
      assert.deepEqual(e.errors, []);
    });

    // the records are read and written by Espruino's own JSON, CRC and regular expressions (the
    // key's hex check, a copy's sequence number): the simulator runs them on Node's
    it("what_is_stored_is_read_back_after_a_restart_the_key_the_nonces_the_settings_and_both_copies", async () => {
      const key = await e.eval<string>("bms.readoutKey()");
      assert.match(key, /^[0-9a-f]{32}$/);
      const nonce = (await e.eval<{ nonce: number }>("bms.readout()")).nonce;
      // (the Linux build's E.hwRand starts the same sequence in each process: a new key made at
      // the restart could equal the old one, but it would be written to the other copy)
      const keyFiles = () => e.eval<string[]>('require("Storage").list(/^bms\\.key/).sort()');
      const keysBefore = await keyFiles();
      await e.eval('bms.set("lowSocWarning",30)');
      await e.eval('bms.set("lowSocWarning",25)');
      // two saves go to the two copies in turn (each save reads the other's sequence number)
      assert.deepEqual(await e.eval<string[]>('require("Storage").list(/^bms\\.cfg/).sort()'), ["bms.cfg0", "bms.cfg1"]);
      await e.restart();
      assert.deepEqual(e.errors, [], e.output);
      assert.equal(await e.eval<string>("bms.readoutKey()"), key, "the same key, not a new one");
      assert.deepEqual(await keyFiles(), keysBefore, "no new key written at the restart");
      assert.ok((await e.eval<{ nonce: number }>("bms.readout()")).nonce >= nonce, "no nonce used again");
      assert.equal((await e.eval<{ lowSocWarning: number }>("bms.settings()")).lowSocWarning, 25);
      assert.deepEqual(await e.eval<string[]>("bms.codes()").then((c) => c.filter((x) => x === "E-B11")), [], "no store fault");
    });
  });
}
