// The page: connection bar, five tabs (Status, Battery, History, Settings, Product) and a live chart. It
// calls the BMS only through RpcClient, with method names from a fixed list and JSON arguments.
import { BleTransport, hasWebBluetooth } from "./transport/ble";
import { WsTransport } from "./transport/ws";
import type { Transport } from "./transport/transport";
import { LinkLostError, type Method, RpcClient, RpcError, TimeoutError, WrongPinError } from "./rpc";
import { chargeAllowed, codeText, dischargeAllowed, type StatusLike } from "./codes";
import { fmt, fmtTtg, HISTORY, humanize, SETTINGS } from "./labels";
import { check, isSwitch, type SchemaRow } from "./schema";
import { Chart } from "./chart";
import { is12200, vehicleRows, type VehicleStatus } from "./vehicle";

const POLL_MS = 1500;
/** the Bluetooth settings live on the Product page; Mode is the switch on the Status page */
const BLUETOOTH = ["bluetooth", "name", "pin", "pairing", "advInterval", "readout"];
const ON_STATUS = ["mode"];
/** the demo (a bridge to the simulator) exists only with the development server or `npm start -- --web` */
const DEMO = import.meta.env.DEV || new URLSearchParams(location.search).has("demo");
const TIMEOUT_MS = 5000;

interface Version {
  api: number;
  fw: string;
  board?: string;
}
const BOARDS: Record<string, string> = { PUCKJS: "Puck.js v2", MDBT42Q: "MDBT42Q breakout" };
interface Status extends StatusLike, VehicleStatus {
  v?: number;
  i?: number;
  p?: number;
  soc?: number;
  consumed_Ah?: number;
  ttg_min?: number;
}
interface Bank {
  batteries: number;
  series: number;
  parallel: number;
  cellsSeries: number;
  nominal_V: number;
  capacity_Ah: number;
  v: number;
  i: number;
  cellMin_V?: number;
  cellMax_V?: number;
  tempMin_C?: number;
  tempMax_C?: number;
  /** not sent by a Smart BMS 12-200 (no battery monitor) */
  balancer?: string;
}
interface Battery {
  serial: number | string;
  capacity_Ah: number;
  firmware: string;
  nominal_V: number;
  v: number;
  i: number;
  temp_C: number;
  balancing: boolean;
  cells_V: number[];
}

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error("page: no #" + id);
  return e as T;
}
function make<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function rows(table: HTMLElement, items: [string, string, string][]): void {
  table.replaceChildren(...items.map(([k, label, value]) => {
    const tr = make("tr", { "data-k": k });
    tr.append(make("th", {}, label), make("td", {}, value));
    return tr;
  }));
}

// ---- messages ------------------------------------------------------------------------------
function say(text: string, kind: "info" | "error" = "info", link?: { href: string; text: string }): void {
  const m = el("message");
  m.hidden = false;
  m.dataset.kind = kind;
  m.replaceChildren(text);
  if (link) m.append(" ", make("a", { href: link.href }, link.text));
}
function unsay(): void {
  el("message").hidden = true;
}
function state(text: string): void {
  el("conn-state").textContent = text;
}

// ---- connection ----------------------------------------------------------------------------
let rpc: RpcClient | undefined;
let transport: Transport | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let busy = false;
let schema: SchemaRow[] | undefined;
let tab = "status";
/** when the BMS last answered a status poll (page clock), and when the battery data went silent */
let lastAnswer: number | undefined;
let silentSince: number | undefined;
const chart = new Chart(el<HTMLCanvasElement>("chart"));
chart.onText = (t) => {
  el("chart").setAttribute("aria-label", t);
  el("chart-text").textContent = t;
};
const params = new URLSearchParams(location.search);

