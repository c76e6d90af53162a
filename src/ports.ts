// The ports: what the core needs from the board, declared by the core and implemented by the
// hardware layer (src/hal/hardware.ts, src/hal/store.ts) on a board and by the same code on the
// simulated one. The core imports these types, never the hardware layer.
import type { createApi } from "./api";
import type { changeSetting } from "./config";
import type { writeLearned } from "./link/learned";
import type { reserveNonces } from "./readout/keys";
import type { ReadoutRadio } from "./readout/readout";
import type { RawStore } from "./record";
import type { Settings } from "./settings";
import type { writeSoc } from "./soc/monitor";
import type { Supervisor } from "./supervisor";
import type { Vehicle } from "./vehicle/vehicle";

/** what API_FILE evaluates to (src/api-module.ts) */
export interface ApiModule {
  /** at the firmware's load: the records in flash into the supervisor (src/boot.ts) */
  boot(sup: Supervisor): void;
  api(sup: Supervisor): ReturnType<typeof createApi>;
  set: typeof changeSetting;
  saveSoc: typeof writeSoc;
  saveLearned: typeof writeLearned;
  reserve: typeof reserveNonces;
}

export interface Store extends RawStore {
  /**
   * The on-demand module: undefined when the file is missing (an incomplete upload), null when
   * there is not memory enough to load it now (try again later). `keep`: a client's use, kept
   * API_KEEP_MS after the last one; else (boot, a record to write) it is let go after the call
   * unless a client has it loaded.
   */
  mod(keep: boolean): ApiModule | null | undefined;
}

/** the radio's part (ecb, advertise) is the readout's `ReadoutRadio`: the readout is given the hardware itself */
export interface Hardware extends ReadoutRadio {
  /**
   * apply an output bit set (OUT_ATD | OUT_ATC | OUT_PRE): the pins are set when the bits changed
   * or `again`; false if a pin to drive high reads back low (checked at every call)
   */
  setOutputs(bits: number, again: boolean): boolean;
  /** the LEDs' modes, red | blue << 2 (LED_OFF, LED_BLINK, LED_ON), shown from the next tick on;
   * Bluetooth follows the blue one: off puts it to sleep, blinking or on wakes it (SPEC §5, §7) */
  leds: number;
  /** at every tick: the LEDs' modes shown (a changed one written, each blinking one flashed once),
   * then the read-back of the bits set last (false if a pin driven high reads back low). One
   * function for both: each function kept resident costs some 7 variables */
  tickIo(): boolean;
  /** the remote from the debounced pin levels (SPEC §3) */
  remoteOn(): boolean;
  /** the tick's look at the raw remote pins: a level that differs is read again after the
   * debounce time and taken only if it still differs; then `then.remoteSettled()` runs (a missed
   * edge heals; the supervisor itself, not a closure of it: an arrow made in its constructor
   * would keep the constructor's scope, 8 variables, for ever) */
  checkRemote(then: { remoteSettled(): void }): void;
  feedWatchdog(): void;
  /** non-zero: the chip has had a watchdog reset since it was powered on (0 after a power cut) */
  watchdogReset: number;
  /** deciseconds since start, from 1 (0 means "never" in the bank's time stamps) */
  now_ds(): number;
  /** milliseconds since start, for the one rule that must not round: the pre-alarm lead */
  now_ms(): number;
  /** flash files for the checked records, and the on-demand module */
  store: Store;
  /**
   * The radio and the console as the settings say: the device name (in the scan response: the
   * advert itself is full), the console PIN (SPEC §7) with optional passkey pairing, the
   * advertising interval, and an ordinary advert with the name when Instant Readout is off.
   */
  settings(st: Settings): void;
  /** Smart BMS 12-200 profile only: put the tick's measurements into `v` (`slow`: the ADC reference
   * and board temperature too); true when `slow` or a reading is on or beyond an edge of its bands */
  vehicle?(v: Vehicle, slow: boolean): boolean;
}

export interface HardwareEvents {
  remoteEdge(): void;
}
