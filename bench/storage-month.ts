// Storage after a month of use (issue 13's budget row "firmware, settings, records, history").
// The built firmware runs on the simulated board with a 12.8 V bank that goes through a night of
// load and a day of solar charging every 24 h, so every record it keeps is written many times
// over. What is left is counted as Espruino lays Storage out on an nRF52 (sim/storage.ts used():
// a 32-byte header and the data padded to the 4-byte word, per file). The file sizes are the
// firmware's own behaviour, so the simulator measures them as the device would hold them.
import { Bank } from "../sim/bank.ts";
import { API_FILE, SimBoard } from "../sim/board.ts";
import { attachBank } from "../sim/rig.ts";
import { STORAGE_HEADER_BYTES } from "../sim/storage.ts";
import { PUCK, type Wiring } from "../sim/wiring.ts";

export interface StorageMonth {
  board: SimBoard;
  /** bytes the files take in Storage at the end */
  used_B: number;
  /** of which the data files (everything but the two firmware files) */
  data_B: number;
  /** the data files after the first day, to see growth */
  dataDay1_B: number;
  /** Storage writes the firmware made */
  writes: number;
  /** name and length of every file */
  files: [string, number][];
}

const fileBytes = (length: number): number => STORAGE_HEADER_BYTES + ((length + 3) & ~3);

/**
 * `days` virtual days on a board booted with `board` (remote on, settings changed once): the
 * smallBMS NG on a Puck.js by default; a profile's board with its wiring and a setting of its own.
 */
export function storageMonth(board: SimBoard, days = 30, wiring: Wiring = PUCK, setting = 'bms.set("lowSocWarning", 25)'): StorageMonth {
  const b = board;
  b.drive(wiring.remL, 0);
  b.call(setting); // a user's settings record is there too
  const rig = attachBank(b, new Bank({ soc: 0.6, capacity_Ah: 100 }), wiring);
  const firmware_B = [".bootcde", API_FILE].reduce((n, f) => n + fileBytes(b.storage.files.get(f)?.length ?? 0), 0);
  const writes0 = b.storage.writes;
  let dataDay1_B = 0;
  for (let day = 1; day <= days; day++) {
    rig.setLoad(2);
    rig.setCharger(0);
    b.advance(8 * 3600_000); // night: 2 A of load
    rig.setCharger(20);
    b.advance(6 * 3600_000); // sun: 20 A of charge, to full and a sync
    rig.setCharger(0);
    b.advance(10 * 3600_000);
    if (day === 1) dataDay1_B = b.storage.used() - firmware_B;
  }
  rig.stop();
  const used_B = b.storage.used();
  return { board: b, used_B, data_B: used_B - firmware_B, dataDay1_B, writes: b.storage.writes - writes0, files: [...b.storage.files].map(([n, f]) => [n, f.length]) };
}

export function printStorageMonth(m: StorageMonth, days = 30): void {
  console.log(`storage     after ${days} virtual days on 1s1p (simulator, Espruino's layout): ${m.used_B} B (${(m.used_B / 1024).toFixed(1)} KB of 40), data files ${m.data_B} B (${m.dataDay1_B} B after day 1), ${m.writes} writes: ${m.files.map(([n, l]) => `${n} ${l}`).join(", ")}`);
}
