// Upload settings read by tools/upload.ts (`npm run upload`). The `espruino` CLI has no config
// file of its own: tools/upload.ts turns this object into CLI flags and `--config KEY=value`
// options (`npx espruino --listconfigs` prints every KEY). Paths are relative to this file.

/** Espruino.Config options shared by every board. */
const common = {
  // 1 = write the code to the Storage file `.bootcde` and run it from flash at every boot.
  // Code run from flash keeps its function bodies in flash; the same bundle uploaded to RAM
  // (0) runs out of the ~2600 variables (docs/espruino.md, "Memory").
  // Not 2 (`.bootrst`, runs even after reset()): a crashing firmware would be hard to recover.
  SAVE_ON_SEND: 1,
  // 1 = call load() once `.bootcde` is written, so the new firmware starts right away from flash
  // (same as a power cycle) instead of waiting for the next reboot.
  LOAD_STORAGE_FILE: 1,
  // Send reset() first: stops the running firmware (its intervals, watches, BLE services) and
  // frees its RAM before the flash is rewritten. reset() does not erase `.bootcde`.
  RESET_BEFORE_SEND: 1,
  // "" = no minification: esbuild already minified dist/bms.js, and the bundle check in
  // tools/build.ts vetted exactly that text. Another minifier would change what runs.
  MINIFICATION_LEVEL: "",
  MODULE_MINIFICATION_LEVEL: "",
  // 0 = send the source as text. Pretokenising changes the code after our bundle gate and has
  // had template-literal bugs; the size budget in tools/build.ts is measured on plain text.
  PRETOKENISE: 0,
  // No "compiled" functions in our code: never send code to espruino.com's compiler service.
  COMPILATION: false,
  // Empty = never download modules from espruino.com. The bundle must only require() modules
  // built into the firmware (the board JSON's builtin_modules); the CLI's HTTPS fetches run with
  // TLS certificate checks disabled, so nothing should be fetched at all.
  MODULE_URL: "",
};

export default {
  /** Board used when `--board` is not given. */
  defaultBoard: "PUCKJS",
  /** Kill the CLI after this long. A 24 KB bundle over BLE or 9600 baud takes well under a minute. */
  timeoutSeconds: 120,
  /** Pass `-t`: set the board's clock (and time zone) from this computer while uploading.
   *  Sent before the code, not stored in `.bootcde`; the board keeps it until power is lost. */
  setTime: true,
  boards: {
    PUCKJS: {
      // Board id as in espruino.com/json/PUCKJS.json (Puck.js v1, v2 and v2.1 share it).
      id: "PUCKJS",
      // Local board JSON passed as `--board <file>`: the CLI then neither asks the board for its
      // details nor downloads the board JSON, and it knows the firmware version (2v29 → writes
      // with require("Storage").write) and which modules are built in.
      boardJson: "boards/PUCKJS.json",
      // No default port: give it each time with --port or BMS_PORT (serial path, BLE address or
      // tcp://host:port), so an upload never goes to whatever device happens to be found first.
      port: null,
      // Serial console speed on D28/D29 (default_console_baudrate of the board). Ignored over
      // USB and Bluetooth LE.
      baudRate: 9600,
      config: { ...common },
    },
    MDBT42Q: {
      id: "MDBT42Q",
      boardJson: "boards/MDBT42Q.json",
      port: null,
      // Serial console on D6 (TX) / D8 (RX) at 9600 baud.
      baudRate: 9600,
      config: { ...common },
    },
  },
};
