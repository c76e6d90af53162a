// `npm start` is the product a newcomer runs first: it must run the built firmware on the
// simulated bank and show each output rule happen, without a board or a network.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

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
    assert.doesNotMatch(out, /console locked/);
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

  it("an_unknown_scenario_is_refused_with_the_list", () => {
    assert.throws(() => execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "sim", "cli.ts"), "--scenario", "nope"], { stdio: "pipe" }), /unknown scenario "nope". Scenarios: remote, discharge/);
  });
});
