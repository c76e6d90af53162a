// The chart's scales (web/src/chart.ts, pure functions): ranges rounded out to whole ticks and
// never narrower than the series' minimum span, so a flat 80 % is not drawn over "79.95 … 80.05".
import assert from "node:assert/strict";
import { niceRange, SERIES, spanText } from "../../web/src/chart.ts";

/** WCAG contrast ratio of a #rrggbb colour against white */
function contrastOnWhite(hex: string): number {
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  const [r, g, b] = [1, 3, 5].map((k) => lin(parseInt(hex.slice(k, k + 2), 16) / 255));
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe("web chart scales", () => {
  it("a_flat_series_gets_a_readable_range_around_it", () => {
    assert.deepEqual(niceRange([80, 80, 80], 10, false), { lo: 75, hi: 85, step: 5 });
    const v = niceRange([26.24, 26.25], 0.5, false);
    assert.ok(v.lo <= 26.24 && v.hi >= 26.25 && v.hi - v.lo >= 0.5 && v.hi - v.lo <= 1, JSON.stringify(v));
  });

  it("current_ranges_include_zero_and_end_on_ticks", () => {
    const r = niceRange([-10, -9.5], 2, true);
    assert.ok(r.lo <= -10 && r.hi >= 0, JSON.stringify(r));
    for (const x of [r.lo, r.hi]) assert.ok(Math.abs(x / r.step - Math.round(x / r.step)) < 1e-9, `${x} is a whole tick of ${r.step}`);
    assert.ok([1, 2, 5, 10].some((m) => Math.abs(r.step / m - Math.pow(10, Math.round(Math.log10(r.step / m)))) < 1e-9), `step ${r.step} is 1, 2 or 5 × 10^n`);
  });

  it("label_colours_have_at_least_4_5_to_1_contrast", () => {
    for (const s of SERIES) assert.ok(contrastOnWhite(s.color) >= 4.5, `${s.name} ${s.color}: ${contrastOnWhite(s.color).toFixed(2)}:1`);
  });

  it("the_time_axis_names_its_span", () => {
    assert.equal(spanText(45_000), "45 s");
    assert.equal(spanText(7 * 60_000), "7 min");
  });
});
