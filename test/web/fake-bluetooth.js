// A fake `navigator.bluetooth` for the browser tests, injected with page.addInitScript before the
// page's own code runs. It offers one device with Espruino's Nordic UART service. Writes to the TX
// characteristic go to the Node side (window.__simBleWrite, exposed by the test), where a SimBoard
// types them at its console; what the console prints comes back as RX notifications in 20-byte
// chunks, like a real link. So the page's Web Bluetooth transport runs unchanged.
// Plain browser JavaScript on purpose: it is sent to the page as text.
(() => {
  const NUS = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
  const TX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";
  const RX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e";
  const MTU = 20;
  const fake = { requests: 0, writes: 0, biggestWrite: 0, drop: () => {} };
  window.__fakeBle = fake;

  const device = new EventTarget();
  device.id = "sim-board";
  device.name = "open smallBMS";
  const rx = new EventTarget();
  rx.uuid = RX;
  rx.value = undefined;
  rx.startNotifications = async () => rx;
  const tx = new EventTarget();
  tx.uuid = TX;
  const service = {
    uuid: NUS,
    getCharacteristic: async (uuid) => {
      if (uuid === TX) return tx;
      if (uuid === RX) return rx;
      throw new DOMException("No Characteristics matching UUID " + uuid, "NotFoundError");
    },
  };
  const gatt = {
    device,
    connected: false,
    connect: async () => {
      await window.__simBleConnect();
      gatt.connected = true;
      return gatt;
    },
    disconnect: () => {
      if (!gatt.connected) return;
      gatt.connected = false;
      void window.__simBleDisconnect();
      device.dispatchEvent(new Event("gattserverdisconnected"));
    },
    getPrimaryService: async (uuid) => {
      if (!gatt.connected) throw new DOMException("GATT Server is disconnected.", "NetworkError");
      if (uuid !== NUS) throw new DOMException("No Services matching UUID " + uuid, "NotFoundError");
      return service;
    },
  };
  device.gatt = gatt;

  /** the link drops from the browser's side (out of range) */
  fake.drop = () => {
    if (!gatt.connected) return;
    gatt.connected = false;
    device.dispatchEvent(new Event("gattserverdisconnected"));
  };

  function notify(text) {
    const bytes = new TextEncoder().encode(text);
    setTimeout(() => {
      for (let i = 0; i < bytes.length && gatt.connected; i += MTU) {
        const chunk = bytes.slice(i, i + MTU);
        rx.value = new DataView(chunk.buffer);
        rx.dispatchEvent(new Event("characteristicvaluechanged"));
      }
    }, 0);
  }

  async function write(value) {
    if (!gatt.connected) throw new DOMException("GATT Server is disconnected.", "NetworkError");
    const view = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
    if (view.length > MTU) throw new DOMException("fake: a write of " + view.length + " bytes is over " + MTU, "NotSupportedError");
    fake.writes++;
    fake.biggestWrite = Math.max(fake.biggestWrite, view.length);
    let text = "";
    for (const b of view) text += String.fromCharCode(b);
    const r = await window.__simBleWrite(text);
    if (r.lost) {
      fake.drop(); // the board went away: the browser notices at the next write
      throw new DOMException("GATT Server is disconnected.", "NetworkError");
    }
    if (r.out) notify(r.out);
  }
  tx.writeValue = write;
  tx.writeValueWithResponse = write;

  Object.defineProperty(Navigator.prototype, "bluetooth", {
    configurable: true,
    get: () => ({
      requestDevice: async (options) => {
        fake.requests++;
        const wanted = JSON.stringify(options);
        if (!wanted.includes(NUS)) throw new DOMException("fake: the page did not ask for the Nordic UART service", "SecurityError");
        return device;
      },
    }),
  });
})();
