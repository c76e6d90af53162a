// The web app's RPC over the Nordic UART console, on the built bundle: one request line with an
// id gives exactly one JSON reply line with that id; errors are data; REPL echo and results
// around it never corrupt a reply. Plus 10,000 random calls.
import assert from "node:assert/strict";
import type { SimBoard } from "../sim/board.ts";
import { SimStorage } from "../sim/storage.ts";
import { DEFAULT_PIN, readyBoard } from "./helpers.ts";

const DLE = "\x10";
function connected(storage?: SimStorage): SimBoard {
  const { b } = readyBoard({ storage });
  b.radio.connect();
  b.uart(DEFAULT_PIN + "\n");
  return b;
}
/** Send one request; return the reply lines (parsed) and every line printed. */
function rpc(b: SimBoard, id: number, method: string, args: unknown[]): { replies: Record<string, unknown>[]; lines: string[] } {
  const out = b.uart(`${DLE}bms.rpc(${id}, ${JSON.stringify(method)}, ${JSON.stringify(args)})\n`);
  const lines = out.split("\n").filter((l) => l.length);
  return { replies: lines.map((l) => JSON.parse(l) as Record<string, unknown>), lines };
}

describe("rpc: one line in, one JSON line out", () => {
  it("status_replies_once_with_its_id", () => {
    const b = connected();
    const { replies, lines } = rpc(b, 1, "status", []);
    assert.equal(lines.length, 1);
    assert.equal(replies[0].id, 1);
    const ok = replies[0].ok as Record<string, unknown>;
    assert.equal(ok.v, 13.3);
    assert.deepEqual(Object.keys(ok).slice(0, 3), ["on", "remote", "mode"]);
  });

  it("version_names_the_api_the_web_page_checks", () => {
    const b = connected();
    assert.deepEqual(rpc(b, 10, "version", []).replies, [{ id: 10, ok: { api: 1, fw: "0.1.0", board: "PUCKJS" } }]);
  });

  it("set_replies_the_stored_value_or_the_refusal_as_data", () => {
    const b = connected();
    assert.deepEqual(rpc(b, 2, "set", ["tailCurrent", 5]).replies, [{ id: 2, ok: 5 }]);
    assert.deepEqual(rpc(b, 3, "set", ["tailCurrent", 50]).replies, [{ id: 3, err: "must be a number 0.5..10 %", field: "tailCurrent", min: 0.5, max: 10 }]);
    assert.equal(b.call("bms.settings().tailCurrent"), 5, "the refusal changed nothing");
  });

  it("set_writes_the_flash_once_and_applies_once_like_the_repl", () => {
    const storage = new SimStorage();
    const b = connected(storage);
    let writes = storage.writes;
    let names = b.radio.scanResponses.length;
    assert.deepEqual(rpc(b, 11, "set", ["chargedTime", 7]).replies, [{ id: 11, ok: 7 }]);
    assert.equal(storage.writes - writes, 1, "one Storage write for one setting over the RPC");
    assert.equal(b.radio.scanResponses.length - names, 1, "the settings were applied once");
    writes = storage.writes;
    names = b.radio.scanResponses.length;
    assert.equal(b.call('bms.set("chargedTime", 8)'), 8);
    assert.equal(storage.writes - writes, 1, "the same at the REPL");
    assert.equal(b.radio.scanResponses.length - names, 1);
    writes = storage.writes;
    assert.equal(rpc(b, 12, "set", ["chargedTime", 99]).replies[0].err, "must be a number 1..50 min");
    assert.equal(storage.writes, writes, "a refusal writes nothing");
  });

  it("odd_arguments_to_every_method_get_one_json_reply", () => {
    const b = connected();
    const names = b.call<string[]>("Object.keys(bms)").filter((m) => m !== "rpc");
    const odd = ["Object.create(null)", "{}", "[]", "[[]]", "undefined", "null", "NaN", "-Infinity", "1e308", "'x'.repeat(5000)",
      "{toString: 1, valueOf: 1}", "function () {}"];
    let id = 100;
    for (const m of [...names, "nope"]) {
      for (const a of odd) {
        for (const args of [`[${a}]`, `[${a}, ${a}]`, `['tailCurrent', ${a}]`, `[${a}, 1]`, a]) {
          for (const method of [JSON.stringify(m), a]) {
            const out = b.uart(`${DLE}bms.rpc(${id}, ${method}, ${args})\n`);
            const lines = out.split("\n").filter((l) => l.length);
            const where = `bms.rpc(${id}, ${method}, ${args}): ${out.slice(0, 200)}`;
            assert.equal(lines.length, 1, where);
            const r = JSON.parse(lines[0]) as Record<string, unknown>;
            assert.equal(r.id, id, where);
            assert.ok("ok" in r || typeof r.err === "string", where);
            assert.ok(lines[0].length < 2000, "a refusal does not echo a huge argument: " + where);
            id++;
          }
        }
      }
    }
    assert.deepEqual(b.uncaught, []);
    assert.deepEqual(rpc(b, 1, "set", ["tailCurrent", 4]).replies, [{ id: 1, ok: 4 }], "still answering");
  });

  it("odd_arguments_at_the_repl_give_a_value_or_a_clear_refusal_never_a_type_error", () => {
    const b = connected();
    const names = b.call<string[]>("Object.keys(bms)").filter((m) => m !== "rpc");
    const odd = ["Object.create(null)", "{}", "[]", "undefined", "null", "NaN", "1e308", "'x'.repeat(5000)", "{toString: 1}"];
    for (const m of names) {
      for (const a of odd) {
        for (const args of [a, `${a}, ${a}`, `'tailCurrent', ${a}`, `${a}, 1`]) {
          const call = `bms.${m}(${args})`;
          const r = b.call<string>(`(function () { try { ${call}; return "value"; } catch (e) { return e.name + ": " + e.message; } })()`);
          assert.ok(r === "value" || (/^Error: /.test(r) && r.length < 200), `${call.slice(0, 80)} -> ${r.slice(0, 200)}`);
        }
      }
    }
  });

  it("unknown_methods_bad_arguments_and_thrown_errors_are_data", () => {
    const b = connected();
    assert.deepEqual(rpc(b, 4, "format", []).replies, [{ id: 4, err: "unknown method", field: "format" }]);
    assert.deepEqual(rpc(b, 5, "rpc", []).replies, [{ id: 5, err: "unknown method", field: "rpc" }]);
    assert.deepEqual(rpc(b, 6, "hasOwnProperty", ["x"]).replies, [{ id: 6, err: "unknown method", field: "hasOwnProperty" }]);
    assert.deepEqual(rpc(b, 7, "setSoc", [200]).replies, [{ id: 7, err: "setSoc: pct must be 0..100" }]);
    assert.deepEqual(b.uncaught, []);
  });

  it("repl_echo_and_results_around_a_request_never_corrupt_its_reply", () => {
    const b = connected();
    const out = b.uart(`1+1\n${DLE}bms.rpc(8, "codes", [])\nbms.mode(true)\n`);
    const lines = out.split("\n").filter((l) => l.length);
    assert.deepEqual(lines, [">1+1", "=2", '{"id":8,"ok":[]}', ">bms.mode(true)", "=true"]);
  });

  it("needs_the_pin_like_everything_else", () => {
    const { b } = readyBoard();
    b.radio.connect();
    b.radio.disconnect(); // the console locks again
    b.radio.connect();
    const out = b.uart(`${DLE}bms.rpc(9, "readoutKey", [])\n`);
    assert.doesNotMatch(out, /"id":9/);
  });
});

