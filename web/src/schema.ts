// The settings schema as the BMS sends it (`schema`), and the checks the page makes before it
// sends anything: the same range and step rules as the firmware (src/settings.ts). Rules that
// tie two settings together (low-SoC warning above the floor, pairing needs 6 digits) are left
// to the BMS: its refusal comes back as data and is shown on the field.

/** [key, unit, default, min, max, step (0 = text: min/max are lengths), factory reset restores it] */
export type SchemaRow = [string, string, number | string, number, number, number, boolean];

export type Checked = { value: number | string; err?: undefined } | { err: string; value?: undefined };

export function isSwitch(row: SchemaRow): boolean {
  return row[5] === 1 && row[3] === 0 && row[4] === 1;
}

function decimals(step: number): number {
  const s = String(step);
  return s.includes(".") ? s.length - s.indexOf(".") - 1 : 0;
}

/** Check what a person typed (or a switch's state) against its row; the value to send, or why not. */
export function check(row: SchemaRow, raw: string | boolean): Checked {
  const [key, unit, , min, max, step] = row;
  if (step === 0) {
    const text = String(raw);
    if (text.length < min || text.length > max) return { err: "must be text of " + min + ".." + max + " characters" };
    if (key === "pin" ? !/^[0-9]+$/.test(text) : !/^[ -~]+$/.test(text)) return { err: key === "pin" ? "must be digits" : "must be printable ASCII" };
    return { value: text };
  }
  if (typeof raw === "boolean") return { value: raw ? 1 : 0 };
  const text = raw.trim().replace(",", ".");
  const v = text === "" ? NaN : Number(text);
  if (!isFinite(v) || v < min - 1e-9 || v > max + 1e-9) return { err: "must be a number " + min + ".." + max + (unit ? " " + unit : "") };
  const steps = (v - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-6) return { err: "must be in steps of " + step };
  return { value: Number(v.toFixed(decimals(step))) };
}
