// The web app (web/) in a real browser: headless Chromium (Debian's, or the one packaged in
// node_modules, see browser.ts), driven by playwright-core.
// The built page is served from 127.0.0.1; a fake navigator.bluetooth (fake-bluetooth.js) carries
// its Nordic UART bytes to a SimBoard running dist/bms.js with a simulated bank attached, so the
// page's Web Bluetooth transport, line framing, PIN unlock and RPC all run as on a phone. The
// simulator demo (WebSocket bridge, sim/bridge.ts) is exercised the same way. Screenshots of each
// page go to test-artifacts/.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { SimBoard } from "../../sim/board.ts";
import { Bank, type BankConfig } from "../../sim/bank.ts";
import { attachBank, type Rig } from "../../sim/rig.ts";
import { startWebServer, WEB_DIST, type WebServer } from "../../sim/bridge.ts";
import { P12200, PUCK } from "../../sim/wiring.ts";
import { Vehicle } from "../../sim/vehicle.ts";
import { profileBundle } from "../helpers.ts";
import { findChromium } from "./browser.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FAKE_BLE = join(import.meta.dirname, "fake-bluetooth.js");
const SHOTS = join(ROOT, "test-artifacts");
const WAIT = { timeout: 10_000 };

interface Sim {
  b: SimBoard;
  rig: Rig;
  page: Page;
  /** every complete line the page typed at the board's console */
  lines: string[];
  /** the board stops answering (the link stays up, nothing comes back) */
  mute: (on: boolean) => void;
}

let server: WebServer;
let context: BrowserContext;
let profile: string;
const open: SimBoard[] = [];

/** A board with a bank, remote ON, 3 s in: the batteries have reported. */
function simBoard(bank: Partial<BankConfig> = {}): { b: SimBoard; rig: Rig } {
  const b = new SimBoard();
  const rig = attachBank(b, new Bank({ soc: 0.8, load_A: 5, ...bank }), PUCK);
  b.drive(PUCK.remL, 0);
  b.advance(3000);
  return { b, rig };
}

/**
 * The Smart BMS 12-200's OWN bundle (dist/12-200/) on an MDBT42Q in a van: one 12.8 V battery,
 * a 20 A inverter on System+, the engine running (starter side 14.2 V), remote ON, 10 s in: the
 * alternator output has been on since the 5 s after the first tick that saw the starter side.
 */
function vehicleBoard(): { b: SimBoard; rig: Rig; veh: Vehicle } {
  const b = new SimBoard({ board: "MDBT42Q", ...profileBundle("12-200") });
  const bank = new Bank({ soc: 0.5, load_A: 0 });
  const rig = attachBank(b, bank, P12200);
  const veh = new Vehicle(b, bank, P12200, { inverter_A: 20 }).start();
  veh.engine = "run";
  b.drive(P12200.remL, 0);
  b.advance(10_000);
  return { b, rig, veh };
}

/** A fresh page with the fake Web Bluetooth bound to a fresh simulated board (or the one given). */
async function bluetoothPage(bank: Partial<BankConfig> = {}, made: { b: SimBoard; rig: Rig } = simBoard(bank)): Promise<Sim> {
  const { b, rig } = made;
  open.push(b);
  const page = await context.newPage();
  const lines: string[] = [];
  let buf = "";
  let muted = false;
  await page.exposeFunction("__simBleConnect", () => {
    buf = ""; // a new connection starts a new stream
    b.radio.connect();
  });
  await page.exposeFunction("__simBleDisconnect", () => b.radio.disconnect());
  await page.exposeFunction("__simBleWrite", (chunk: string) => {
    if (b.radio.connected === undefined) return { lost: true };
    if (muted) return { out: "" };
    buf += chunk;
    let out = "";
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      out += b.uart(line + "\n");
    }
    return { out };
  });
  await page.addInitScript({ path: FAKE_BLE });
  page.on("dialog", (d) => void d.accept());
  await page.goto(server.url);
  return { b, rig, page, lines, mute: (on: boolean) => (muted = on) };
}

