// The radio: Instant Readout in the advertising packet, the device name in the scan response,
// and AES-ECB from Espruino's crypto module (its CTR mode ignores the IV; docs/espruino.md).
import type { ReadoutRadio } from "../readout/readout";

const VICTRON = 0x02e1;
const aes = require("crypto").AES;
const ECB = { mode: "ECB" as const };
const adv = { manufacturer: VICTRON, manufacturerData: new Uint8Array(24), showName: false, interval: 1000 };

export function makeReadoutRadio(): ReadoutRadio {
  return {
    ecb: (block, key) => aes.encrypt(block, key, ECB),
    random: () => E.hwRand(),
    advertise(data) {
      adv.manufacturerData.set(data);
      NRF.setAdvertising({}, adv);
    },
  };
}

/** Advertising interval in ms (a setting). */
export function setAdvertisingInterval(ms: number): void {
  adv.interval = ms;
}

/** Instant Readout off: an ordinary connectable advert with the name. */
export function plainAdvertising(name: string): void {
  NRF.setAdvertising({}, { name: name, showName: true, interval: adv.interval });
}

/** The device name goes in the scan response: the advert itself is full (31 bytes). */
export function setDeviceName(name: string): void {
  const bytes = [name.length + 1, 0x09];
  for (let k = 0; k < name.length; k++) bytes.push(name.charCodeAt(k) & 0xff);
  NRF.setScanResponse(bytes);
}
