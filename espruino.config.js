// Upload settings read by tools/upload.ts (`npm run upload`). The `espruino` CLI has no config
// file of its own: tools/upload.ts turns this object into CLI flags and `--config KEY=value`
// options (`npx espruino --listconfigs` prints every KEY). Paths are relative to this file.

/** Espruino.Config options shared by every board. */
const common = {
  // 0 = the code the CLI sends runs at the console, once: it is `load()`. The firmware's two files
  // are written to Storage before it, byte for byte as stored (`--storage`, pretokenised by
  // tools/pretokenise.ts), so `.bootcde` runs from flash at every boot and keeps its function
  // bodies in flash (docs/espruino.md, "Memory"). Not SAVE_ON_SEND 1: the CLI would write the
  // code as text, 13-15 % more flash than the token bytes, and wrap it in its own loader.
  SAVE_ON_SEND: 0,
  // Send reset() first: stops the running firmware (its intervals, watches, BLE services) and
  // frees its RAM before the flash is rewritten. reset() does not erase `.bootcde`.
  RESET_BEFORE_SEND: 1,
  // "" = no minification: esbuild already minified dist/bms.js, and the bundle check in
  // tools/build.ts vetted exactly that text. Another minifier would change what runs.
  MINIFICATION_LEVEL: "",
  MODULE_MINIFICATION_LEVEL: "",
  // 0 = the CLI does not pretokenise: we do (tools/pretokenise.ts, after our bundle gate, with a
  // token-for-token round-trip test and the stored files run on Espruino's own interpreter).
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