async function connect(page: Page, pin = "000000"): Promise<void> {
  await page.fill("#pin", pin);
  await page.click("#connect-ble");
}
async function connected(page: Page): Promise<void> {
  await page.waitForSelector("#tabs:not([hidden])", WAIT);
  await page.waitForFunction("document.querySelector('#v').textContent !== '—'", undefined, WAIT);
}
async function text(page: Page, sel: string): Promise<string> {
  return ((await page.textContent(sel)) ?? "").trim();
}
async function tab(page: Page, name: string): Promise<void> {
  await page.click(`.tab[data-tab="${name}"]`);
  await page.waitForSelector(`#page-${name}:not([hidden])`, WAIT);
}
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `web-${name}.png`), fullPage: true });
}
/** The page fits its viewport: no horizontal scrolling. */
async function fits(page: Page, what: string): Promise<void> {
  const m = await page.evaluate("({ sw: document.documentElement.scrollWidth, w: window.innerWidth })") as { sw: number; w: number };
  assert.ok(m.sw <= m.w, `${what}: the page is ${m.sw} px wide in a ${m.w} px viewport`);
}
async function setting(page: Page, key: string, value: string): Promise<void> {
  await page.fill(`.setting[data-key="${key}"] input`, value);
  await page.click(`.setting[data-key="${key}"] button.set`);
}
function setLines(lines: string[], key: string): string[] {
  return lines.filter((l) => l.includes(`"set", ["${key}"`));
}

