// Web Bluetooth endpoint: Espruino's console over the Nordic UART service. We write to the TX
// characteristic (central → board) in chunks of at most 20 bytes (the default ATT payload), and
// read the console's output from notifications of the RX characteristic, framed into lines.
import { LineSplitter, Listeners, Queue, type Transport } from "./transport";

export const NUS_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
export const NUS_TX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";
export const NUS_RX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e";
export const CHUNK_BYTES = 20;

export function hasWebBluetooth(): boolean {
  return typeof navigator !== "undefined" && !!navigator.bluetooth;
}

export class BleTransport implements Transport {
  private device: BluetoothDevice | undefined;
  private tx: BluetoothRemoteGATTCharacteristic | undefined;
  private readonly lines = new Listeners<string>();
  private readonly closes = new Listeners<string>();
  private readonly queue = new Queue();
  private readonly splitter = new LineSplitter((l) => this.lines.emit(l));
  private decoder = new TextDecoder();
  private closing = false;
  private open = false;

  get label(): string {
    return "Bluetooth" + (this.device?.name ? " (" + this.device.name + ")" : "");
  }

  private rx?: BluetoothRemoteGATTCharacteristic;
  private readonly onValue = (e: Event): void => {
    const v = (e.target as BluetoothRemoteGATTCharacteristic).value;
    if (v) this.splitter.push(this.decoder.decode(v, { stream: true }));
  };

  async connect(): Promise<void> {
    const bt = navigator.bluetooth;
    if (!bt) throw new Error("This browser has no Web Bluetooth.");
    this.closing = false;
    if (!this.device) {
      // the chooser; a second connect() (Reconnect) re-uses the device without asking again
      this.device = await bt.requestDevice({
        filters: [{ services: [NUS_SERVICE] }, { namePrefix: "open smallBMS" }, { namePrefix: "Puck.js" }, { namePrefix: "MDBT42Q" }, { namePrefix: "Espruino" }],
        optionalServices: [NUS_SERVICE],
      });
      this.device.addEventListener("gattserverdisconnected", () => this.lost("the Bluetooth link dropped"));
    }
    const gatt = this.device.gatt;
    if (!gatt) throw new Error("The device offers no GATT server.");
    const server = await gatt.connect();
    const service = await server.getPrimaryService(NUS_SERVICE);
    this.tx = await service.getCharacteristic(NUS_TX);
    const rx = await service.getCharacteristic(NUS_RX);
    this.splitter.reset();
    this.decoder = new TextDecoder();
    // one listener only: a reconnect gets the same characteristic object back from the browser's
    // cache, and a second listener would feed every notification twice into the line framing
    this.rx?.removeEventListener("characteristicvaluechanged", this.onValue);
    this.rx = rx;
    rx.addEventListener("characteristicvaluechanged", this.onValue);
    await rx.startNotifications();
    this.open = true;
  }

  write(text: string): Promise<void> {
    return this.queue.run(async () => {
      const tx = this.tx;
      if (!tx || !this.open) throw new Error("not connected");
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
        if (!this.open) throw new Error("not connected");
        const chunk = bytes.slice(i, i + CHUNK_BYTES);
        await (tx.writeValueWithResponse ? tx.writeValueWithResponse(chunk) : tx.writeValue(chunk));
      }
    });
  }

  onLine(cb: (line: string) => void): void {
    this.lines.add(cb);
  }
  onClose(cb: (reason: string) => void): void {
    this.closes.add(cb);
  }

  close(): void {
    this.closing = true;
    this.open = false;
    if (this.device?.gatt?.connected) this.device.gatt.disconnect();
  }

  private lost(reason: string): void {
    const wasOpen = this.open;
    this.open = false;
    if (!this.closing && wasOpen) this.closes.emit(reason);
  }
}
