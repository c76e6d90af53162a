// `npm start -- --web`: the scenario keeps printing in real time while the built page and the
// WebSocket bridge serve the same RPC from the simulated board; without --web nothing changes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import WebSocket from "ws";

const ROOT = join(import.meta.dirname, "..", "..");

describe("npm start -- --web (sim/cli.ts + sim/bridge.ts)", function () {
  this.timeout(60_000);

  it("serves_the_page_and_bridges_rpc_lines_while_the_scenario_prints", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "sim", "cli.ts"), "--scenario", "link-loss", "--every", "1", "--web", "--port", "0", "--speed", "10"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const until = async (re: RegExp) => {
      for (let k = 0; k < 400 && !re.test(out); k++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, re);
      return re.exec(out)!;
    };
    try {
      const url = (await until(/^web app: (http:\/\/127\.0\.0\.1:\d+\/)\?demo/m))[1];
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>open smallBMS<\/title>/);
      await until(/^00:00:05 /m); // real time, 10x: the scenario goes on printing
      const ws = new WebSocket(url.replace("http:", "ws:") + "ws");
      await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
      const got = new Promise<string>((resolve) => {
        let buf = "";
        ws.on("message", (m) => {
          buf += m.toString();
          const line = buf.split("\n").find((l) => l.startsWith('{"id":3,'));
          if (line) resolve(line);
        });
      });
      ws.send("000000\n\x10bms.rpc(3, \"status\", [])\n");
      const reply = JSON.parse(await got) as { id: number; ok: { v: number; remote: boolean } };
      assert.equal(reply.ok.remote, true);
      assert.ok(reply.ok.v > 20, "a 24 V bank");
      ws.close();
      await until(/the page disconnected/);
      assert.doesNotMatch(out, /console: \{"id"/, "RPC replies are not printed as events");
      await until(/^00:00:25 .*codes W-B05$/m);
    } finally {
      child.kill();
    }
  });
});
