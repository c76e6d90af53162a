// Remote on/off terminals (SPEC §3). The board front end turns the terminals into two logic pins:
//   L: pulled up on the board, reads low when L is pulled to battery minus (< 3.5 V) or bridged
//      to H (H's pull-down is stronger than L's pull-up);
//   H: pulled down, reads high when 2.9 V < V_H < Vbat (divider and clamp on the board).
// ON when L reads low or H reads high; OFF in every other case.

/** Remote edges must act at once (SPEC §3): the debounce only rejects contact bounce. */
export const REMOTE_DEBOUNCE_MS = 25;

export function setupRemote(remL: Pin, remH: Pin, onEdge: () => void): void {
  pinMode(remL, "input_pullup");
  pinMode(remH, "input_pulldown");
  const opts: WatchOptions = { edge: "both", repeat: true, debounce: REMOTE_DEBOUNCE_MS };
  setWatch(onEdge, remL, opts);
  setWatch(onEdge, remH, opts);
}

export function remoteIsOn(remL: Pin, remH: Pin): boolean {
  return digitalRead(remL) === 0 || digitalRead(remH) === 1;
}
