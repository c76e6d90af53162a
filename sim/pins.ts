// Simulated nRF52 GPIO: pin objects with Espruino's methods, output modes, external drive,
// and setWatch with debounce. Tests read what a multimeter would: "H", "L" or "Z" (floating).
export type Level = "H" | "L" | "Z";
export type Mode = "auto" | "input" | "input_pullup" | "input_pulldown" | "output" | "opendrain";

export class SimPin {
  md: Mode = "auto";
  explicitMode = false;
  out = 0;
  /** level driven from outside the board (a wire, a switch), or null when nothing drives it */
  ext: 0 | 1 | null = null;
  /** a hard fault (a short to a rail, a blown driver) that wins even over the pin's own output */
  short: 0 | 1 | null = null;
  /** analogRead's value (a fraction of the ADC reference), or null: then the logic level */
  analog: number | null = null;
  constructor(readonly name: string, private readonly io: PinIO) {}
  toString(): string {
    return this.name;
  }
  read(): boolean {
    return this.io.digitalRead(this) === 1;
  }
  write(v: boolean | number): void {
    this.io.digitalWrite(this, v);
  }
  set(): void {
    this.io.digitalWrite(this, 1);
  }
  reset(): void {
    this.io.digitalWrite(this, 0);
  }
  mode(m: Mode): void {
    this.io.pinMode(this, m);
  }
  getMode(): Mode {
    return this.md;
  }
  /** What a meter sees on the pin. */
  level(): Level {
    if (this.short !== null) return this.short ? "H" : "L";
    if (this.md === "output") return this.out ? "H" : "L";
    if (this.md === "opendrain") return this.out ? (this.ext === null ? "Z" : this.ext ? "H" : "L") : "L";
    if (this.ext !== null) return this.ext ? "H" : "L";
    if (this.md === "input_pullup") return "H";
    if (this.md === "input_pulldown") return "L";
    return "Z";
  }
  /** What digitalRead returns: a floating pin reads 0 here (random on the device). */
  logic(): 0 | 1 {
    return this.level() === "H" ? 1 : 0;
  }
}

export interface PinIO {
  digitalRead(pin: SimPin): number;
  digitalWrite(pin: SimPin, v: boolean | number): void;
  pinMode(pin: SimPin, m: Mode): void;
}

export interface Watch {
  id: number;
  pin: SimPin;
  fn: (e: { state: boolean; time: number; lastTime: number }) => void;
  edge: "rising" | "falling" | "both";
  debounce_ms: number;
  repeat: boolean;
  /** last level reported (or seen at setWatch), so a debounced glitch reports nothing */
  last: 0 | 1;
  lastTime: number;
  pending?: { cancel: () => void };
}

export const PIN_MODES: readonly Mode[] = ["auto", "input", "input_pullup", "input_pulldown", "output", "opendrain"];
