// A transport carries text to the BMS console and brings its output back as lines. Endpoints:
// Web Bluetooth (the Nordic UART service, ble.ts) and WebSocket (the simulator bridge, ws.ts).
// The RPC client (../rpc.ts) sits on top and never knows which one it talks through.

export interface Transport {
  /** a short human name for messages: "Bluetooth (open smallBMS)", "simulator" */
  readonly label: string;
  /** open (or re-open) the link; rejects with a message a person can act on */
  connect(): Promise<void>;
  /** send text as it is; resolves once it is handed to the link, in call order */
  write(text: string): Promise<void>;
  /** each complete line the console prints, without its line end */
  onLine(cb: (line: string) => void): void;
  /** the link went away (not after close()) */
  onClose(cb: (reason: string) => void): void;
  /** close on purpose; onClose is not called */
  close(): void;
}

/** Splits a stream of text chunks into lines ("\n"; a "\r" before it is dropped). */
export class LineSplitter {
  private buf = "";
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r/g, "");
      this.buf = this.buf.slice(nl + 1);
      this.emit(line);
    }
  }
  reset(): void {
    this.buf = "";
  }
}

/** Runs async jobs one after another (so that chunks of two writes never interleave). */
export class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Callback lists for onLine/onClose. */
export class Listeners<T> {
  private list: ((v: T) => void)[] = [];
  add(cb: (v: T) => void): void {
    this.list.push(cb);
  }
  emit(v: T): void {
    for (const cb of this.list.slice()) cb(v);
  }
}
