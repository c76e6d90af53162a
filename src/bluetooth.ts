// Bluetooth on or off (SPEC §7). With the `bluetooth` setting on, the radio is always on. With it
// off, the radio is still on for the first 30 s after power-up and while a client is connected:
// a person can connect in that window and switch it back on; otherwise it goes off again.
// The rule is three comparisons in Supervisor.tick (a function would cost RAM and a call a tick).
export const BT_WINDOW_ds = 300;
