// WebSocket endpoint: the simulator bridge (sim/bridge.ts) carries the same console bytes to a
// simulated board as the Nordic UART service carries to a real one.
import { LineSplitter, Listeners, type Transport } from "./transport";

export class WsTransport implements Transport {
  readonly label = "simulator";
  private ws: WebSocket | undefined;
  private readonly lines = new Listeners<string>();
  private readonly closes = new Listeners<string>();
  private readonly splitter = new LineSplitter((l) => this.lines.emit(l));

  constructor(readonly url: string) {}

  connect(): Promise<void> {
    this.splitter.reset();
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this.ws = ws;
        resolve();
      };
      ws.onmessage = (e) => this.splitter.push(String(e.data));
      ws.onerror = () => {
        if (!opened) reject(new Error("No simulator bridge answers at " + this.url + ". Start one with `npm start -- --web`."));
      };
      ws.onclose = (e) => {
        if (!opened) return reject(new Error("No simulator bridge answers at " + this.url + ". Start one with `npm start -- --web`."));
        if (this.ws === ws) {
          this.ws = undefined;
          this.closes.emit(e.reason || "the simulator bridge closed the link");
        }
      };
    });
  }

  write(text: string): Promise<void> {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error("not connected"));
    this.ws.send(text);
    return Promise.resolve();
  }

  onLine(cb: (line: string) => void): void {
    this.lines.add(cb);
  }
  onClose(cb: (reason: string) => void): void {
    this.closes.add(cb);
  }
  close(): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.close();
  }
}
