// Bluetooth on or off (SPEC §7). With the `bluetooth` setting on, the radio is always on. With it
// off, the radio is still on for the first 30 s after power-up and while a client is connected:
// a person can connect in that window and switch it back on; otherwise it goes off again.
export const BT_WINDOW_ds = 300;

export function radioWanted(setting: number, connected: boolean, now_ds: number): boolean {
  return setting === 1 || connected || now_ds < BT_WINDOW_ds;
}
