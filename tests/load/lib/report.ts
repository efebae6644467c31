/**
 * What every benchmark under tests/load/ shares: its settings from the
 * environment, its table's rows, and its figures printed once as the very last
 * line (`npm run bench` and the docs read that line as JSON).
 */

/** A setting from the environment: unset or empty gives `fallback`; anything else must be a number from `min` to `max`. */
export function envNumber(name: string, fallback: number, min = 0, max = Infinity): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, not "${raw}".`);
  return value;
}

/** `envNumber`, rounded to a whole number (counts, ports). */
export function envInteger(name: string, fallback: number, min = 0, max = Infinity): number {
  return Math.round(envNumber(name, fallback, min, max));
}

/** A printer of one table row: label, value, target and verdict ("ok", "MISSED", or none), in columns of these widths. */
export function tableRow(labelWidth: number, valueWidth: number, targetWidth: number) {
  return (label: string, value: string, target = "", ok?: boolean) => {
    const verdict = ok === undefined ? "" : ok ? "ok" : "MISSED";
    console.log(`  ${label.padEnd(labelWidth)} ${value.padStart(valueWidth)}   ${target.padEnd(targetWidth)} ${verdict}`.trimEnd());
  };
}

/**
 * The end of a benchmark, whichever way it comes (done, failed, timed out): its figures as one JSON line, printed
 * once (with the error, if any), then exit with `code`.
 */
export function finisher(figures: Record<string, unknown>): (code: number, error?: string) => never {
  let finished = false;
  return (code, error) => {
    if (!finished) {
      finished = true;
      if (error) figures.error = error;
      console.log(JSON.stringify(figures));
    }
    process.exit(code);
  };
}