function simUrl(): string {
  return params.get("ws") ?? (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/ws";
}

function connected(on: boolean): void {
  el("tabs").hidden = !on;
  el("disconnect").hidden = !on;
  el("reconnect").hidden = on || !transport;
  el<HTMLButtonElement>("connect-ble").disabled = on || !hasWebBluetooth();
  el<HTMLButtonElement>("connect-sim").disabled = on;
  for (const p of document.querySelectorAll<HTMLElement>(".page")) p.hidden = !on || p.id !== "page-" + tab;
  if (!on) el("stale").hidden = true;
}

/** Before the first answer of a connection the pages show nothing that looks like data. */
function blank(): void {
  for (const id of ["soc", "charge", "discharge", "v", "i", "p", "consumed", "ttg"]) el(id).textContent = "—";
  el("system").textContent = "";
  el("codes").replaceChildren();
  for (const id of ["bank", "battery-detail", "cells", "history", "product", "settings-form", "bluetooth-form"]) el(id).replaceChildren();
  el("battery-select").replaceChildren();
  el("readout-key").textContent = "";
  el("battery-stale").hidden = true;
  el("vehicle").hidden = true;
  el("vehicle-values").replaceChildren();
  p12200 = false;
  labels();
  lastAnswer = undefined;
  silentSince = undefined;
  version = undefined;
  document.body.classList.remove("stale");
}

let version: Version | undefined;
/** the BMS is a Smart BMS 12-200 build (its status has the profile's fields) */
let p12200 = false;
const RESET_WHAT = "charged voltage, tail current, charged detection time, low-SoC warning level and discharge floor";
const RESET_WHAT_12200 = "the charge limit, remote function and fuse type";

/** The words that differ between the smallBMS NG and the Smart BMS 12-200. */
function labels(): void {
  el("mode-label").textContent = p12200 ? "Soft switch" : "Mode";
  el("v-label").textContent = p12200 ? "Battery voltage" : "Voltage";
  el("reset-what").textContent = "Restores " + (p12200 ? RESET_WHAT_12200 : RESET_WHAT) + ".";
  // the battery monitor's parts (state of charge, consumed Ah, time to go, history, the SoC
  // controls): a Smart BMS 12-200 has no monitor, as the product
  for (const e of document.querySelectorAll<HTMLElement>(".monitor")) e.hidden = p12200;
  if (p12200 && tab === "history") showTab("status");
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}
function ago(t: number): string {
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  return s < 120 ? s + " s ago" : Math.round(s / 60) + " min ago";
}

/** The BMS stopped answering: say plainly that what is on screen is last-known, and since when. */
function notAnswering(): void {
  if (lastAnswer === undefined) return;
  document.body.classList.add("stale");
  state("connected, but the BMS is not answering");
  const s = el("stale");
  s.hidden = false;
  s.textContent = "The BMS is not answering. The values below are last-known values from " + clock(lastAnswer) + " (" + ago(lastAnswer) + "), not live.";
}

async function connectWith(t: Transport): Promise<void> {
  stopPolling();
  rpc?.close();
  rpc = undefined;
  transport = t;
  schema = undefined;
  connected(false);
  blank();
  el("reconnect").hidden = true;
  state("connecting (" + t.label + ") …");
  say("Connecting …");
  const client = new RpcClient(t, TIMEOUT_MS);
  client.onLost = (reason) => lost(client, reason);
  try {
    await client.open(el<HTMLInputElement>("pin").value);
  } catch (e) {
    client.close();
    connected(false);
    state("not connected");
    const err = e as Error;
    if (e instanceof WrongPinError) say(err.message, "error");
    else if (err.name === "NotFoundError") say("No device was chosen. Press Connect to try again.", "error");
    else say("Could not connect: " + err.message, "error");
    return;
  }
  rpc = client;
  unsay();
  blank();
  state("connected: " + t.label);
  chart.clear();
  connected(true);
  await refresh();
  timer = setInterval(() => void refresh(), POLL_MS);
}

function lost(client: RpcClient, reason: string): void {
  if (client !== rpc) return;
  rpc = undefined;
  stopPolling();
  connected(false);
  state("disconnected");
  say("Connection lost (" + reason + "). Check that the BMS is powered and in range, then press Reconnect.", "error");
}

function stopPolling(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

/** Run a page action; a refusal, a timeout or a lost link becomes a message. */
async function act<T>(fn: (c: RpcClient) => Promise<T>): Promise<T | undefined> {
  const c = rpc;
  if (!c) return undefined;
  try {
    return await fn(c);
  } catch (e) {
    if (e instanceof LinkLostError) return undefined; // lost() said so
    if (e instanceof TimeoutError && lastAnswer !== undefined) notAnswering();
    else if (e instanceof WrongPinError || e instanceof TimeoutError) say((e as Error).message, "error");
    else if (e instanceof RpcError) say("The BMS refused: " + e.message, "error");
    else say(String((e as Error).message ?? e), "error");
    return undefined;
  }
}

// ---- polling ---------------------------------------------------------------------------------
async function refresh(): Promise<void> {
  if (busy || !rpc) return;
  busy = true;
  try {
    await act(async (c) => {
      const s = await c.get<Status>("status");
      lastAnswer = Date.now();
      if (document.body.classList.contains("stale")) {
        document.body.classList.remove("stale");
        el("stale").hidden = true;
        state("connected: " + (transport?.label ?? ""));
      }
      showStatus(s);
      if (tab === "battery") await showBattery(c, s);
      if (tab === "history") await showHistory(c);
      if ((tab === "settings" || tab === "product") && !schema) await loadSettings(c);
      if (tab === "product") await showProduct(c);
      if (el("message").dataset.kind === "error" && /did not answer/.test(el("message").textContent ?? "")) unsay();
    });
  } finally {
    busy = false;
  }
}

function showStatus(s: Status): void {
  el("soc").textContent = s.soc === undefined ? "unknown" : s.soc.toFixed(1) + " %";
  el<HTMLInputElement>("mode").checked = s.mode;
  if (p12200 !== is12200(s)) {
    p12200 = is12200(s);
    labels();
  }
  el("vehicle").hidden = !p12200;
  if (p12200) rows(el("vehicle-values"), vehicleRows(s));
  // a 12-200 with remote function 0 keeps ATD, ATC and the pre-alarm following the codes
  const part = p12200 && (s.atd || s.atc || s.pre);
  el("system").textContent = s.on ? "System on" : (part ? "Alternator and System+ off" : "System off") + " (" + (!s.mode ? (p12200 ? "soft switch off" : "Mode off") : "remote off") + ")";
  const ch = chargeAllowed(s);
  const dis = dischargeAllowed(s);
  el("charge").textContent = ch.text;
  el("charge").className = ch.allowed ? "" : "no";
  el("discharge").textContent = dis.text;
  el("discharge").className = !dis.allowed ? "no" : dis.text === "Yes" ? "" : "pre";
  el("v").textContent = fmt(s.v, 2, "V");
  el("i").textContent = fmt(s.i, 1, "A");
  el("p").textContent = fmt(s.p, 0, "W");
  el("consumed").textContent = fmt(s.consumed_Ah, 1, "Ah"); // negative: drawn since the last full charge, as VictronConnect shows it
  const silent = s.codes.includes("W-B05") || s.codes.includes("A-B05");
  if (silent && silentSince === undefined) silentSince = Date.now() - 5000; // W-B05 comes after 5 s of silence
  if (!silent) silentSince = undefined;
  if (s.v === undefined && silentSince !== undefined) {
    const why = "unknown: no data from the batteries since " + clock(silentSince) + " (" + ago(silentSince) + ")";
    el("v").textContent = why;
    el("i").textContent = why;
    el("p").textContent = "unknown";
  }
  el("ttg").textContent = s.ttg_min !== undefined ? fmtTtg(s.ttg_min)
    : s.soc === undefined ? "— (SoC unknown)"
    : s.i === undefined ? "— (current unknown)"
    : "— (not discharging)";
  const list = el("codes");
  if (!s.codes.length) list.replaceChildren(make("li", { class: "none" }, "none"));
  else list.replaceChildren(...s.codes.map((id) => {
    const t = codeText(id);
    const li = make("li", { class: t.level, "data-code": id });
    li.append(make("strong", {}, id), " " + t.title + (t.level === "reason" ? "" : " (" + t.level + ")"));
    if (t.todo) li.append(make("div", { class: "todo" }, t.todo));
    return li;
  }));
  chart.add({ t_ms: performance.now(), soc: s.soc, v: s.v, i: s.i });
}

async function showBattery(c: RpcClient, s: Status): Promise<void> {
  const b = await c.get<Bank>("battery");
  const note = el("battery-stale");
  note.hidden = silentSince === undefined;
  note.textContent = silentSince === undefined ? "" : "Last-known values: no data from the batteries since " + clock(silentSince) + " (" + ago(silentSince) + ").";
  for (const id of ["bank", "battery-detail", "cells"]) el(id).classList.toggle("stale", silentSince !== undefined);
  void s;
  rows(el("bank"), [
    // (a Smart BMS 12-200 has no battery monitor, so no balancer state: no row)
    ...(b.balancer === undefined ? [] : [["balancer", "Balancer", b.balancer] as [string, string, string]]),
    ["batteries", "Number of batteries", String(b.batteries)],
    ["cells", "Number of cells", String(b.cellsSeries * b.parallel)],
    ["series", "Batteries in series", String(b.series)],
    ["parallel", "Batteries in parallel", String(b.parallel)],
    ["nominal", "Nominal voltage", fmt(b.nominal_V, 1, "V")],
    ["capacity", "Capacity", fmt(b.capacity_Ah, 0, "Ah")],
    ["cellMin", "Minimum cell voltage", fmt(b.cellMin_V, 3, "V")],
    ["cellMax", "Maximum cell voltage", fmt(b.cellMax_V, 3, "V")],
    ["tempMin", "Minimum temperature", fmt(b.tempMin_C, 1, "°C")],
    ["tempMax", "Maximum temperature", fmt(b.tempMax_C, 1, "°C")],
  ]);
  const sel = el<HTMLSelectElement>("battery-select");
  const keep = sel.value;
  if (sel.options.length !== b.batteries) {
    sel.replaceChildren(...Array.from({ length: b.batteries }, (_, k) => make("option", { value: String(k + 1) }, String(k + 1))));
    sel.value = keep && Number(keep) <= b.batteries ? keep : "1";
  }
  if (!b.batteries) {
    el("battery-detail").replaceChildren();
    el("cells").replaceChildren();
    return;
  }
  const n = Number(sel.value || 1);
  const r = await c.call("battery", [n]);
  if (r.err !== undefined) {
    rows(el("battery-detail"), [["err", "Battery " + n, r.err]]);
    el("cells").replaceChildren();
    return;
  }
  const bat = r.ok as Battery;
  rows(el("battery-detail"), [
    ["serial", "Serial number", String(bat.serial)],
    ["capacity", "Capacity", fmt(bat.capacity_Ah, 0, "Ah")],
    ["firmware", "Firmware", bat.firmware],
    ["nominal", "Nominal voltage", fmt(bat.nominal_V, 1, "V")],
    ["temp", "Temperature", fmt(bat.temp_C, 1, "°C")],
    ["v", "Voltage", fmt(bat.v, 2, "V")],
    ["i", "Current", fmt(bat.i, 1, "A")],
    ["balancing", "Balancing", bat.balancing ? "yes" : "no"],
  ]);
  el("cells").replaceChildren(...bat.cells_V.map((v, k) => {
    const row = make("div", { class: "cell", "data-cell": String(k + 1) });
    const bar = make("div", { class: "bar" });
    const pct = Math.max(0, Math.min(1, (v - 2.5) / (3.65 - 2.5))) * 100;
    bar.append(make("span", { style: "width:" + pct.toFixed(1) + "%" }));
    row.append(make("span", {}, "Cell " + (k + 1)), bar, make("span", {}, v.toFixed(3) + " V"));
    return row;
  }));
}

async function showHistory(c: RpcClient): Promise<void> {
  const h = await c.get<Record<string, unknown>>("history");
  const keys = [...Object.keys(HISTORY).filter((k) => k in h), ...Object.keys(h).filter((k) => !(k in HISTORY))];
  rows(el("history"), keys.map((k) => {
    const [label, unit] = HISTORY[k] ?? [k, ""];
    const v = h[k];
    if (k === "sinceFull_h" && h.syncs === 0) return [k, label, "— (never fully charged since the history began)"];
    return [k, label, typeof v === "number" ? String(v) + (unit ? " " + unit : "") : fmt(v)];
  }));
}

// ---- settings --------------------------------------------------------------------------------
async function loadSettings(c: RpcClient): Promise<void> {
  schema = await c.get<SchemaRow[]>("schema");
  const values = await c.get<Record<string, unknown>>("settings");
  el("settings-form").replaceChildren(...schema.filter((r) => !BLUETOOTH.includes(r[0]) && !ON_STATUS.includes(r[0])).map((row) => settingRow(row, values[row[0]])));
  el("bluetooth-form").replaceChildren(...schema.filter((r) => BLUETOOTH.includes(r[0])).map((row) => settingRow(row, values[row[0]])));
}

/** After every reply each control shows what the BMS holds. */
async function syncControls(c: RpcClient): Promise<void> {
  const values = await c.get<Record<string, unknown>>("settings");
  for (const div of document.querySelectorAll<HTMLElement>(".setting")) {
    const key = div.dataset.key ?? "";
    const input = div.querySelector("input")!;
    if (key === "pin") continue;
    if (input.type === "checkbox") input.checked = values[key] === 1;
    else if (document.activeElement !== input || div.querySelector(".field-ok:not([hidden])")) input.value = String(values[key] ?? "");
  }
}

async function showProduct(c: RpcClient): Promise<void> {
  version ??= await c.get<Version>("version");
  const b = await c.get<Bank>("battery");
  rows(el("product"), [
    ...(p12200 ? [["product", "Product", "Smart BMS 12-200"] as [string, string, string]] : []),
    ["fw", "Firmware version", version.fw],
    ["api", "API version", String(version.api)],
    ["board", "Board", BOARDS[version.board ?? ""] ?? version.board ?? "unknown"],
    ["layout", "Bank", b.batteries ? b.series + " in series × " + b.parallel + " in parallel, " + fmt(b.nominal_V, 1, "V") + ", " + fmt(b.capacity_Ah, 0, "Ah") : "no batteries found"],
  ]);
}

function settingRow(row: SchemaRow, value: unknown): HTMLElement {
  const [key, unit, def, min, max, step, restores] = row;
  const [label, help] = SETTINGS[key] ?? [key, ""];
  const div = make("div", { class: "setting", "data-key": key });
  const id = "set-" + key;
  const input = make("input", { id, name: key, "aria-describedby": id + "-help " + id + "-error" });
  const cell = make("span", { class: "input" });
  let repeat: HTMLInputElement | undefined;
  if (isSwitch(row)) {
    input.type = "checkbox";
    input.checked = value === 1;
    input.addEventListener("change", () => void apply(row, div));
  } else {
    input.type = key === "pin" ? "password" : "text";
    if (step !== 0) input.inputMode = "decimal";
    input.value = key === "pin" ? "" : String(value ?? "");
    if (key === "pin") input.placeholder = "unchanged";
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void apply(row, div);
      }
    });
  }
  cell.append(input, unit ? " " + unit : "");
  if (key === "pin") {
    repeat = make("input", { id: id + "-repeat", name: key + "-repeat", type: "password", inputmode: "numeric", placeholder: "repeat", "aria-label": "Repeat the new PIN", "aria-describedby": id + "-error" });
    cell.append(repeat);
  }
  if (!isSwitch(row)) { // a switch applies on click
    const set = make("button", { type: "button", class: "set" }, "Set");
    set.addEventListener("click", () => void apply(row, div));
    cell.append(set);
  }
  const range = step === 0 ? (help ? "" : min + "–" + max + " characters") : isSwitch(row) ? "" : min + " … " + max + (unit ? " " + unit : "") + ", step " + step;
  const dflt = key === "pin" ? "" : "default " + (isSwitch(row) ? (def === 1 ? "on" : "off") : String(def) + (unit ? " " + unit : ""));
  div.append(make("label", { for: id }, label), cell,
    make("div", { class: "help", id: id + "-help" }, [help, range, dflt, restores ? "factory reset restores it" : ""].filter(Boolean).join(" · ")));
  div.append(make("div", { class: "field-error", id: id + "-error", role: "alert", hidden: "" }), make("div", { class: "field-ok", role: "status", hidden: "" }));
  return div;
}

