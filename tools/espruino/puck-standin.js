// A Puck.js stand-in for Espruino's Linux interpreter (docs/device-budget.md). Stored as the
// Storage file `.boot0`, which Espruino runs before `.bootcde` (the firmware) at every load.
// The Linux build has no NRF, LEDs or watchable pins, and its clock is the host's: this file gives
// the firmware a virtual clock (24 h pass in seconds), records what it does to pins, radio and
// watchdog, and feeds the battery link from a Storage file, as Serial1 would on a bank.
// Kept small on purpose: every variable it holds is counted in the baseline, not the firmware.
// Plain JavaScript in the Espruino subset; the Node side (tools/espruino/engine.ts) drives it
// through the console and reads replies on lines that start with "@@".
var VC = {
  t: 0, // virtual time, ms
  tm: [], // timers: {at, every (0 = once), fn, id}
  nid: 0,
  pv: new Uint8Array(48), // pin level
  po: new Uint8Array(48), // 1 = pin is an output
  pulses: new Uint16Array(48),
  rx: undefined, // Serial1 "data" handler
  nrf: {}, // NRF event handlers
  adv: 0, // NRF.setAdvertising calls
  advData: undefined,
  kicks: 0,
  lastKick: 0,
  wdMiss: 0, // longest gap between watchdog kicks, ms (the watchdog fires after 10 s)
  err: 0,
  feed: "", // Storage file with the link bytes, "" = link silent
  at: undefined, // offsets of each second's bytes in the feed
  secs: 0,
  chunk: 32, // bytes per Serial1 "data" event
  nextSec: 500, // link data and polls come at 500 ms into each second
  poll: 0, // 1 = a client calls bms.status() once a second
  resetReas: 0,
  // calls of the functions below that a Puck.js runs natively, and timers fired: each slot's
  // index is its row in tools/espruino/measure.ts EMULATED, which measures what the JavaScript
  // here costs beyond a native call and takes that out of the firmware's figures
  nc: new Uint32Array(13),
};
VC.add = function (fn, ms, every) {
  VC.nid++;
  VC.tm.push({ at: VC.t + ms, every: every ? ms : 0, fn: fn, id: VC.nid });
  return VC.nid;
};
VC.clear = function (id) {
  for (var k = 0; k < VC.tm.length; k++) if (VC.tm[k].id === id) VC.tm.splice(k, 1);
};
VC.call = function (fn, arg) {
  try {
    fn(arg);
  } catch (e) {
    VC.err++;
    print("@!" + e + " " + (e && e.stack ? e.stack : ""));
  }
};
/** The link: `name` holds the bytes, `name.i` the Uint32 offset of each second (and the end). */
VC.link = function (name) {
  VC.feed = name;
  VC.at = name ? new Uint32Array(require("Storage").readArrayBuffer(name + ".i")) : undefined;
  VC.secs = name ? VC.at.length - 1 : 0;
};
VC.deliver = function () {
  var s = Math.floor(VC.t / 1000) % VC.secs;
  var from = VC.at[s];
  var to = VC.at[s + 1];
  var st = require("Storage");
  // a RAM copy of each chunk, as the UART would deliver it (flash strings read slowly on Linux).
  // The handler is called directly, as a Puck.js's native dispatch does: one try for the burst,
  // not VC.call's JS call and try per event (a cost the device does not have; an exception still
  // counts and is reported, and ends the burst)
  try {
    for (var o = from; o < to; o += VC.chunk) {
      var d = E.toString(st.read(VC.feed, o, Math.min(VC.chunk, to - o)));
      if (VC.rx) VC.rx(d);
    }
  } catch (e) {
    VC.err++;
    print("@!" + e + " " + (e && e.stack ? e.stack : ""));
  }
};
/** Run `s` seconds of virtual time: timers, and at 500 ms into each second the link data and
 *  the client's poll, in time order. */
