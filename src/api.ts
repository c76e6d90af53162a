// The `bms` object at the Espruino REPL. Replies are plain objects that read naturally at the
// prompt, in SI units with their unit in the name. Not on the tick path: allocation is fine here.
import { codeIds } from "./codes";
import { OUT_ATC, OUT_ATD, OUT_PRE, systemOn } from "./decide";
import { MAX_BATT, MAX_CELLS } from "./link/bank";
import type { Supervisor } from "./supervisor";

function fail(msg: string): never {
  throw new Error(msg);
}

export function createApi(s: Supervisor) {
  return {
    /** `bms.status()`: on or off and why, what the outputs do, the bank's voltage and current */
    status() {
      const b = s.summary;
      const v = b.count ? b.voltage_cV / 100 : undefined;
      const i = b.count ? b.current_dA / 10 : undefined;
      return {
        on: systemOn(s),
        remote: s.remoteOn,
        mode: s.modeOn,
        atd: (s.outputs & OUT_ATD) !== 0,
        atc: (s.outputs & OUT_ATC) !== 0,
        pre: (s.outputs & OUT_PRE) !== 0,
        v: v,
        i: i,
        p: v !== undefined && i !== undefined ? Math.round(v * i) : undefined,
        codes: codeIds(s.active),
      };
    },
    /** `bms.mode(false)` switches the system off at once (outputs float); `bms.mode(true)` back on */
    mode(on: boolean) {
      if (on !== true && on !== false) fail("bms.mode(on): on must be true or false");
      s.setMode(on);
      return s.modeOn;
    },
    /** `bms.battery()`: the bank; `bms.battery(n)`: battery n (1 = next to the BMS) with its cells */
    battery(n?: number) {
      if (n === undefined) return bankView(s);
      if (typeof n !== "number" || Math.floor(n) !== n || n < 1 || n > MAX_BATT) fail("bms.battery(n): n must be 1.." + MAX_BATT);
      const k = n - 1;
      const bk = s.bank;
      if (!bk.nom_dV[k]) fail("bms.battery(" + n + "): no battery at that position");
      const cells: number[] = [];
      for (let c = 0; c < bk.cells[k]; c++) cells.push(bk.cell_mV[k * MAX_CELLS + c] / 1000);
      return {
        serial: bk.serial[k],
        capacity_Ah: bk.cap_Ah[k],
        firmware: (bk.fw[k] >> 8) + "." + (bk.fw[k] & 0xff),
        nominal_V: bk.nom_dV[k] / 10,
        v: bk.v_cV[k] / 100,
        i: bk.i_dA[k] / 10,
        temp_C: bk.t_dC[k] / 10,
        balancing: (bk.flags[k] & 1) === 1,
        cells_V: cells,
      };
    },
    /** `bms.learn()`: accept the batteries present now as the bank (after a deliberate change) */
    learn() {
      s.learn();
      return s.learned.list();
    },
    /** `bms.codes()`: the active warnings, alarms, errors and blocking reasons */
    codes() {
      return codeIds(s.active);
    },
  };
}

function bankView(s: Supervisor) {
  const b = s.summary;
  const d = s.decoder;
  return {
    batteries: b.count,
    series: b.series,
    parallel: b.parallel,
    cellsSeries: b.cellsSeries,
    nominal_V: b.nominal_dV / 10,
    capacity_Ah: b.capacity_Ah,
    v: b.voltage_cV / 100,
    i: b.current_dA / 10,
    p: Math.round((b.voltage_cV * b.current_dA) / 1000),
    cellMin_V: b.count ? b.cellMin_mV / 1000 : undefined,
    cellMax_V: b.count ? b.cellMax_mV / 1000 : undefined,
    tempMin_C: b.count ? b.tempMin_dC / 10 : undefined,
    tempMax_C: b.count ? b.tempMax_dC / 10 : undefined,
    learned: s.learned.list(),
    link: { frames: d.frames, crcErrors: d.crcErrors, lengthErrors: d.lengthErrors, framingErrors: d.framingErrors },
  };
}
