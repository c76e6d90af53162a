// The hardware adapter the supervisor talks to: the only object in the firmware that performs
// effects on Espruino globals (pins, LEDs, link UART, radio, watchdog, clock, Storage). One
// object of a few closures over the board's pins: every resident function costs RAM on the
// device (docs/device-budget.md "The cost model"), so related effects share one.
import type { Board } from "./board";
import { LED_BLINK, LED_ON } from "../leds";
import { flashStore } from "./store";
import type { Hardware, HardwareEvents } from "../ports";
import { vehicleReader } from "./vehicle";

/** Seconds without a tick before the watchdog resets the board (our choice: 10 ticks). */
export const WATCHDOG_S = 10;
/**
 * nRF52 POWER.RESETREAS and its DOG bit: cumulative since power-on, cleared only by a power cut
 * (the SoftDevice forbids writing it while Bluetooth runs; Espruino leaves it, and so does its
 * bootloader since 2v26: an older bootloader clears it, and no watchdog reset is seen).
 */
const RESETREAS = 0x40000400;
const RESETREAS_DOG = 2;
/** The battery link's UART (docs/battery-link.md): receive only, 57600 8N1 on the board's RX pin. */
export const LINK_BAUD = 57600;
/** a blinking LED gets one short flash per tick (SPEC §5), to save a battery-powered board's power */
const FLASH_MS = 20;
const VICTRON = 0x02e1;
/** how many output pins the profile has (`back` below): a number, as an array's length is a
 * getter Espruino looks up at every read */
const OUT_PINS = __PROFILE__ === "12-200" ? 6 : 3;
/** Remote edges must act at once (SPEC §3): the debounce only rejects contact bounce. */
export const REMOTE_DEBOUNCE_MS = 25;

