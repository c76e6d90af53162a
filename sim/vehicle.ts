// The vehicle around a Smart BMS 12-200 (docs/smart-bms-12-200.md, docs/simulator.md): an engine
// with an alternator, a starter battery that sags while cranking, a DC-DC charger behind the
// alternator output, and an inverter on the System+ port. Each second, before the battery link's
// burst, it reads the board's outputs, sets the bank's load and charge current, and puts the
// starter and System+ voltages on the analog pins through the board's dividers.
import type { Bank } from "./bank.ts";
import type { SimBoard } from "./board.ts";
import { DIVIDER_12200, type VehicleWiring } from "./wiring.ts";

export interface VehicleConfig {
  /** current the DC-DC charger behind the alternator output gives, and its charge voltage */
  altCharge_A: number;
  altChargeVoltage_V: number;
  /** the starter battery at rest, with the engine running (alternator regulating), while cranking */
  starterRest_V: number;
  alternator_V: number;
  crank_V: number;
  /** the inverter on System+, and loads elsewhere (through the load disconnect) */
  inverter_A: number;
  otherLoad_A: number;
}

export class Vehicle {
  engine: "off" | "crank" | "run" = "off";
  /** the System+ side collapses (a short), for the A-A12 demo */
  short = false;
  readonly cfg: VehicleConfig;
  private timer: ReturnType<SimBoard["clock"]["setInterval"]> | undefined;

  constructor(private readonly b: SimBoard, private readonly bank: Bank, private readonly w: VehicleWiring, cfg: Partial<VehicleConfig> = {}) {
    this.cfg = {
      altCharge_A: 40, altChargeVoltage_V: 14.4, starterRest_V: 12.6, alternator_V: 14.2, crank_V: 9.8,
      inverter_A: 0, otherLoad_A: 0, ...cfg,
    };
  }

  /** Start at +250 ms each second (the link's burst is at +500 ms, the firmware's tick at +0). */
  start(): this {
    this.update();
    this.b.clock.setTimeout(() => {
      this.update();
      this.timer = this.b.clock.setInterval(() => this.update(), 1000);
    }, 250);
    return this;
  }
  stop(): void {
    if (this.timer !== undefined) this.b.clock.clearInterval(this.timer);
  }

  /** the starter side's voltage now */
  starter_V(): number {
    if (this.engine === "crank") return this.cfg.crank_V;
    return this.engine === "run" ? this.cfg.alternator_V : this.cfg.starterRest_V;
  }

  private update(): void {
    const b = this.b;
    const on = (pin: string) => b.level(pin) === "H";
    const alt = on(this.w.alt) && this.engine === "run";
    const sysD = on(this.w.sysD);
    const sysC = on(this.w.sysC);
    // the bank model gates its load by ATD and its charger by ATC: the DC-DC charger and the
    // inverter are put there while their own outputs allow them
    this.bank.load_A = this.cfg.otherLoad_A + (sysD ? this.cfg.inverter_A : 0);
    this.bank.charger_A = alt ? this.cfg.altCharge_A : 0;
    this.bank.chargeVoltage_V = this.cfg.altChargeVoltage_V;
    const bank_V = this.bank.truth().voltage_V;
    const sys_V = this.short ? 0.2 : sysD || sysC ? bank_V : 0;
    b.analogIn(this.w.aStart, this.starter_V() / DIVIDER_12200 / b.vref);
    b.analogIn(this.w.aSys, sys_V / DIVIDER_12200 / b.vref);
  }
}