VC.run = function (s) {
  var end = VC.t + s * 1000;
  for (;;) {
    var next = undefined; // `var` is not reset by the loop: a fired one-shot timer must not stay
    for (var k = 0; k < VC.tm.length; k++) if (!next || VC.tm[k].at < next.at) next = VC.tm[k];
    if (next && next.at <= VC.nextSec && next.at <= end) {
      VC.t = next.at;
      if (next.every) next.at += next.every;
      else VC.clear(next.id);
      VC.nc[12]++;
      VC.call(next.fn);
    } else if (VC.nextSec <= end) {
      VC.t = VC.nextSec;
      VC.nextSec += 1000;
      if (VC.feed) VC.deliver();
      if (VC.poll) VC.call(VC.status);
    } else break;
  }
  VC.t = end;
};
VC.status = function () {
  bms.status();
};
/** What the outputs, LEDs and counters say now. */
VC.state = function () {
  return {
    t: VC.t,
    atd: VC.po[1] & VC.pv[1],
    atc: VC.po[2] & VC.pv[2],
    pre: VC.po[31] & VC.pv[31],
    red: VC.pv[40],
    blue: VC.pv[42],
    redPulses: VC.pulses[40],
    bluePulses: VC.pulses[42],
    adv: VC.adv,
    err: VC.err,
    wdMiss: Math.max(VC.wdMiss, VC.t - VC.lastKick),
  };
};
VC.reply = function (x) {
  print("@@" + JSON.stringify(x));
};
// ---- the Puck.js globals the firmware uses ----
var LED1 = 40; // red
var LED2 = 41; // green
var LED3 = 42; // blue
function getTime() {
  VC.nc[0]++;
  return VC.t / 1000;
}
function setInterval(fn, ms) {
  return VC.add(fn, ms, true);
}
function setTimeout(fn, ms) {
  return VC.add(fn, ms, false);
}
function clearInterval(id) {
  VC.clear(id);
}
function clearTimeout(id) {
  VC.clear(id);
}
function pinMode(pin, mode) {
  VC.nc[1]++;
  VC.po[0 | pin] = mode === "output" ? 1 : 0;
}
function getPinMode(pin) {
  VC.nc[2]++;
  return VC.po[0 | pin] ? "output" : "input";
}
function digitalWrite(pin, v) {
  VC.nc[3]++;
  VC.pv[0 | pin] = v ? 1 : 0;
}
function digitalRead(pin) {
  if (typeof pin !== "object") {
    VC.nc[4]++;
    return VC.pv[0 | pin];
  }
  // an array of pins reads as one number, its last pin the least significant bit (as Espruino's,
  // natively there: the outputs' three pins, the remote's two and the Smart BMS 12-200's six,
  // each length counted in a slot of its own, so that its own excess is taken out)
  if (pin.length === 3) {
    VC.nc[5]++;
    return (VC.pv[0 | pin[0]] << 2) | (VC.pv[0 | pin[1]] << 1) | VC.pv[0 | pin[2]];
  }
  if (pin.length === 2) {
    VC.nc[11]++;
    return (VC.pv[0 | pin[0]] << 1) | VC.pv[0 | pin[1]];
  }
  VC.nc[10]++;
  var v = 0;
  for (var k = 0; k < pin.length; k++) v = (v << 1) | VC.pv[0 | pin[k]];
  return v;
}
function digitalPulse(pin) {
  VC.nc[6]++;
  VC.pulses[0 | pin]++;
}
/** nRF52 registers: POWER.RESETREAS reads 0, a power-on reset (VC.resetReas to model others) */
function peek32(addr) {
  return addr === 0x40000400 ? VC.resetReas : 0;
}
function setWatch() {
  return ++VC.nid; // edges never come on Linux; the firmware's tick reads the remote pins
}
function clearWatch(id) {
  // as on the device: clearWatch(undefined) is an error (and clearWatch() would clear them all)
  if (id === undefined) throw new Error("clearWatch(undefined)");
}
VC.pv[28] = 0; // Remote L bridged to minus: the remote is ON
var Serial1 = {
  setup: function () {},
  on: function (ev, fn) {
    VC.rx = fn;
  },
};
var NRF = {
  on: function (ev, fn) {
    VC.nrf[ev] = fn;
  },
  setAdvertising: function (d, opts) {
    VC.adv++;
    VC.advData = opts.manufacturerData;
  },
  setScanResponse: function () {},
  setSecurity: function () {},
  sleep: function () {},
  wake: function () {},
};
E.enableWatchdog = function () {
  VC.lastKick = VC.t;
};
E.kickWatchdog = function () {
  VC.nc[7]++;
  if (VC.t - VC.lastKick > VC.wdMiss) VC.wdMiss = VC.t - VC.lastKick;
  VC.lastKick = VC.t;
  VC.kicks++;
};
// the Smart BMS 12-200 profile's divider inputs (docs/smart-bms-12-200.md): 13.3 V at each
function analogRead() {
  VC.nc[8]++;
  return 0.526;
}
E.getAnalogVRef = function () {
  VC.nc[9]++;
  return 3.3;
};
// the console is how the driver talks to the interpreter: a real lock would cut it off
E.lockConsole = function () {};
