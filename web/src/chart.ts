// A live chart of SoC, voltage and current on a canvas: three bands over the same time axis,
// each with its own y ticks and unit. Drawn at the screen's pixel density. Unknown values are
// gaps: the line breaks and the label says "unknown". No library: a few lines of 2D drawing.

export interface Sample {
  t_ms: number;
  soc?: number;
  v?: number;
  i?: number;
}

// label colours: at least 4.5:1 against the white background (WCAG AA)
export const SERIES: { key: "soc" | "v" | "i"; name: string; unit: string; color: string; digits: number; min: number }[] = [
  { key: "soc", name: "SoC", unit: "%", color: "#1f5f99", digits: 1, min: 10 },
  { key: "v", name: "Voltage", unit: "V", color: "#8a4b00", digits: 2, min: 0.5 },
  { key: "i", name: "Current", unit: "A", color: "#1e6b34", digits: 1, min: 2 },
];

/** A tick step of 1, 2 or 5 × 10^n giving about `n` intervals over `span`. */
function niceStep(span: number, n: number): number {
  const raw = span / n;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** A range over the values rounded out to whole ticks, at least `minSpan` wide (no "79.95 … 80.05"). */
export function niceRange(vals: number[], minSpan: number, withZero: boolean): { lo: number; hi: number; step: number } {
  let lo = Math.min(...vals);
  let hi = Math.max(...vals);
  if (withZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (hi - lo < minSpan) { const mid = (hi + lo) / 2; lo = mid - minSpan / 2; hi = mid + minSpan / 2; }
  const step = niceStep(hi - lo, 3);
  return { lo: Math.floor(lo / step + 1e-9) * step, hi: Math.ceil(hi / step - 1e-9) * step, step };
}

export function spanText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? s + " s" : Math.round(s / 60) + " min";
}

export class Chart {
  readonly samples: Sample[] = [];
  /** called after each drawing with a text alternative of what it shows */
  onText: (text: string) => void = () => {};
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
    const dpr = globalThis.devicePixelRatio || 1;
    const w = c.clientWidth || 600;
    const h = c.clientHeight || 300;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "12px system-ui, sans-serif";
    const axis = 18; // the time axis at the bottom
    const left = 44; // y tick labels
    const band = (h - axis) / SERIES.length;
    const n = this.samples.length;
    const t0 = n ? this.samples[0].t_ms : 0;
    const t1 = n ? this.samples[n - 1].t_ms : 0;
    const span = Math.max(t1 - t0, 1000);
    const x = (t: number) => left + ((t - t0) / span) * (w - left - 6);
    const parts: string[] = [];
    SERIES.forEach((s, k) => {
      const top = k * band + 18;
      const bottom = (k + 1) * band - 6;
      const vals = this.samples.map((p) => p[s.key]).filter((v): v is number => typeof v === "number");
      const last = n ? this.samples[n - 1][s.key] : undefined;
      ctx.fillStyle = s.color;
      ctx.textAlign = "left";
      const now = typeof last === "number" ? last.toFixed(s.digits) + " " + s.unit : "unknown";
      ctx.fillText(s.name + ": " + now, left, top - 6);
      if (!vals.length) {
        parts.push(s.name + " unknown");
        return;
      }
      const r = niceRange(vals, s.min, s.key === "i");
      const y = (v: number) => bottom - ((v - r.lo) / (r.hi - r.lo)) * (bottom - top);
      ctx.textAlign = "right";
      for (let v = r.lo; v <= r.hi + r.step / 2; v += r.step) {
        const zero = s.key === "i" && Math.abs(v) < r.step / 2;
        ctx.strokeStyle = zero ? "#555" : "#ddd";
        ctx.lineWidth = zero ? 1.5 : 1;
        ctx.beginPath();
        ctx.moveTo(left, y(v));
        ctx.lineTo(w - 6, y(v));
        ctx.stroke();
        ctx.fillStyle = "#444";
        ctx.fillText(+v.toFixed(3) + " " + s.unit, left - 4, y(v) + 4);
      }
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      for (const p of this.samples) {
        const v = p[s.key];
        if (typeof v !== "number") { pen = false; continue; } // unknown: the line breaks
        if (pen) ctx.lineTo(x(p.t_ms), y(v));
        else ctx.moveTo(x(p.t_ms), y(v));
        pen = true;
      }
      ctx.stroke();
      ctx.lineWidth = 1;
      parts.push(s.name + " " + now + " (range " + Math.min(...vals).toFixed(s.digits) + " to " + Math.max(...vals).toFixed(s.digits) + " " + s.unit + ")");
    });
    // time axis: the span the chart covers, oldest on the left
    ctx.fillStyle = "#444";
    ctx.textAlign = "left";
    ctx.fillText(n ? "−" + spanText(t1 - t0) : "", left, h - 4);
    ctx.textAlign = "right";
    ctx.fillText("now", w - 6, h - 4);
    ctx.textAlign = "center";
    ctx.fillText(n ? "last " + spanText(t1 - t0) : "no data yet", (w + left) / 2, h - 4);
    this.onText(n ? "Chart of the last " + spanText(t1 - t0) + ": " + parts.join("; ") + "." : "Chart: no data yet.");
  }
}