function fieldSay(div: HTMLElement, err: string | undefined, ok?: string): void {
  const e = div.querySelector<HTMLElement>(".field-error")!;
  const o = div.querySelector<HTMLElement>(".field-ok")!;
  e.hidden = err === undefined;
  e.textContent = err ?? "";
  for (const i of div.querySelectorAll("input")) {
    if (err === undefined) i.removeAttribute("aria-invalid");
    else i.setAttribute("aria-invalid", "true");
  }
  o.hidden = ok === undefined;
  o.textContent = ok ?? "";
}

/** Check the field; send it only if it passes; show what the BMS said on the field. */
async function apply(row: SchemaRow, div: HTMLElement): Promise<void> {
  const input = div.querySelector("input")!;
  const raw = input.type === "checkbox" ? input.checked : input.value;
  if (row[0] === "pin" && raw === "") return fieldSay(div, "Type the new PIN first.");
  if (row[0] === "pin" && div.querySelector<HTMLInputElement>("#set-pin-repeat")!.value !== raw) return fieldSay(div, "Not sent: the two PINs differ. Type the new PIN twice.");
  const c = check(row, raw);
  if (c.err !== undefined) return fieldSay(div, "Not sent: " + c.err);
  fieldSay(div, undefined);
  await act(async (client) => {
    const r = await client.call("set", [row[0], c.value]);
    if (r.err !== undefined) {
      const range = r.min !== undefined && r.max !== undefined ? " (" + r.min + " … " + r.max + ")" : "";
      fieldSay(div, "Refused by the BMS: " + humanize(r.err) + range);
      await syncControls(client); // the control shows what the BMS holds, not what was asked
      return;
    }
    if (row[0] === "pin") {
      el<HTMLInputElement>("pin").value = String(c.value); // the next connect needs it
      input.value = "";
      div.querySelector<HTMLInputElement>("#set-pin-repeat")!.value = "";
    } else if (input.type === "checkbox") input.checked = r.ok === 1;
    else input.value = String(r.ok);
    fieldSay(div, undefined, "Saved" + (row[0] === "pin" ? "" : ": " + (input.type === "checkbox" ? (r.ok === 1 ? "on" : "off") : String(r.ok) + (row[1] ? " " + row[1] : ""))));
  });
}

