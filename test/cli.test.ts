// `npm start` is the product a newcomer runs first: it must run the built firmware on the
// simulated bank and show each output rule happen, without a board or a network.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ledWord } from "../sim/report.ts";
import { remoteOn, readyBoard } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..");
function start(...args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "sim", "cli.ts"), ...args], { encoding: "utf8", cwd: ROOT });
}

describe("npm start (sim/cli.ts)", () => {
  it("help_lists_every_scenario_and_option", () => {
    const out = start("--help");
    for (const word of ["--scenario", "--every", "--duration", "--board", "--readout", "remote", "discharge", "cold", "link-loss", "hot"]) {
      assert.ok(out.includes(word), `--help mentions ${word}`);
    }
  });

  it("remote_scenario_switches_mode_off_at_the_repl_after_typing_the_pin", () => {
    const out = start("--scenario", "remote");
    assert.match(out, /^> 00:01:00 {2}ATD -> Z {2}\(during repl\)$/m);
    assert.doesNotMatch(out, /Invalid password/);
  });

  it("link_loss_scenario_shows_wb05_then_ab05_floating_both_outputs", () => {
    const out = start("--scenario", "link-loss", "--every", "5");
    assert.match(out, /^00:00:25 .*ATD H {2}ATC H .*codes W-B05$/m);
    assert.match(out, /^> 00:00:50 {2}ATD -> Z {2}\(during timer\)$/m);
    assert.match(out, /^00:00:50 .*ATD Z {2}ATC Z .*codes W-B05,A-B05$/m);
    assert.match(out, /^> 00:01:21 {2}ATD -> H/m, "back when the cable is repaired");
  });

  it("discharge_scenario_shows_the_prealarm_30s_before_atd_floats", () => {
    const out = start("--scenario", "discharge");
    const pre = /^> (\d\d):(\d\d):(\d\d) {2}PRE -> H/m.exec(out);
    const atd = /^> (\d\d):(\d\d):(\d\d) {2}ATD -> Z/m.exec(out);
    assert.ok(pre && atd, out.slice(0, 2000));
    const sec = (m: RegExpExecArray) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    assert.ok(sec(atd) - sec(pre) >= 30, `pre-alarm at ${pre[0]}, ATD at ${atd[0]}`);
  });

  it("cold_scenario_blocks_the_charger_until_warm", () => {
    const out = start("--scenario", "cold");
    assert.match(out, /ATD H {2}ATC Z .*codes cold/);
    assert.match(out, /^> \S+ {2}ATC -> H/m);
  });

  it("readout_flag_prints_the_advert_and_its_decoding", () => {
    const out = start("--scenario", "link-loss", "--every", "30", "--readout");
    // what is on air: a new current waits up to a minute (docs/readout.md), a code goes at once
    assert.match(out, /^ {2}readout e10210[0-9a-f]{46} {2}nonce \d+: 26\.\d\d V -10 A SoC n\/a .* link warning/m);
    assert.match(out, /^ {2}readout e10210[0-9a-f]{46} {2}nonce \d+: 26\.\d\d V -?[\d.]+ A SoC n\/a .* link ok/m);
    assert.match(out, /^ {2}readout .* link alarm/m);
  });

  it("led_columns_say_what_the_pin_did_over_the_interval", () => {
    const remote = start("--scenario", "remote");
    // a phone connects at 90 s: the blue LED blinks until the next tick, then is steadily on
    assert.match(remote, /^00:00:20 .*blue blink /m);
    assert.match(remote, /^00:01:40 .*blue blink>on /m);
    assert.match(remote, /^00:01:50 .*blue on>blink /m, "the phone left at 105 s");
    const discharge = start("--scenario", "discharge");
    // the red LED blinks for the warnings; the alarm A-B07 then holds it on
    const alarmed = discharge.split("\n").filter((l) => /^\d\d:\d\d:\d\d .*codes .*A-B07/.test(l));
    assert.ok(alarmed.length >= 2, discharge);
    assert.match(alarmed[0], /red blink>on /, "the interval in which the alarm came");
    assert.match(alarmed[1], /red on /, "the next one");
  });

  it("an_unknown_scenario_is_refused_with_the_list", () => {
    assert.throws(() => execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "sim", "cli.ts"), "--scenario", "nope"], { stdio: "pipe" }), /unknown scenario "nope". Scenarios: remote, discharge/);
  });
});

describe("the report's LED words (sim/report.ts)", () => {
  it("off_on_blink_and_changes_within_one_interval", () => {
    const { b, feed } = readyBoard();
    remoteOn(b);
    b.advance(10_000);
    const blue = "LED3";
    let t = b.now_ms;
    assert.equal(ledWord(b, blue, t - 10_000, t), "blink", "advertising: a short flash per tick");
    assert.equal(ledWord(b, "LED1", t - 10_000, t), "off");
    b.advance(3500);
    b.radio.connect();
    b.advance(6500);
    t = b.now_ms;
    assert.equal(ledWord(b, blue, t - 10_000, t), "blink>on", "connected at 3.5 s of the interval");
    b.advance(10_000);
    t = b.now_ms;
    assert.equal(ledWord(b, blue, t - 10_000, t), "on", "steadily on for the whole interval");
    feed.stop();
    b.advance(40_000); // 30 s of silence: A-B05 holds the red LED on, after W-B05 blinked it
    t = b.now_ms;
    assert.equal(ledWord(b, "LED1", t - 40_000, t), "off>blink>on");
    b.advance(10_000);
    t = b.now_ms;
    assert.equal(ledWord(b, "LED1", t - 10_000, t), "on");
  });
});