export function createHardware(b: Board, on: HardwareEvents): Hardware {
  const start_s = getTime();
  const aes = require("crypto").AES;
  const adv = { manufacturer: VICTRON, manufacturerData: new Uint8Array(24), showName: false, interval: 1000 };
  /**
   * the outputs, the highest bit first: OUT_ATD 1, OUT_ATC 2, OUT_PRE 4 (src/decide.ts), and the
   * 12-200's OUT_ALT 8, OUT_SYSD 16, OUT_SYSC 32 (src/vehicle/vehicle.ts); so `digitalRead(back)`
   * gives the output bits (its last pin is bit 0)
   */
  const back = __PROFILE__ === "12-200" ? [b.sysC!, b.sysD!, b.alt!, b.pre, b.atc, b.atd] : [b.pre, b.atc, b.atd];
  /** the bits last set on the pins (-1: none yet) */
  let driven = -1;
  /** Bluetooth awake (it is at power-up) */
  let radio = true;
  /** the LEDs' modes last shown (-1: none yet) */
  let shown = -1;
  // Remote on/off terminals (SPEC §3). The board front end turns the terminals into two logic pins:
  //   L: pulled up on the board, reads low when L is pulled to battery minus (< 3.5 V) or bridged
  //      to H (H's pull-down is stronger than L's pull-up);
  //   H: pulled down, reads high when 2.9 V < V_H < Vbat (divider and clamp on the board).
  // ON when L reads low or H reads high; OFF in every other case.
  // Every reading goes through the debounce: the state is made of each pin's debounced level
  // (`lv`: bit 0 = L, bit 1 = H), which only its watch (stable for REMOTE_DEBOUNCE_MS) or a tick
  // reading confirmed REMOTE_DEBOUNCE_MS later changes. A glitch on one pin is never read by the
  // other pin's edge.
  pinMode(b.remL, "input_pullup");
  pinMode(b.remH, "input_pulldown");
  // both pins in one native call: an array of pins reads as one number, its last pin bit 0
  const rem = [b.remH, b.remL];
  let lv = digitalRead(rem); // at power-up the levels are taken as they are
  setWatch((e) => {
    lv = (lv & 2) | +e.state; // (a boolean as 0 or 1)
    on.remoteEdge();
  }, b.remL, { edge: "both", repeat: true, debounce: REMOTE_DEBOUNCE_MS }); // (options written at each call: an object kept in the scope costs RAM)
  setWatch((e) => {
    lv = (lv & 1) | (+e.state << 1);
    on.remoteEdge();
  }, b.remH, { edge: "both", repeat: true, debounce: REMOTE_DEBOUNCE_MS });
  /** the pins whose raw level differed from the debounced one at the tick, and who is told after */
  let seen = 0;
  let then: { remoteSettled(): void };
  const settle = () => {
    lv ^= seen & (digitalRead(rem) ^ lv);
    then.remoteSettled();
  };
  Serial1.setup(LINK_BAUD, { rx: b.linkRx });
  E.enableWatchdog(WATCHDOG_S, false);
  const hw: Hardware = {
    // Outputs are either driven high ("allowed") or left floating (high impedance, "off"): a dead
    // or resetting board leaves every output floating, which is the safe state (SPEC §2).
    // The pins are set when the bits change and again every OUT_REASSERT_TICKS (a disturbed pin
    // is put right within that time); what is driven high is read back at every call, with one
    // native read of all the pins: a shorted or blown output must not pass unnoticed. (Not the
    // pin's mode: read just after pinMode set it, it cannot differ. A driven pin that other code
    // switched to input is seen when it reads low, and put right at the next reassert either way)
    setOutputs(bits, again) {
      if (bits !== driven || again) {
        driven = bits;
        for (let k = 0; k < OUT_PINS; k++) {
          const pin = back[OUT_PINS - 1 - k];
          if (bits & (1 << k)) {
            // set the latch high before switching to output, so the pin never glitches low
            digitalWrite(pin, 1);
            pinMode(pin, "output");
          } else pinMode(pin, "input");
        }
      }
      return !bits || (digitalRead(back) & bits) === bits;
    },
    // The LEDs' modes are set when the outputs are decided (`leds`) and shown at the next tick:
    // steady ones written when a mode changed, blinking ones flashed at every tick (one short
    // flash each; a flash still on when a decision in an event changes the mode cannot turn the
    // new steady level off). No loop: tickIo() runs every second. Bluetooth goes with the blue
    // LED (SPEC §5: off = Bluetooth off): woken or put to sleep when the blue LED goes on or off
    // (a function less in RAM than a setRadio of its own). One function for the LEDs and the
    // read-back: each function kept resident costs some 7 variables
    leds: 0,
    tickIo() {
      // (LED_OFF 0, LED_BLINK 1, LED_ON 2: a mode's bit 0 says it blinks, bit 1 that it is on)
      const m = hw.leds;
      if (m !== shown) {
        shown = m;
        if (!(m & ((LED_BLINK | LED_ON) << 2)) === radio) {
          radio = !radio;
          if (radio) NRF.wake();
          else NRF.sleep();
        }
        if (!(m & LED_BLINK)) digitalWrite(b.red, (m >> 1) & 1);
        if (!(m & (LED_BLINK << 2))) digitalWrite(b.blue, m >> 3);
      }
      if (m & LED_BLINK) digitalPulse(b.red, 1, FLASH_MS);
      if (m & (LED_BLINK << 2)) digitalPulse(b.blue, 1, FLASH_MS);
    // (the read-back of setOutputs, without reading its text at every tick)
      return !driven || (digitalRead(back) & driven) === driven;
    },
    // ON from the debounced levels: L low or H high. OFF is L high and H low, bit 0 set and bit 1
    // clear: the one value 1 of the two bits
    remoteOn: () => lv !== 1,
    // a pin whose raw level differs from its debounced level is read again REMOTE_DEBOUNCE_MS
    // later and takes the level only if it still differs (a missed edge is healed, a glitch is not
    // taken); then `cb` runs
    checkRemote(cb) {
      seen = digitalRead(rem) ^ lv;
      if (!seen) return;
      then = cb;
      setTimeout(settle, REMOTE_DEBOUNCE_MS);
    },
    feedWatchdog: E.kickWatchdog, // a static native: no closure needed (a name of our own: the build shortens it)
    watchdogReset: peek32(RESETREAS) & RESETREAS_DOG,
    now_ds: () => Math.round((getTime() - start_s) * 10) + 1,
    now_ms: () => Math.round((getTime() - start_s) * 1000),
    store: flashStore,
    // Instant Readout in the advertising packet, with AES-ECB from Espruino's crypto module (its
    // CTR mode ignores the IV; docs/espruino.md)
    // (the options made at each call, at most once a payload: an object kept would cost RAM)
    ecb: (block, key) => aes.encrypt(block, key, { mode: "ECB" }),
    advertise(data) {
      adv.manufacturerData.set(data);
      NRF.setAdvertising({}, adv);
    },
    settings(st) {
      const name = st.name;
      // the complete local name (AD type 0x09): length, type, the name's bytes (printable ASCII:
      // settings.ts), made by one native call
      NRF.setScanResponse(E.toUint8Array([name.length + 1, 0x09, name]));
      E.setPassword(st.pin);
      // optional BLE passkey pairing: the phone asks for the same PIN before it may connect
      NRF.setSecurity(st.pairing === 1 ? { passkey: st.pin, mitm: true, display: true } : { mitm: false, display: false });
      adv.interval = st.advInterval;
      if (st.readout !== 1) NRF.setAdvertising({}, { name: name, showName: true, interval: adv.interval });
    },
  };
  if (__PROFILE__ === "12-200") hw.vehicle = vehicleReader(b);
  return hw;
}
