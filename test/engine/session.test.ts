// A client's session on a Puck.js's pool with 50 batteries (issue 13): the first use of `bms`
// loads the on-demand module, and a status, the settings and the web app's RPC status poll must
// all answer with room to spare, a settings change and a factory reset must be made (not refused
// for want of memory), after which the tick still runs. Measured on Espruino's own
// 32-bit interpreter with the 2,630-variable pool (docs/device-budget.md).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_PATH, BUNDLE_PATH } from "../../tools/build.ts";
import { Engine, findInterpreters, HOW_TO_GET } from "../../tools/espruino/engine.ts";
import { BENCH_BANKS, bankFeed } from "../../tools/espruino/feed.ts";
import { storageFiles } from "../../tools/espruino/measure.ts";

/** variables that must stay free while a client's calls and their replies are held */
const FLOOR = 100;

const it32 = findInterpreters();

if (!it32.puck32) {
  console.log(`client session not measured: ${HOW_TO_GET}`);
} else {
  describe("a client's session on the 2,630-variable pool of a Puck.js, 50 batteries (docs/device-budget.md)", function () {
    this.timeout(1_800_000);

    it(`status_settings_and_the_rpc_poll_leave_${FLOOR}_variables_free_a_change_and_a_factory_reset_are_made_and_the_tick_runs_on`, async () => {
      const files = storageFiles({ firmware: readFileSync(BUNDLE_PATH, "latin1"), api: readFileSync(API_PATH, "latin1"), feed: bankFeed(BENCH_BANKS[1].cfg) });
      const e = await Engine.boot({ binary: it32.puck32!, files, timeout_ms: 180_000 });
      try {
        await e.run('VC.link("feed")');
        await e.run("VC.run(3)");
        // one call a line, as a client makes them; free variables while its reply is held
        const free: number[] = [];
        const call = async (expr: string) => {
          const r = await e.eval<{ r: Record<string, unknown>; free: number }>(`(function(){var r=${expr};return {r:r,free:process.memory().free};})()`);
          free.push(r.free);
          return r.r;
        };
        const st = await call("bms.status()");
        const se = await call("bms.settings()");
        await call('bms.rpc(7,"status",[])');
        console.log(`      free variables after status, settings, rpc status: ${free.join(", ")}`);
        assert.deepEqual(e.errors, [], "no out-of-memory or uncaught error");
        assert.equal(st.on, true);
        assert.equal(se.name, "open smallBMS");
        assert.match(e.output, /\{"id":7,"ok":\{"on":true/, "the RPC's one JSON line");
        for (const f of free) assert.ok(f >= FLOOR, `${f} variables free, the floor is ${FLOOR}`);
        // a change and a factory reset fit next to the module (each refused with "low on memory"
        // when fewer than SETTING_NEED_VARS are free: the reset was, with 50 batteries, until
        // its schema rows were held once, not twice)
        assert.equal(await call('bms.set("chargedCellVoltage",3.55)'), 3.55);
        assert.equal(await call("bms.factoryReset()"), true);
        assert.equal(await call("bms.settings().chargedCellVoltage"), 3.5, "the factory reset's value");
        console.log(`      free variables after a change, a factory reset, the settings: ${free.slice(3).join(", ")}`);
        assert.deepEqual(e.errors, [], "no out-of-memory or uncaught error");
        // the minute after: the module stays loaded 5 s, the learned batteries are saved meanwhile
        await e.run("VC.run(60)");
        const after = await e.eval<{ wdMiss: number; adv: unknown }>("VC.state()");
        assert.deepEqual(e.errors, [], "no error while the tick runs on");
        assert.ok(after.wdMiss <= 1000, `the tick kicked the watchdog every second (longest gap ${after.wdMiss} ms)`);
      } finally {
        await e.close();
      }
    });
  });
}