describe("web app in Chromium (fake Web Bluetooth → simulated board)", function () {
  this.timeout(60_000);

  before(async function () {
    this.timeout(120_000);
    const browser = findChromium();
    console.log(`      browser: ${browser.source}`);
    if (!existsSync(join(WEB_DIST, "index.html"))) {
      execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", join(ROOT, "web"), "--logLevel", "warn"], { stdio: "inherit" });
    }
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer(); // the built page only; the bridge is tested below with its own server
    profile = mkdtempSync(join(tmpdir(), "bms-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      env: { ...process.env, ...browser.env },
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
      viewport: { width: 900, height: 900 },
    });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const p of context.pages()) await p.close();
    for (const b of open.splice(0)) assert.deepEqual(b.uncaught, [], "nothing uncaught on the board");
  });

  it("connects_unlocks_with_the_pin_and_shows_the_status_of_the_sim", async () => {
    const { b, page, lines } = await bluetoothPage();
    // before connecting: nothing that looks like data, no Mode switch, no demo in the static build
    assert.equal(await page.isVisible("#page-status"), false);
    assert.equal(await page.isVisible("#mode"), false);
    assert.equal(await page.isVisible("#connect-sim"), false, "the simulator demo is for the development server only");
    await connect(page);
    await connected(page);
    assert.equal(lines[0], "000000", "the PIN line goes first");
    assert.match(lines[1], /^\x10bms\.rpc\(\d+, "version", \[\]\)$/, "then one RPC line per request, the API version first");
    const s = b.call<{ v: number; i: number; p: number; mode: boolean; codes: string[] }>("bms.status()");
    assert.equal(await text(page, "#v"), s.v.toFixed(2) + " V");
    assert.equal(await text(page, "#i"), s.i.toFixed(1) + " A");
    assert.equal(await text(page, "#p"), s.p.toFixed(0) + " W");
    assert.equal(await text(page, "#soc"), "unknown", "no sync yet: SoC unknown");
    assert.equal(await text(page, "#ttg"), "— (SoC unknown)", "no time to go without a SoC, and the page says why");
    assert.equal(await text(page, "#charge"), "Yes");
    assert.equal(await text(page, "#discharge"), "Yes");
    assert.equal(await page.isChecked("#mode"), s.mode);
    assert.equal(await text(page, "#codes"), "none");
    assert.equal(await page.isVisible("#vehicle"), false, "no Smart BMS 12-200 rows on a smallBMS NG");
    assert.doesNotMatch(await page.innerText("#page-status"), /System\+|Alternator|Soft switch/);
    assert.equal(await page.getAttribute('.tab[data-tab="status"]', "aria-selected"), "true");
    assert.equal(await page.getAttribute('.tab[data-tab="battery"]', "aria-selected"), "false");
    const fake = await page.evaluate("({ writes: window.__fakeBle.writes, biggest: window.__fakeBle.biggestWrite })") as { writes: number; biggest: number };
    assert.ok(fake.biggest <= 20 && fake.writes > 3, `writes in chunks of at most 20 bytes (${JSON.stringify(fake)})`);
    // a few polls feed the chart
    await page.waitForFunction("document.querySelectorAll('#codes li').length && true", undefined, WAIT);
    await page.waitForTimeout(3200);
    assert.match(await page.getAttribute("#chart", "aria-label") ?? "", /^Chart of the last \d+ s: SoC unknown; Voltage \d+\.\d\d V \(range/, "the chart's text alternative");
    await shot(page, "status");
    // the Mode switch switches the system off in the sim
    await page.click("#mode");
    await page.waitForFunction("document.querySelector('#discharge').textContent.includes('Mode switched off')", undefined, WAIT);
    assert.equal(b.call("bms.status().mode"), false);
    assert.equal(b.level(PUCK.atd), "Z", "ATD floats");
  });

  it("battery_page_shows_the_bank_and_each_battery_with_a_bar_per_cell", async () => {
    const { b, page } = await bluetoothPage({ series: 2, parallel: 1 });
    await connect(page);
    await connected(page);
    await tab(page, "battery");
    await page.waitForSelector('#bank tr[data-k="batteries"]', WAIT);
    assert.equal(await text(page, '#bank tr[data-k="batteries"] td'), "2");
    assert.equal(await text(page, '#bank tr[data-k="series"] td'), "2");
    assert.equal(await text(page, '#bank tr[data-k="cells"] td'), "8");
    assert.equal(await text(page, '#bank tr[data-k="balancer"] td'), b.call("bms.battery().balancer"));
    await page.waitForSelector('#battery-detail tr[data-k="serial"]', WAIT);
    assert.equal(await page.locator("#battery-select").evaluate((e) => (e as HTMLSelectElement).labels?.[0]?.textContent), "Battery", "the selector has a label");
    await page.selectOption("#battery-select", "2");
    const two = b.call<{ serial: number; firmware: string; cells_V: number[] }>("bms.battery(2)");
    await page.waitForFunction(`document.querySelector('#battery-detail tr[data-k="serial"] td').textContent === ${JSON.stringify(String(two.serial))}`, undefined, WAIT);
    assert.equal(await text(page, '#battery-detail tr[data-k="firmware"] td'), two.firmware);
    assert.equal(await page.locator("#cells .cell").count(), two.cells_V.length);
    assert.equal(await text(page, '#cells .cell[data-cell="1"] > span:last-child'), two.cells_V[0].toFixed(3) + " V");
    await shot(page, "battery");
  });

  it("history_page_shows_every_item_of_the_history", async () => {
    const { b, page } = await bluetoothPage();
    await connect(page);
    await connected(page);
    await tab(page, "history");
    await page.waitForSelector("#history tr", WAIT);
    const keys = Object.keys(b.call<Record<string, unknown>>("bms.history()"));
    const shown = await page.$$eval("#history tr", (trs) => trs.map((tr) => tr.getAttribute("data-k")));
    assert.deepEqual([...shown].sort(), [...keys].sort());
    assert.equal(b.call("bms.history().syncs"), 0);
    assert.equal(await text(page, '#history tr[data-k="sinceFull_h"] td'), "— (never fully charged since the history began)");
    await shot(page, "history");
  });

  it("settings_form_sends_a_change_and_the_sim_applies_it", async () => {
    const { b, page, lines } = await bluetoothPage();
    await connect(page);
    await connected(page);
    await tab(page, "settings");
    await page.waitForSelector('.setting[data-key="tailCurrent"] input', WAIT);
    const schema = b.call<unknown[][]>("bms.schema()");
    assert.equal(await page.locator("#settings-form .setting").count() + await page.locator("#bluetooth-form .setting").count(), schema.length - 1,
      "one row per schema row; Mode only on the Status page");
    assert.equal(await page.locator('.setting[data-key="mode"]').count(), 0);
    assert.equal(await page.inputValue('.setting[data-key="tailCurrent"] input'), "4");
    await setting(page, "tailCurrent", "5");
    await page.waitForSelector('.setting[data-key="tailCurrent"] .field-ok:not([hidden])', WAIT);
    assert.equal(b.call("bms.settings().tailCurrent"), 5);
    assert.deepEqual(setLines(lines, "tailCurrent").length, 1);
    // a switch applies on change and has no Set button; the Bluetooth settings are on the Product page
    await tab(page, "product");
    assert.equal(await page.locator('.setting[data-key="readout"] button.set').count(), 0);
    await page.click('.setting[data-key="readout"] input');
    await page.waitForSelector('.setting[data-key="readout"] .field-ok:not([hidden])', WAIT);
    assert.equal(b.call("bms.settings().readout"), 0);
    await page.click("#show-key");
    await page.waitForFunction("document.querySelector('#readout-key').textContent.length === 32", undefined, WAIT);
    assert.equal(await text(page, "#readout-key"), b.call("bms.readoutKey()"));
    assert.equal(await text(page, '#product tr[data-k="fw"] td'), b.call("bms.version().fw"));
    assert.equal(await text(page, '#product tr[data-k="api"] td'), String(b.call("bms.version().api")));
    assert.equal(await text(page, '#product tr[data-k="board"] td'), "Puck.js v2");
    await shot(page, "product");
    await tab(page, "settings");
    // set SoC and sync
    await page.fill("#soc-input", "55");
    await page.click("#set-soc");
    await page.waitForFunction("document.querySelector('#soc-result').textContent.includes('55')", undefined, WAIT);
    assert.equal(b.call("bms.status().soc"), 55);
    await shot(page, "settings");
    // factory reset (confirmed) restores the tail current
    await page.click("#factory-reset");
    await page.waitForFunction("document.querySelector('#message').textContent.includes('Factory reset done')", undefined, WAIT);
    assert.equal(b.call("bms.settings().tailCurrent"), 4);
  });

  it("a_value_out_of_range_is_refused_before_sending_and_a_bms_refusal_shows_its_error", async () => {
    const { b, page, lines } = await bluetoothPage();
    await connect(page);
    await connected(page);
    await tab(page, "settings");
    await page.waitForSelector('.setting[data-key="tailCurrent"] input', WAIT);
    await setting(page, "tailCurrent", "50");
    await page.waitForSelector('.setting[data-key="tailCurrent"] .field-error:not([hidden])', WAIT);
    assert.equal(await text(page, '.setting[data-key="tailCurrent"] .field-error'), "Not sent: must be a number 0.5..10 %");
    await setting(page, "chargedTime", "2.5");
    await page.waitForSelector('.setting[data-key="chargedTime"] .field-error:not([hidden])', WAIT);
    assert.equal(await text(page, '.setting[data-key="chargedTime"] .field-error'), "Not sent: must be in steps of 1");
    assert.deepEqual([...setLines(lines, "tailCurrent"), ...setLines(lines, "chargedTime")], [], "nothing was sent");
    assert.equal(b.call("bms.settings().tailCurrent"), 4);
    // in range on its own, but the BMS ties it to the low-SoC warning level (20 %)
    await setting(page, "dischargeFloor", "30");
    await page.waitForSelector('.setting[data-key="dischargeFloor"] .field-error:not([hidden])', WAIT);
    assert.equal(await text(page, '.setting[data-key="dischargeFloor"] .field-error'), "Refused by the BMS: “Low-SoC warning level” must be above “Discharge floor”");
    assert.equal(await page.getAttribute('.setting[data-key="dischargeFloor"] input', "aria-invalid"), "true");
    assert.match(await page.getAttribute('.setting[data-key="dischargeFloor"] input', "aria-describedby") ?? "", /set-dischargeFloor-error/);
    assert.equal(await page.inputValue('.setting[data-key="dischargeFloor"] input'), "10", "the field shows what the BMS holds");
    assert.equal(setLines(lines, "dischargeFloor").length, 1, "this one was sent");
    assert.equal(b.call("bms.settings().dischargeFloor"), 10);
    await shot(page, "settings-errors");
  });

  it("an_alarm_raised_in_the_sim_appears_on_the_status_page", async () => {
    const { b, rig, page } = await bluetoothPage();
    await connect(page);
    await connected(page);
    rig.unplug(0); // the battery goes silent
    b.advance(6000);
    await page.waitForSelector('#codes li[data-code="W-B05"]', WAIT);
    assert.match(await text(page, '#codes li[data-code="W-B05"]'), /Battery communication lost \(warning\)Check the cables between the BMS and the batteries\./);
    b.advance(30_000);
    await page.waitForSelector('#codes li[data-code="A-B05"]', WAIT);
    await page.waitForFunction("document.querySelector('#charge').textContent === 'No: Battery communication lost'", undefined, WAIT);
    assert.equal(await text(page, "#discharge"), "No: Battery communication lost");
    assert.deepEqual([...b.call<string[]>("bms.codes()")], ["W-B05", "A-B05"]);
    await shot(page, "alarm");
  });

  it("a_low_cell_shows_the_pre_alarm_on_discharge_allowed", async () => {
    const { b, page } = await bluetoothPage({ soc: 0.06, load_A: 20 });
    await connect(page);
    await connected(page);
    for (let k = 0; k < 600 && !(b.call<string[]>("bms.codes()")).includes("W-B01"); k++) b.advance(1000);
    assert.ok(b.call<string[]>("bms.codes()").includes("W-B01"), "the cells sag under the pre-alarm level");
    await page.waitForSelector('#codes li[data-code="W-B01"]', WAIT);
    await page.waitForFunction("document.querySelector('#discharge').textContent.startsWith('Pre-alarm: low cell voltage') || document.querySelector('#discharge').textContent.startsWith('No')", undefined, WAIT);
    assert.match(await text(page, "#discharge"), /^Pre-alarm: low cell voltage/);
    await shot(page, "pre-alarm");
  });

  it("losing_the_connection_is_reported_and_reconnect_works", async () => {
    const { b, page } = await bluetoothPage();
    await connect(page);
    await connected(page);
    b.radio.disconnect(); // the board drops the central
    await page.waitForSelector("#reconnect:not([hidden])", WAIT);
    assert.match(await text(page, "#message"), /^Connection lost \(the Bluetooth link dropped\)\. Check that the BMS is powered and in range/);
    assert.equal(await page.isHidden("#tabs"), true);
    await shot(page, "lost");
    await page.click("#reconnect");
    await connected(page);
    assert.equal(await page.evaluate("window.__fakeBle.requests"), 1, "reconnect re-uses the device: no second chooser");
    await page.evaluate("window.__fakeBle.drop()"); // out of range, from the browser's side
    await page.waitForSelector("#reconnect:not([hidden])", WAIT);
    assert.match(await text(page, "#message"), /^Connection lost/);
  });

  it("a_wrong_pin_is_reported", async () => {
    const { b, page } = await bluetoothPage();
    await connect(page, "1234");
    await page.waitForFunction("document.querySelector('#message').textContent.startsWith('Wrong PIN')", undefined, WAIT);
    assert.equal(await page.isHidden("#tabs"), true);
    assert.equal(b.radio.connected, undefined, "the page let go of the link");
    await shot(page, "wrong-pin");
    await connect(page, "000000");
    await connected(page);
  });

  it("a_browser_without_web_bluetooth_says_so_and_the_static_build_offers_no_demo", async () => {
    const page = await context.newPage();
    await page.addInitScript("delete Navigator.prototype.bluetooth");
    await page.goto(server.url);
    assert.match(await text(page, "#message"), /no Web Bluetooth/);
    assert.equal(await page.locator("#message a").count(), 0, "the static build offers no simulator demo");
    assert.equal(await page.isVisible("#connect-sim"), false);
    assert.equal(await page.isDisabled("#connect-ble"), true);
    await shot(page, "no-bluetooth");
  });

  it("a_silent_battery_is_marked_unknown_with_its_age_in_the_table_chart_and_battery_page", async () => {
    const { b, rig, page } = await bluetoothPage();
    await connect(page);
    await connected(page);
    rig.unplug(0);
    b.advance(36_000);
    await page.waitForSelector('#codes li[data-code="A-B05"]', WAIT);
    assert.match(await text(page, "#v"), /^unknown: no data from the batteries since \d\d:\d\d:\d\d \(\d+ s ago\)$/);
    assert.match(await page.getAttribute("#chart", "aria-label") ?? "", /Voltage unknown \(range [^)]*\); Current unknown/, "the chart's labels say unknown, not the last number");
    await tab(page, "battery");
    await page.waitForSelector("#battery-stale:not([hidden])", WAIT);
    assert.match(await text(page, "#battery-stale"), /^Last-known values: no data from the batteries since/);
    assert.equal(await page.locator("#battery-detail.stale").count(), 1);
    await shot(page, "battery-silent");
  });

  it("a_bms_that_stops_answering_is_shown_as_last_known_values_with_their_time", async () => {
    const { page, mute } = await bluetoothPage();
    await connect(page);
    await connected(page);
    assert.equal(await page.isVisible("#stale"), false);
    mute(true);
    await page.waitForSelector("#stale:not([hidden])", { timeout: 15_000 });
    assert.match(await text(page, "#stale"), /^The BMS is not answering\. The values below are last-known values from \d\d:\d\d:\d\d \(\d+ s ago\), not live\.$/);
    assert.equal(await text(page, "#conn-state"), "connected, but the BMS is not answering");
    await shot(page, "not-answering");
    mute(false);
    await page.waitForSelector("#stale", { state: "hidden", timeout: 15_000 });
    assert.match(await text(page, "#conn-state"), /^connected: /);
  });

  it("a_refused_switch_shows_what_the_bms_holds_and_the_pin_is_asked_twice", async () => {
    const { b, page, lines } = await bluetoothPage();
    await connect(page);
    await connected(page);
    await tab(page, "product");
    await page.waitForSelector('.setting[data-key="pin"] input', WAIT);
    // a typo in the repeated PIN: nothing sent
    await page.fill("#set-pin", "1234");
    await page.fill("#set-pin-repeat", "1243");
    await page.click('.setting[data-key="pin"] button.set');
    await page.waitForSelector('.setting[data-key="pin"] .field-error:not([hidden])', WAIT);
    assert.equal(await text(page, '.setting[data-key="pin"] .field-error'), "Not sent: the two PINs differ. Type the new PIN twice.");
    assert.equal(setLines(lines, "pin").length, 0);
    await page.fill("#set-pin-repeat", "1234");
    await page.click('.setting[data-key="pin"] button.set');
    await page.waitForSelector('.setting[data-key="pin"] .field-ok:not([hidden])', WAIT);
    assert.equal(b.call("bms.settings().pin"), "****");
    // pairing needs a 6-digit PIN: refused, and the switch is not left ticked
    await page.click('.setting[data-key="pairing"] input');
    await page.waitForSelector('.setting[data-key="pairing"] .field-error:not([hidden])', WAIT);
    assert.equal(await text(page, '.setting[data-key="pairing"] .field-error'), "Refused by the BMS: “Passkey pairing” needs a 6-digit “PIN”");
    assert.equal(b.call("bms.settings().pairing"), 0);
    await page.waitForFunction("!document.querySelector('.setting[data-key=\"pairing\"] input').checked", undefined, WAIT);
  });

  it("every_page_fits_a_360_px_phone_without_horizontal_scrolling", async () => {
    const { page } = await bluetoothPage({ series: 2, parallel: 2 });
    await page.setViewportSize({ width: 360, height: 780 });
    await fits(page, "before connecting");
    await connect(page);
    await connected(page);
    for (const name of ["status", "battery", "history", "settings", "product"]) {
      await tab(page, name);
      await page.waitForTimeout(1700); // one poll fills the page
      if (name === "settings") {
        await setting(page, "dischargeFloor", "30"); // the longest error text
        await page.waitForSelector('.setting[data-key="dischargeFloor"] .field-error:not([hidden])', WAIT);
        const set = await page.locator('.setting[data-key="tailCurrent"] button.set').boundingBox();
        assert.ok(set && set.x + set.width <= 360, "the Set button is on screen");
      }
      await fits(page, name);
      await shot(page, "phone-" + name);
    }
  });

  it("on_a_2x_phone_screen_the_chart_is_drawn_at_the_screens_pixel_density", async () => {
    const { page } = await bluetoothPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setDeviceMetricsOverride", { width: 390, height: 844, deviceScaleFactor: 2, mobile: true });
    await connect(page);
    await connected(page);
    await page.waitForTimeout(1700); // a poll redraws the chart
    const c = await page.evaluate("({ w: document.querySelector('#chart').width, cw: document.querySelector('#chart').clientWidth, dpr: devicePixelRatio })") as { w: number; cw: number; dpr: number };
    assert.equal(c.dpr, 2);
    assert.equal(c.w, c.cw * 2, "one canvas pixel per screen pixel");
    await fits(page, "status at 390 px, 2x");
    await shot(page, "phone-2x-status");
  });

  it("the_simulator_demo_runs_the_same_rpc_over_the_websocket_bridge", async () => {
    const { b } = simBoard();
    open.push(b);
    const demo = await startWebServer({ board: b });
    try {
      const page = await context.newPage();
      await page.goto(demo.url + "?demo");
      await connected(page);
      assert.equal(await text(page, "#conn-state"), "connected: simulator");
      assert.equal(await text(page, "#v"), b.call<number>("bms.status().v").toFixed(2) + " V");
      b.radio.disconnect();
      demo.check();
      await page.waitForSelector("#reconnect:not([hidden])", WAIT);
      assert.match(await text(page, "#message"), /^Connection lost \(the BMS disconnected\)/);
      await page.click("#reconnect");
      await connected(page);
    } finally {
      await demo.close();
    }
  });

  describe("the Smart BMS 12-200 profile's pages (dist/12-200/ on a simulated MDBT42Q)", () => {
    const row = (page: Page, k: string) => text(page, `#vehicle-values tr[data-k="${k}"] td`);

    it("status_page_shows_battery_voltage_soft_switch_alternator_and_system_plus_with_their_reasons", async () => {
      const made = vehicleBoard();
      const { b, page } = await bluetoothPage({}, made);
      await connect(page);
      await connected(page);
      const s = b.call<{ v: number; alt: boolean; vStart: number; vSys: number; sysCharge: boolean; sysDischarge: boolean }>("bms.status()");
      assert.ok(s.alt && s.sysCharge && s.sysDischarge && Math.abs(s.vStart - 14.2) < 0.05, JSON.stringify(s));
      await page.waitForSelector("#vehicle:not([hidden])", WAIT);
      // no battery monitor, as the product: no state of charge, consumed Ah, time to go or History
      for (const part of ["#soc", "#consumed", "#ttg", "#tab-history"]) assert.equal(await page.isVisible(part), false, part);
      assert.equal(await text(page, "#v-label"), "Battery voltage");
      assert.equal(await text(page, "#v"), s.v.toFixed(2) + " V");
      assert.equal(await text(page, "#mode-label"), "Soft switch");
      assert.equal(await row(page, "soft"), "On");
      assert.equal(await row(page, "alt"), "On");
      assert.equal(await row(page, "vStart"), s.vStart.toFixed(2) + " V");
      assert.equal(await row(page, "sys"), "On (discharge and charge)");
      assert.equal(await row(page, "vSys"), s.vSys.toFixed(2) + " V");
      assert.equal(await row(page, "altPct"), "not measured: no current sensor on the alternator line");
      assert.equal(await row(page, "altLimit"), "— (fuse type not set)");
      await shot(page, "12200-status");
      await page.setViewportSize({ width: 360, height: 780 });
      await fits(page, "12-200 status");
      await page.setViewportSize({ width: 900, height: 900 });
      // the engine stops: the alternator output goes off, and the page says why
      made.veh.engine = "off";
      b.advance(2000);
      assert.equal(b.level(P12200.alt), "Z");
      await page.waitForFunction("document.querySelector('#vehicle-values tr[data-k=\"alt\"] td').textContent !== 'On'", undefined, WAIT);
      assert.equal(await row(page, "alt"), "Off: starter side not above 13.0 V");
      assert.equal(await row(page, "vStart"), b.call<number>("bms.status().vStart").toFixed(2) + " V");
      // the soft switch off (remote function 0): alternator and System+ open, the BMS outputs go on
      await page.click("#mode");
      await page.waitForFunction("document.querySelector('#vehicle-values tr[data-k=\"soft\"] td').textContent === 'Off'", undefined, WAIT);
      assert.equal(b.level(P12200.sysD), "Z");
      assert.equal(b.level(P12200.atd), "H");
      assert.equal(await row(page, "alt"), "Off: soft switch off");
      assert.equal(await row(page, "sys"), "Off: soft switch off");
      assert.equal(await text(page, "#system"), "Alternator and System+ off (soft switch off)");
      assert.equal(await text(page, "#discharge"), "Yes", "the load disconnect still allows discharge");
      await tab(page, "product");
      await page.waitForSelector('#product tr[data-k="product"]', WAIT);
      assert.equal(await text(page, '#product tr[data-k="product"] td'), "Smart BMS 12-200");
      assert.equal(await text(page, '#product tr[data-k="board"] td'), "MDBT42Q breakout");
    });

    it("settings_page_shows_the_three_profile_settings_sends_a_change_and_shows_refusals", async () => {
      const { b, page, lines } = await bluetoothPage({}, vehicleBoard());
      await connect(page);
      await connected(page);
      await tab(page, "settings");
      await page.waitForSelector('.setting[data-key="chargeLimit"] input', WAIT);
      assert.equal(await text(page, '.setting[data-key="chargeLimit"] label'), "Battery charge limit");
      assert.equal(await page.inputValue('.setting[data-key="chargeLimit"] input'), "14.2");
      assert.match(await text(page, '.setting[data-key="chargeLimit"] .help'), /13 … 15\.3 V, step 0\.1 · default 14\.2 V · factory reset restores it$/);
      assert.equal(await text(page, '.setting[data-key="fuseType"] label'), "Alternator fuse type");
      assert.equal(await page.inputValue('.setting[data-key="fuseType"] input'), "0");
      assert.equal(await text(page, '.setting[data-key="remoteFunction"] label'), "Remote off switches everything off");
      assert.equal(await page.getAttribute('.setting[data-key="remoteFunction"] input', "type"), "checkbox");
      assert.match(await text(page, "#reset-what"), /^Restores the charge limit, remote function and fuse type\.$/);
      // the battery monitor's controls and settings are the smallBMS NG's only
      assert.equal(await page.isVisible("#sync"), false);
      assert.equal(await page.isVisible("#set-soc"), false);
      assert.equal(await page.locator('.setting[data-key="tailCurrent"]').count(), 0);
      // a switch applies on click
      await page.click('.setting[data-key="remoteFunction"] input');
      await page.waitForSelector('.setting[data-key="remoteFunction"] .field-ok:not([hidden])', WAIT);
      assert.equal(b.call("bms.settings().remoteFunction"), 1);
      // the fuse type: stored, and the Status page shows the limit it stands for
      await setting(page, "fuseType", "2");
      await page.waitForSelector('.setting[data-key="fuseType"] .field-ok:not([hidden])', WAIT);
      assert.equal(await text(page, '.setting[data-key="fuseType"] .field-ok'), "Saved: 2");
      assert.equal(b.call("bms.settings().fuseType"), 2);
      await tab(page, "status");
      await page.waitForFunction("document.querySelector('#vehicle-values tr[data-k=\"altLimit\"] td').textContent.startsWith('90 A')", undefined, WAIT);
      assert.equal(await row(page, "altLimit"), "90 A (100 A fuse): choose a DC-DC charger rated below this");
      // out of range: refused by the page, nothing sent
      await tab(page, "settings");
      await page.waitForSelector('.setting[data-key="chargeLimit"] input', WAIT);
      await setting(page, "chargeLimit", "15.4");
      await page.waitForSelector('.setting[data-key="chargeLimit"] .field-error:not([hidden])', WAIT);
      assert.equal(await text(page, '.setting[data-key="chargeLimit"] .field-error'), "Not sent: must be a number 13..15.3 V");
      assert.deepEqual(setLines(lines, "chargeLimit"), []);
      // in range, but the flash refuses it: the BMS's refusal on the field, which shows what it holds
      b.storage.fault = { failWrites: true };
      await setting(page, "chargeLimit", "14");
      await page.waitForSelector('.setting[data-key="chargeLimit"] .field-error:not([hidden])', WAIT);
      await page.waitForFunction("document.querySelector('.setting[data-key=\"chargeLimit\"] .field-error').textContent.startsWith('Refused')", undefined, WAIT);
      assert.equal(await text(page, '.setting[data-key="chargeLimit"] .field-error'), "Refused by the BMS: the store refused it");
      assert.equal(setLines(lines, "chargeLimit").length, 1, "this one was sent");
      assert.equal(b.call("bms.settings().chargeLimit"), 14.2);
      assert.equal(await page.inputValue('.setting[data-key="chargeLimit"] input'), "14.2", "the field shows what the BMS holds");
      await shot(page, "12200-settings");
      await page.setViewportSize({ width: 360, height: 780 });
      await fits(page, "12-200 settings");
    });
  });
});
