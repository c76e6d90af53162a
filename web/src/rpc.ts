// The RPC client over any transport (docs/web.md, "Layers"): after the PIN
// line, each request is one console line `\x10bms.rpc(id, "method", [args])` and its answer is
// one JSON line `{"id":id,"ok":value}` or `{"id":id,"err":"...","field":..,"min":..,"max":..}`.
// Everything else the console prints (echo, "=value", the lock message) is ignored, except
// "Invalid password" (Espruino's words), which means the PIN was refused. The method names are a fixed list: the
// page never sends JavaScript assembled from what a person typed, only JSON-encoded arguments.
import type { Transport } from "./transport/transport";

export const METHODS = [
  "status", "battery", "history", "settings", "schema", "set", "sync", "setSoc", "resetHistory",
  "mode", "codes", "readoutKey", "newReadoutKey", "readout", "factoryReset", "learn", "version",
] as const;

/** The version of the `bms` API this page speaks (src/api.ts API_VERSION). */
export const API_VERSION = 1;
export type Method = (typeof METHODS)[number];

export interface Reply {
  id: number;
  ok?: unknown;
  err?: string;
  field?: string;
  min?: number;
  max?: number;
}

/** A refusal by the BMS (errors are data): the reply itself is kept for field errors. */
export class RpcError extends Error {
  constructor(readonly reply: Reply) {
    super(reply.err ?? "error");
  }
}
export class WrongPinError extends Error {
  constructor() {
    super("Wrong PIN: the BMS refused it. Check the PIN and connect again.");
  }
}
export class TimeoutError extends Error {}
export class LinkLostError extends Error {}

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const DLE = "\x10";

/** A reply line, or undefined for any other console output. Tolerates a prompt or junk before the "{". */
export function parseReply(line: string): Reply | undefined {
  const at = line.indexOf("{");
  if (at < 0) return undefined;
  try {
    const v = JSON.parse(line.slice(at)) as unknown;
    if (v && typeof v === "object" && typeof (v as Reply).id === "number") return v as Reply;
  } catch {
    // not a reply
  }
  return undefined;
}

export function requestLine(id: number, method: Method, args: unknown[]): string {
  if (!METHODS.includes(method)) throw new Error("unknown method " + String(method));
  return DLE + "bms.rpc(" + id + ", " + JSON.stringify(method) + ", " + JSON.stringify(args) + ")\n";
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private pinRefused = false;
  private closed: string | undefined;
  /** called once when the link is lost (not after close()) */
  onLost: (reason: string) => void = () => {};

  constructor(readonly transport: Transport, readonly timeout_ms = 5000) {
    transport.onLine((l) => this.line(l));
    transport.onClose((reason) => this.lost(reason));
  }

  /** Connect and unlock the console with the PIN; rejects with WrongPinError if it is refused. */
  async open(pin: string): Promise<void> {
    this.closed = undefined;
    this.pinRefused = false;
    await this.transport.connect();
    // the PIN goes as a line of its own: a locked console compares the whole line with it
    await this.transport.write(pin + "\n");
    // the first request proves the console is unlocked, and that the board speaks our API
    const v = await this.call("version", []);
    const api = v.ok && typeof v.ok === "object" ? (v.ok as { api?: unknown }).api : undefined;
    if (api !== API_VERSION) {
      throw new Error(`This page speaks version ${API_VERSION} of the BMS API, the board ${String(api ?? "an older one")}: update the firmware or the page.`);
    }
  }

  /** One request; resolves with the reply (ok or err, errors are data), rejects on timeout or link loss. */
  call(method: Method, args: unknown[] = []): Promise<Reply> {
    if (this.closed !== undefined) return Promise.reject(new LinkLostError(this.closed));
    if (this.pinRefused) return Promise.reject(new WrongPinError());
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError("The BMS did not answer \"" + method + "\" within " + this.timeout_ms / 1000 + " s."));
      }, this.timeout_ms);
      this.pending.set(id, { resolve, reject, timer });
      this.transport.write(requestLine(id, method, args)).catch((e: Error) => this.settle(id, undefined, e));
    });
  }

  /** The value of a request; a refusal throws RpcError. */
  async get<T>(method: Method, args: unknown[] = []): Promise<T> {
    const r = await this.call(method, args);
    if (r.err !== undefined) throw new RpcError(r);
    return r.ok as T;
  }

  close(): void {
    this.closed = "closed";
    this.failAll(new LinkLostError("closed"));
    this.transport.close();
  }

  private line(l: string): void {
    if (/Invalid password/.test(l)) {
      this.pinRefused = true;
      this.failAll(new WrongPinError());
      return;
    }
    const r = parseReply(l);
    if (r) this.settle(r.id, r);
  }

  private settle(id: number, r: Reply | undefined, e?: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (r) p.resolve(r);
    else p.reject(e ?? new Error("no reply"));
  }

  private failAll(e: Error): void {
    for (const [id] of this.pending) this.settle(id, undefined, e);
  }

  private lost(reason: string): void {
    if (this.closed !== undefined) return;
    this.closed = reason;
    this.failAll(new LinkLostError(reason));
    this.onLost(reason);
  }
}
