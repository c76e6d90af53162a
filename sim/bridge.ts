// The web app's demo without a board: a small HTTP server for the built page (web/dist) and, at
// /ws, a WebSocket that carries the page's console bytes to a simulated board's Nordic UART
// console and its output back: the same bytes a Web Bluetooth link carries to a real board, so
// the page runs its real transport-independent RPC code against the simulated BMS.
// Used by `npm start -- --web` (sim/cli.ts) and by the browser tests (static files only).
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import type { SimBoard } from "./board.ts";

export const WEB_DIST = join(import.meta.dirname, "..", "web", "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": "application/json", ".map": "application/json",
};

export interface WebServerOptions {
  /** the built page; default web/dist */
  dir?: string;
  /** default 127.0.0.1 */
  host?: string;
  /** 0 = any free port (default) */
  port?: number;
  /** the board behind /ws; without one there is no bridge, only the static files */
  board?: SimBoard;
  /** called around each line typed at the board's console (the CLI keeps RPC lines out of its log) */
  beforeLine?(): void;
  afterLine?(): void;
  /** a page connected or went away */
  log?(text: string): void;
}

export interface WebServer {
  url: string;
  /** close the page's link if the board dropped it (radio.disconnect(), a reset): call after time moves */
  check(): void;
  close(): Promise<void>;
}

export async function startWebServer(o: WebServerOptions = {}): Promise<WebServer> {
  const dir = resolve(o.dir ?? WEB_DIST);
  if (!existsSync(join(dir, "index.html"))) throw new Error(`${dir}/index.html is missing: run \`npm run web:build\``);
  const http = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    createReadStream(file).pipe(res);
  });
  let client: WebSocket | undefined;
  const board = o.board;
  const wss = board ? new WebSocketServer({ server: http, path: "/ws" }) : undefined;
  wss?.on("connection", (ws) => {
    if (client) return ws.close(4001, "another page is connected to the simulated BMS");
    try {
      board!.radio.connect();
    } catch (e) {
      return ws.close(4002, String((e as Error).message));
    }
    client = ws;
    o.log?.("a page connected over the bridge");
    let buf = "";
    ws.on("message", (data) => {
      buf += data.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        if (!line.length) continue;
        if (board!.radio.connected === undefined) return drop(ws, "the BMS disconnected");
        o.beforeLine?.();
        const out = board!.uart(line + "\n");
        o.afterLine?.();
        if (out) ws.send(out);
      }
    });
    ws.on("close", () => {
      if (client !== ws) return;
      client = undefined;
      board!.radio.disconnect();
      o.log?.("the page disconnected");
    });
  });
  function drop(ws: WebSocket, reason: string): void {
    if (client === ws) client = undefined;
    ws.close(4000, reason);
  }
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
  });
  const a = http.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}/`,
    check() {
      if (client && board!.radio.connected === undefined) drop(client, "the BMS disconnected");
    },
    close() {
      client?.terminate();
      wss?.close();
      const closed = new Promise<void>((done) => http.close(() => done()));
      http.closeAllConnections();
      return closed;
    },
  };
}
