// The hardware adapter the supervisor talks to: the only object in the firmware that performs
// effects on Espruino globals (pins, LEDs, link UART, watchdog, clock, Storage).
import type { Board } from "../board";
import { OUT_ATC, OUT_ATD, OUT_PRE } from "../decide";
import type { LedMode } from "../leds";
import { showLed } from "./leds";
import { setupLink } from "./link";
import { driveOutput, outputIsHigh } from "./outputs";
import { remoteIsOn, setupRemote } from "./remote";
import { flashStore } from "./store";
import type { RawStore } from "../record";
import type { ReadoutRadio } from "../readout/readout";
import type { Vehicle } from "../vehicle/vehicle";
import { driveVehicle, readVehicle } from "./vehicle";
import { makeReadoutRadio, plainAdvertising, setAdvertisingInterval, setDeviceName } from "./radio";

export interface Hardware {
  /** apply an output bit set (OUT_ATD | OUT_ATC | OUT_PRE); false if a driven pin reads back low */
  setOutputs(bits: number): boolean;
  setLeds(red: LedMode, blue: LedMode): void;
  /** the remote from the debounced pin levels (SPEC §3) */
  remoteOn(): boolean;
  /** the tick's look at the raw remote pins: a level that differs is read again after the
   * debounce time and taken only if it still differs; then `then` runs (a missed edge heals) */
  checkRemote(then: () => void): void;
  kickWatchdog(): void;
  /** the chip has had a watchdog reset since it was powered on (false after a power cut) */
  watchdogReset: boolean;
  /** deciseconds since start, from 1 (0 means "never" in the bank's time stamps) */
  now_ds(): number;
  /** milliseconds since start, for the one rule that must not round: the pre-alarm lead */
  now_ms(): number;
  /** flash files for the checked records */
  store: RawStore;
  radio: ReadoutRadio;
  setName(name: string): void;
  setAdvertisingInterval(ms: number): void;
  /** Bluetooth on (wake) or off (sleep) */
  setRadio(on: boolean): void;
  /** the console PIN (SPEC §7): configuration and the readout key need it */
  setPin(pin: string, pairing: boolean): void;
  lockConsole(): void;
  /** an ordinary advert with the name, when Instant Readout is off */
  plainAdvertising(name: string): void;
  /** Smart BMS 12-200 profile only: put the tick's measurements into `v` */
  vehicle?(v: Vehicle): void;
}


export interface HardwareEvents {
  remoteEdge(): void;
  linkData(data: string): void;
}

/** Seconds without a tick before the watchdog resets the board (our choice: 10 ticks). */
export const WATCHDOG_S = 10;
/**
 * nRF52 POWER.RESETREAS and its DOG bit: cumulative since power-on, cleared only by a power cut
 * (the SoftDevice forbids writing it while Bluetooth runs; Espruino leaves it, and so does its
 * bootloader since 2v26: an older bootloader clears it, and no watchdog reset is seen).
 */
const RESETREAS = 0x40000400;
const RESETREAS_DOG = 2;

export function createHardware(b: Board, on: HardwareEvents): Hardware {
  const start_s = getTime();
  const checkRemote = setupRemote(b.remL, b.remH, () => on.remoteEdge());
  setupLink(b.linkRx, (data) => on.linkData(data));
  E.enableWatchdog(WATCHDOG_S, false);
  const hw: Hardware = {
    setOutputs(bits) {
      driveOutput(b.atd, (bits & OUT_ATD) !== 0);
      driveOutput(b.atc, (bits & OUT_ATC) !== 0);
      driveOutput(b.pre, (bits & OUT_PRE) !== 0);
      // read back what we drive high: a shorted or blown output must not pass unnoticed
      // (the 12-200's three outputs are driven first: a fault on one must not leave the others stale)
      return (__PROFILE__ !== "12-200" || driveVehicle(b, bits)) && (!(bits & OUT_ATD) || outputIsHigh(b.atd)) &&
        (!(bits & OUT_ATC) || outputIsHigh(b.atc)) && (!(bits & OUT_PRE) || outputIsHigh(b.pre));
    },
    setLeds(red, blue) {
      showLed(b.red, red);
      showLed(b.blue, blue);
    },
    remoteOn: remoteIsOn,
    checkRemote: checkRemote,
    kickWatchdog: () => E.kickWatchdog(),
    watchdogReset: (peek32(RESETREAS) & RESETREAS_DOG) !== 0,
    now_ds: () => Math.round((getTime() - start_s) * 10) + 1,
    now_ms: () => Math.round((getTime() - start_s) * 1000),
    store: flashStore,
    radio: makeReadoutRadio(),
    setName: setDeviceName,
    setAdvertisingInterval: setAdvertisingInterval,
    plainAdvertising: plainAdvertising,
    setPin(pin, pairing) {
      E.setPassword(pin);
      // optional BLE passkey pairing: the phone asks for the same PIN before it may connect
      NRF.setSecurity(pairing ? { passkey: pin, mitm: true, display: true } : { mitm: false, display: false });
    },
    setRadio: (on) => (on ? NRF.wake() : NRF.sleep()),
    lockConsole: () => E.lockConsole(),
  };
  if (__PROFILE__ === "12-200") hw.vehicle = (v) => readVehicle(b, v);
  return hw;
}