describe("rpc: fuzz (10,000 random calls on the built bundle)", () => {
  it("every_call_gets_exactly_one_reply_with_its_id_and_nothing_is_uncaught", function () {
    this.timeout(120_000);
    const b = connected();
    const methods = ["status", "history", "battery", "codes", "settings", "schema", "set", "setSoc", "sync", "mode", "learn",
      "readout", "readoutKey", "codes", "nope", "rpc", "constructor", "__proto__", "toString", ""];
    const argsPool = ["[]", "[1]", "[-1]", "[0]", "[true]", "[false]", "[null]", "['tailCurrent', 3]", "['pin', '1']",
      "['dischargeFloor', 50]", "[NaN]", "[Infinity]", "['x'.repeat(500)]", "[[1,2],{a:1}]", "[2]", "[51]", "[3.14]"];
    let seed = 99;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let id = 0; id < 10_000; id++) {
      const out = b.uart(`${DLE}bms.rpc(${id}, ${JSON.stringify(methods[rnd(methods.length)])}, ${argsPool[rnd(argsPool.length)]})\n`);
      const lines = out.split("\n").filter((l) => l.length);
      assert.equal(lines.length, 1, `call ${id}: ${out}`);
      assert.equal((JSON.parse(lines[0]) as { id: number }).id, id);
      if (id % 97 === 0) b.advance(1000);
    }
    assert.deepEqual(b.uncaught, []);
  });
});