// ---- wiring up -------------------------------------------------------------------------------
function showTab(name: string): void {
  tab = name;
  for (const b of document.querySelectorAll<HTMLElement>(".tab")) {
    b.classList.toggle("active", b.dataset.tab === name);
    b.setAttribute("aria-selected", String(b.dataset.tab === name));
    b.tabIndex = b.dataset.tab === name ? 0 : -1;
  }
  const on = !el("tabs").hidden;
  for (const p of document.querySelectorAll<HTMLElement>(".page")) p.hidden = !on || p.id !== "page-" + name;
  if (name === "settings") schema = undefined; // fresh values each time the page is opened
  void refresh();
}

function button(id: string, fn: () => Promise<unknown> | void): void {
  el(id).addEventListener("click", () => void fn());
}

function simple(method: Method, args: unknown[], done: (v: unknown) => void): Promise<void> {
  return act(async (c) => done(await c.get(method, args))).then(() => undefined);
}

const TABS = [...document.querySelectorAll<HTMLElement>(".tab")];
for (const b of TABS) {
  b.addEventListener("click", () => showTab(b.dataset.tab ?? "status"));
  b.addEventListener("keydown", (e) => { // arrow keys move between tabs (WAI-ARIA tabs pattern)
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    // the next tab shown (a Smart BMS 12-200 hides History)
    let k = TABS.indexOf(b);
    do k = (k + step + TABS.length) % TABS.length; while (TABS[k].hidden);
    const next = TABS[k];
    next.focus();
    showTab(next.dataset.tab ?? "status");
  });
}

