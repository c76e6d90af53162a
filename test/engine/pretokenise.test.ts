// The pretokenised firmware (tools/pretokenise.ts), as the upload stores it, on Espruino's own
// interpreter: both files boot, run 5 s of the link and answer `bms` exactly as the plain
// JavaScript stored as it is (32-bit build, 13-byte variables, pool 4,000 so that a session fits).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_PATH, BUNDLE_PATH } from "../../tools/build.ts";
import { Engine, findInterpreters, HOW_TO_GET } from "../../tools/espruino/engine.ts";
import { BENCH_BANKS, bankFeed } from "../../tools/espruino/feed.ts";
import { storageFiles } from "../../tools/espruino/measure.ts";
import { pretokenise } from "../../tools/pretokenise.ts";

const roomy32 = findInterpreters().roomy32;

async function runOnce(firmware: string | Uint8Array, api: string | Uint8Array): Promise<{ state: unknown; status: unknown; battery: unknown; errors: string[] }> {
  const e = await Engine.boot({ binary: roomy32!, files: storageFiles({ firmware, api, feed: bankFeed(BENCH_BANKS[0].cfg) }), timeout_ms: 300_000 });
  try {
    await e.run('VC.link("feed")');
    await e.run("VC.run(5)");
    return { state: await e.eval("VC.state()"), status: await e.eval("bms.status()"), battery: await e.eval("bms.battery()"), errors: e.errors };
  } finally {
    await e.close();
  }
}

if (!roomy32) {
  console.log(`pretokenise engine test not run: ${HOW_TO_GET}`);
} else {
  describe("real engine: the pretokenised firmware", function () {
    this.timeout(900_000);
    it("boots_runs_the_link_and_answers_as_the_plain_files_do", async () => {
      const plainFw = readFileSync(BUNDLE_PATH, "latin1");
      const plainApi = readFileSync(API_PATH, "latin1");
      const plain = await runOnce(Buffer.from(plainFw, "latin1"), Buffer.from(plainApi, "latin1"));
      const tok = await runOnce(plainFw, plainApi); // storageFiles stores text pretokenised
      assert.ok(pretokenise(plainFw).length < plainFw.length);
      assert.deepEqual(tok.errors, []);
      assert.deepEqual(tok.state, plain.state);
      assert.deepEqual(tok.status, plain.status);
      assert.deepEqual(tok.battery, plain.battery);
      assert.equal((plain.status as { v: number }).v > 0, true, "the bank was heard");
    });
  });
}
