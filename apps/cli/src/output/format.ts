/** Number formatting shared by the human-readable outputs. */

/** Metric names whose values are fractions, shown as percentages. */
const FRACTIONS = /accuracy|precision|recall|f1/i;

export function formatMetric(name: string, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (FRACTIONS.test(name)) return `${(value * 100).toFixed(2)}%`;
  return Math.abs(value) >= 1000 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(3) : value.toFixed(4);
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** A plain text table; by default the first column is left-aligned and the others (numbers) right-aligned. */
export function table(header: string[], rows: string[][], align: ('left' | 'right')[] = header.map((_, c) => (c === 0 ? 'left' : 'right'))): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (align[c] === 'left' ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes one JSON line to stdout: what scripts parse. Non-finite numbers become null, as JSON allows no NaN. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
}
