// `npm start -- --web`: the scenario keeps printing in real time while the built page and the
// WebSocket bridge serve the same RPC from the simulated board; without --web nothing changes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import WebSocket from "ws";

const ROOT = join(import.meta.dirname, "..", "..");

/** `npm start -- ARGS` as a child process; `until` waits for its output to match. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "sim", "cli.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const run = { child, out: "", until: async (re: RegExp): Promise<RegExpExecArray> => {
    for (let k = 0; k < 400 && !re.test(run.out); k++) await new Promise((r) => setTimeout(r, 100));
    assert.match(run.out, re);
    return re.exec(run.out)!;
  } };
  child.stdout.on("data", (d: Buffer) => (run.out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (run.out += d.toString()));
  return run;
}

describe("npm start -- --web (sim/cli.ts + sim/bridge.ts)", function () {
  this.timeout(60_000);

  it("serves_the_page_and_bridges_rpc_lines_while_the_scenario_prints", async () => {
    const run = startCli(["--scenario", "link-loss", "--every", "1", "--web", "--port", "0", "--speed", "10"]);
    const { child, until } = run;
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
      assert.doesNotMatch(run.out, /console: \{"id"/, "RPC replies are not printed as events");
      await until(/^00:00:25 .*codes W-B05$/m);
    } finally {
      child.kill();
    }
  });

  it("the_demo_locks_like_a_board_and_the_scenario_types_the_pin_like_any_client", async () => {
    const run = startCli(["--scenario", "remote", "--web", "--port", "0", "--speed", "10"]);
    const { child, until } = run;
    /** A page's session: each line sent once the previous reply (or 300 ms of silence) came. */
    const session = async (url: string, lines: string[]): Promise<string> => {
      const ws = new WebSocket(url.replace("http:", "ws:") + "ws");
      await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
      let got = "";
      ws.on("message", (m) => (got += m.toString()));
      for (const line of lines) {
        const mark = got.length;
        ws.send(line + "\n");
        for (let k = 0; k < 30 && got.length === mark; k++) await new Promise((r) => setTimeout(r, 10));
      }
      ws.close();
      await new Promise((r) => ws.once("close", r));
      return got;
    };
    try {
      await until(/^web app: http:\/\/127\.0\.0\.1:\d+\/\?demo/m);
      const url = /^web app: (http:\/\/127\.0\.0\.1:\d+\/)\?demo/m.exec(run.out)![1];
      const wrong = await session(url, ["123456", '\x10bms.rpc(1, "status", [])']);
      assert.match(wrong, /Invalid password/, "a wrong PIN on the first connection is refused");
      assert.doesNotMatch(wrong, /\{"id":1,/);
      const right = await session(url, ["000000", '\x10bms.rpc(2, "status", [])']);
      assert.match(right, /\{"id":2,"ok":/);
      await until(/the page disconnected/);
      // after a page has come and gone, the scenario's own steps still work: they type the PIN
      await until(/^> 00:01:15 {2}ATD -> H {2}\(during repl\)$/m);
      assert.match(run.out, /^> 00:01:00 {2}ATD -> Z {2}\(during repl\)$/m);
      assert.doesNotMatch(run.out, /Invalid password/);
      // and leave the console locked behind them
      const after = await session(url, ['\x10bms.rpc(3, "status", [])']);
      assert.match(after, /Invalid password/);
      assert.doesNotMatch(after, /\{"id":3,/);
    } finally {
      child.kill();
    }
  });
});
