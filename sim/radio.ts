// Simulated nRF52 radio (the `NRF` object): records every advertising packet and scan response
// as the bytes that go on air, refuses a packet over 31 bytes as the SoftDevice does, and lets
// tests connect and disconnect a central.
export interface AdvertRecord {
  t_ms: number;
  /** the legacy advertising payload as sent: flags, manufacturer data, name, ... */
  bytes: Uint8Array;
  manufacturer?: number;
  manufacturerData?: Uint8Array;
  interval_ms?: number;
}

export interface Radio {
  api: Record<string, unknown>;
  adverts: AdvertRecord[];
  scanResponses: { t_ms: number; bytes: Uint8Array }[];
  security: Record<string, unknown> | undefined;
  awake: boolean;
  connected: string | undefined;
  connect(addr?: string): void;
  disconnect(): void;
}

interface Host {
  readonly now_ms: number;
  run(during: string, fn: (...a: unknown[]) => unknown, args: unknown[]): void;
}

const LEGACY_ADV_BYTES = 31;

function bytesOf(v: unknown): Uint8Array {
  if (typeof v === "string") return Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff);
  if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (v && typeof (v as ArrayLike<number>).length === "number") return Uint8Array.from(v as ArrayLike<number>, (n) => n & 0xff);
  throw new Error("NRF: expecting an array of bytes");
}

/** Build the payload the SoftDevice would send for NRF.setAdvertising(data, options). */
export function advertPayload(data: Record<string, unknown>, o: Record<string, unknown>, name: string): Uint8Array {
  const out: number[] = [2, 0x01, o.discoverable === false ? 0x04 : 0x06];
  for (const key of Object.keys(data)) {
    const uuid = Number(key);
    const d = bytesOf(data[key]);
    out.push(3 + d.length, 0x16, uuid & 0xff, uuid >> 8, ...d);
  }
  if (o.manufacturer !== undefined) {
    const d = bytesOf(o.manufacturerData ?? []);
    const m = Number(o.manufacturer);
    out.push(3 + d.length, 0xff, m & 0xff, (m >> 8) & 0xff, ...d);
  }
  if (o.showName !== false) out.push(1 + name.length, 0x09, ...bytesOf(name));
  return Uint8Array.from(out);
}

export function makeRadio(host: Host, previous?: Radio): Radio {
  const handlers: Record<string, ((...a: unknown[]) => unknown)[]> = {};
  let name = "Puck.js sim";
  const r: Radio = {
    adverts: previous?.adverts ?? [],
    scanResponses: previous?.scanResponses ?? [],
    security: undefined,
    awake: true,
    connected: undefined,
    api: {},
    connect(addr = "12:34:56:78:9a:bc public") {
      if (!r.awake) throw new Error("sim: the radio is asleep, a central cannot connect");
      r.connected = addr;
      for (const h of handlers.connect ?? []) host.run("ble", h, [addr]);
    },
    disconnect() {
      if (r.connected === undefined) return;
      r.connected = undefined;
      for (const h of handlers.disconnect ?? []) host.run("ble", h, [19]);
    },
  };
  r.api = {
    setAdvertising(data: Record<string, unknown>, options?: Record<string, unknown>) {
      const o = options ?? {};
      if (typeof o.name === "string") name = o.name;
      const bytes = advertPayload(data ?? {}, o, name);
      if (bytes.length > LEGACY_ADV_BYTES) throw new Error(`BLE error 0x0C (INVALID_LENGTH): advert is ${bytes.length} bytes`);
      r.adverts.push({
        t_ms: host.now_ms, bytes,
        manufacturer: o.manufacturer === undefined ? undefined : Number(o.manufacturer),
        manufacturerData: o.manufacturerData === undefined ? undefined : bytesOf(o.manufacturerData),
        interval_ms: o.interval === undefined ? undefined : Number(o.interval),
      });
    },
    setScanResponse(data: unknown) {
      const bytes = bytesOf(data);
      if (bytes.length > LEGACY_ADV_BYTES) throw new Error("BLE error 0x0C (INVALID_LENGTH)");
      r.scanResponses.push({ t_ms: host.now_ms, bytes });
    },
    setSecurity(o: Record<string, unknown>) { r.security = { ...o }; },
    getAddress: () => "c0:ff:ee:00:00:01 random",
    sleep() { r.disconnect(); r.awake = false; },
    wake() { r.awake = true; },
    disconnect() { r.disconnect(); },
    on(event: string, fn: (...a: unknown[]) => unknown) {
      if (event !== "connect" && event !== "disconnect") throw new Error(`sim: NRF event ${event} not modelled`);
      (handlers[event] ??= []).push(fn);
    },
  };
  return r;
}
