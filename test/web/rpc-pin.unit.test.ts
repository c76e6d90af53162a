// The web app's RPC client (web/src/rpc.ts) against the built firmware on the simulated board,
// over an in-memory transport: a wrong PIN must be told apart from a board that does not answer.
// Espruino answers a wrong password with "Invalid password" (jsinteractive.c), nothing else.
import assert from "node:assert/strict";
import { RpcClient, WrongPinError } from "../../web/src/rpc.ts";
import { LineSplitter, type Transport } from "../../web/src/transport/transport.ts";
import { SimBoard } from "../../sim/board.ts";

/** The Nordic UART of a simulated board, as a transport: each written line is typed at its console. */
function boardTransport(b: SimBoard): Transport {
  let emit: (l: string) => void = () => {};
  const lines = new LineSplitter((l) => emit(l));
  return {
    label: "sim",
    connect: async () => { b.radio.connect(); },
    write: async (text) => { lines.push(b.uart(text)); },
    onLine: (cb) => { emit = cb; },
    onClose: () => {},
    close: () => {},
  };
}

describe("web RPC client and the console lock", () => {
  it("a wrong PIN is refused as a wrong PIN (WrongPinError), at once, not as a timeout", async () => {
    const b = new SimBoard();
    const rpc = new RpcClient(boardTransport(b), 200);
    await assert.rejects(rpc.open("123456"), WrongPinError);
  });

  it("the right PIN opens it and a request is answered", async () => {
    const b = new SimBoard();
    const rpc = new RpcClient(boardTransport(b), 200);
    await rpc.open("000000");
    const st = await rpc.get<{ on: boolean }>("status");
    assert.equal(typeof st.on, "boolean");
  });
});
