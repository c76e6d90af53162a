// A live chart of SoC, voltage and current on a canvas: three bands over the same time axis,
// each scaled to its own range. No library: a few lines of 2D drawing.

export interface Sample {
  t_ms: number;
  soc?: number;
  v?: number;
  i?: number;
}

const SERIES: { key: "soc" | "v" | "i"; name: string; unit: string; color: string }[] = [
  { key: "soc", name: "SoC", unit: "%", color: "#2a7ab8" },
  { key: "v", name: "Voltage", unit: "V", color: "#c07a00" },
  { key: "i", name: "Current", unit: "A", color: "#2b9348" },
];

export class Chart {
  readonly samples: Sample[] = [];
  constructor(private readonly canvas: HTMLCanvasElement, private readonly keep = 300) {}

  add(s: Sample): void {
    this.samples.push(s);
    if (this.samples.length > this.keep) this.samples.shift();
    this.draw();
  }

  clear(): void {
    this.samples.length = 0;
    this.draw();
  }

  draw(): void {
    const c = this.canvas;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    const w = (c.width = c.clientWidth || 600);
    const h = (c.height = c.clientHeight || 240);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "12px system-ui, sans-serif";
    const band = h / SERIES.length;
    const t0 = this.samples.length ? this.samples[0].t_ms : 0;
    const t1 = this.samples.length ? this.samples[this.samples.length - 1].t_ms : 1;
    const span = Math.max(t1 - t0, 1000);
    SERIES.forEach((s, k) => {
      const top = k * band + 16;
      const bottom = (k + 1) * band - 4;
      const vals = this.samples.map((p) => p[s.key]).filter((v): v is number => typeof v === "number");
      let lo = vals.length ? Math.min(...vals) : 0;
      let hi = vals.length ? Math.max(...vals) : 1;
      if (hi - lo < 0.1) { lo -= 0.05; hi += 0.05; }
      ctx.strokeStyle = "#ddd";
      ctx.beginPath();
      ctx.moveTo(0, bottom + 2);
      ctx.lineTo(w, bottom + 2);
      ctx.stroke();
      ctx.fillStyle = s.color;
      const last = vals.length ? vals[vals.length - 1] : undefined;
      ctx.fillText(s.name + (last === undefined ? " —" : " " + last.toFixed(s.key === "soc" ? 1 : 2) + " " + s.unit) +
        (vals.length ? "   (" + lo.toFixed(2) + " … " + hi.toFixed(2) + ")" : ""), 4, top - 4);
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      for (const p of this.samples) {
        const v = p[s.key];
        if (typeof v !== "number") { pen = false; continue; }
        const x = ((p.t_ms - t0) / span) * (w - 8) + 4;
        const y = bottom - ((v - lo) / (hi - lo)) * (bottom - top);
        if (pen) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        pen = true;
      }
      ctx.stroke();
      ctx.lineWidth = 1;
    });
  }
}
