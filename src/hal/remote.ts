// Remote on/off terminals (SPEC §3). The board front end turns the terminals into two logic pins:
//   L: pulled up on the board, reads low when L is pulled to battery minus (< 3.5 V) or bridged
//      to H (H's pull-down is stronger than L's pull-up);
//   H: pulled down, reads high when 2.9 V < V_H < Vbat (divider and clamp on the board).
// ON when L reads low or H reads high; OFF in every other case.
//
// Every reading goes through the debounce: the state is made of each pin's debounced level,
// which only its watch (stable for REMOTE_DEBOUNCE_MS) or a tick reading confirmed
// REMOTE_DEBOUNCE_MS later changes. A glitch on one pin is never read by the other pin's edge.

/** Remote edges must act at once (SPEC §3): the debounce only rejects contact bounce. */
export const REMOTE_DEBOUNCE_MS = 25;

/** each pin's debounced level: bit 0 = L, bit 1 = H */
let lv = 1;

function raw(remL: Pin, remH: Pin): number {
  return digitalRead(remL) | (digitalRead(remH) << 1);
}

/**
 * Watch both pins; returns the tick's check: a pin whose raw level differs from its debounced
 * level is read again REMOTE_DEBOUNCE_MS later and takes the level only if it still differs (a
 * missed edge is healed, a glitch is not taken); then `then` runs.
 */
export function setupRemote(remL: Pin, remH: Pin, onEdge: () => void): (then: () => void) => void {
  pinMode(remL, "input_pullup");
  pinMode(remH, "input_pulldown");
  lv = raw(remL, remH); // at power-up the levels are taken as they are
  const opts: WatchOptions = { edge: "both", repeat: true, debounce: REMOTE_DEBOUNCE_MS };
  setWatch((e) => {
    lv = (lv & 2) | (e.state ? 1 : 0);
    onEdge();
  }, remL, opts);
  setWatch((e) => {
    lv = (lv & 1) | (e.state ? 2 : 0);
    onEdge();
  }, remH, opts);
  let seen = 0;
  let then: () => void;
  const settle = () => {
    lv ^= seen & (raw(remL, remH) ^ lv);
    then();
  };
  return (cb) => {
    seen = raw(remL, remH) ^ lv;
    if (!seen) return;
    then = cb;
    setTimeout(settle, REMOTE_DEBOUNCE_MS);
  };
}

/** ON from the debounced levels: L low or H high. */
export function remoteIsOn(): boolean {
  return (lv & 1) === 0 || (lv & 2) !== 0;
}
