import { LIBRARIES, OURS } from './libraries.js';
import type { Cell, Report } from './types.js';
import { WORKLOADS, type Unit } from './workloads.js';

const label = (lib: string): string => LIBRARIES[lib]?.label ?? lib;

function fmt(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function cellText(cell: Cell | undefined): string {
  if (!cell) return '–';
  return 'value' in cell ? fmt(cell.value) : cell.unavailable;
}

/**
 * backprop's speed-up over a peer: figure ratio for throughputs, inverse for latency, so above 1 always
 * means backprop is faster.
 */
export function ratio(unit: Unit, ours: Cell | undefined, theirs: Cell | undefined): number | null {
  if (!ours || !theirs || !('value' in ours) || !('value' in theirs)) return null;
  return unit === 'ms' ? theirs.value / ours.value : ours.value / theirs.value;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The figures, the ratios backprop/peer, peak RSS and the elementwise table, as markdown. */
export function toMarkdown(r: Report): string {
  const libs = r.libraries.map((l) => l.library);
  const peers = libs.filter((l) => !OURS.includes(l));
  const byLib = Object.fromEntries(r.libraries.map((l) => [l.library, l]));
  const out: string[] = [];
  out.push(`Measured ${r.date}${r.quick ? ' (quick run: fewer repetitions)' : ''} on ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}. Medians after warm-up${(r.rounds ?? 1) > 1 ? `, over ${r.rounds} rounds in which the libraries took turns` : ''}.`, '');
  out.push(row(['workload', 'unit', ...libs.map((l) => label(l))]));
  out.push(row(['---', '---', ...libs.map(() => '---:')]));
  for (const w of WORKLOADS) {
    if (!r.libraries.some((l) => w.id in l.results)) continue;
    const unit = w.unit === 'ms' ? 'ms (lower is better)' : w.unit;
    out.push(row([w.title, unit, ...libs.map((l) => cellText(byLib[l].results[w.id]))]));
  }
  out.push(row(['peak RSS (largest over its workload processes)', 'MB', ...libs.map((l) => fmt(byLib[l].peakRssMB))]));
  out.push('', `Peak RSS includes Node itself: an empty Node process peaks at ${fmt(r.nodeBaselineRssMB)} MB here.`, '');
  for (const o of OURS) {
    const ours = byLib[o];
    if (!ours || !peers.length) continue;
    const name = label(o);
    out.push(`${name} ÷ peer (above 1: ${name} is faster; for latency the inverse ratio):`, '');
    out.push(row(['workload', ...peers.map((p) => `vs ${label(p)}`)]));
    out.push(row(['---', ...peers.map(() => '---:')]));
    for (const w of WORKLOADS) {
      const cells = peers.map((p) => {
        const q = ratio(w.unit, ours.results[w.id], byLib[p].results[w.id]);
        return q === null ? '–' : `${q.toFixed(2)}×`;
      });
      if (cells.every((c) => c === '–')) continue;
      out.push(row([w.title, ...cells]));
    }
    out.push('');
  }
  const notes = r.libraries.flatMap((l) => Object.entries(l.notes).map(([id, n]) => `- ${label(l.library)}, ${id}: ${n}`));
  if (notes.length) out.push('How peers differ from the common definition:', '', ...notes, '');
  if (r.elementwise.length) {
    out.push(`Elementwise and reduction throughput, float32, ${r.elementwise[0].elements.toLocaleString('en-US')} elements (bytes read + written):`, '');
    out.push(row(['op', 'backprop GB/s', 'typed-array loop GB/s', 'backprop ÷ loop']));
    out.push(row(['---', '---:', '---:', '---:']));
    for (const e of r.elementwise) out.push(row([e.op, fmt(e.backpropGBs), fmt(e.loopGBs), `${(e.backpropGBs / e.loopGBs).toFixed(2)}×`]));
    out.push('');
  }
  return out.join('\n');
}