button("connect-ble", () => connectWith(new BleTransport()));
button("connect-sim", () => connectWith(new WsTransport(simUrl())));
button("reconnect", () => (transport ? connectWith(transport) : undefined));
button("disconnect", () => {
  stopPolling();
  rpc?.close();
  rpc = undefined;
  connected(false);
  state("not connected");
});
el<HTMLInputElement>("mode").addEventListener("change", (e) => {
  const on = (e.target as HTMLInputElement).checked;
  void simple("mode", [on], () => void refresh()).then(() => void refresh()); // shows what the BMS holds, refused or not
});
button("sync", () => simple("sync", [], (v) => (el("soc-result").textContent = "SoC now " + String(v) + " %")));
button("set-soc", () => {
  const raw = el<HTMLInputElement>("soc-input").value.trim();
  const pct = raw === "" ? NaN : Number(raw);
  if (!(pct >= 0 && pct <= 100)) {
    el("soc-result").textContent = "Not sent: SoC must be a number 0..100 %";
    return;
  }
  return simple("setSoc", [pct], (v) => (el("soc-result").textContent = "SoC now " + String(v) + " %"));
});
button("reset-history", () => {
  if (!confirm("Reset the history? Every counter starts from zero.")) return;
  return simple("resetHistory", [], () => void refresh());
});
button("show-key", () => simple("readoutKey", [], (v) => (el("readout-key").textContent = String(v))));
button("new-key", () => {
  if (!confirm("Make a new readout key? Every receiver needs the new key afterwards.")) return;
  return simple("newReadoutKey", [], (v) => (el("readout-key").textContent = String(v)));
});
button("factory-reset", () => {
  if (!confirm("Factory reset: restore " + (p12200 ? RESET_WHAT_12200 : RESET_WHAT) + "?")) return;
  return simple("factoryReset", [], () => {
    say("Factory reset done.");
    schema = undefined;
    void refresh();
  });
});

el("connect-sim").hidden = !DEMO;
connected(false);
showTab("status");
if (!hasWebBluetooth()) {
  const text = "This browser has no Web Bluetooth, so it cannot reach a BMS. Use Chrome or Edge on a desktop or Android (over HTTPS or localhost)";
  if (DEMO) say(text + ", or try the", "error", { href: "?demo", text: "simulator demo" });
  else say(text + ".", "error");
}
if (params.has("demo")) void connectWith(new WsTransport(simUrl()));
