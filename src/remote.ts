// Remote on/off filter (SPEC §3). The debounced setWatch edge is the authority: it sets the
// state at once. The tick's reading (hal/remote.ts: read again after the debounce time, so a
// glitch is never taken) is a safety net for a missed edge:
//
//   OFF while ON  -> OFF at once (fail safe: outputs float)
//   ON  while OFF -> "suspect"; still ON at the next tick -> ON (a bounce caught at the tick
//                    never switches a load on)
export class RemoteFilter {
  on = false;
  private suspect = false;

  /** A debounced edge: its reading is taken as is. */
  edge(raw: boolean): void {
    this.on = raw;
    this.suspect = false;
  }

  /** A reading at a tick. */
  sample(raw: boolean): void {
    if (raw === this.on || !raw) return this.edge(raw);
    if (this.suspect) return this.edge(raw);
    this.suspect = true;
  }
}
