import { add, exp, relu, sum, mul, tensor } from '@backprop/tensor';
import { uniform } from './data.js';
import { measure, type MeasureOptions } from './measure.js';
import type { ElementwiseRow } from './types.js';

const N = 1 << 20;

/**
 * GB/s of a few backprop ops against the plain typed-array loop that is their floor: bytes are the
 * float32 inputs read plus the output written, so both sides are charged the same traffic.
 */
export async function elementwise(opts: MeasureOptions): Promise<ElementwiseRow[]> {
  const a = uniform(N, 1);
  const b = uniform(N, 2);
  const ta = tensor(a, [N]);
  const tb = tensor(b, [N]);
  const out = new Float32Array(N);
  const cases: { op: string; bytes: number; backprop: () => unknown; loop: () => unknown }[] = [
    {
      op: 'add (a + b)', bytes: 12 * N, backprop: () => add(ta, tb),
      loop: () => { for (let i = 0; i < N; i++) out[i] = a[i] + b[i]; },
    },
    {
      op: 'mul (a · b)', bytes: 12 * N, backprop: () => mul(ta, tb),
      loop: () => { for (let i = 0; i < N; i++) out[i] = a[i] * b[i]; },
    },
    {
      op: 'relu', bytes: 8 * N, backprop: () => relu(ta),
      loop: () => { for (let i = 0; i < N; i++) out[i] = a[i] > 0 ? a[i] : 0; },
    },
    {
      op: 'exp', bytes: 8 * N, backprop: () => exp(ta),
      loop: () => { for (let i = 0; i < N; i++) out[i] = Math.exp(a[i]); },
    },
    {
      op: 'sum (reduction)', bytes: 4 * N, backprop: () => sum(ta).item(),
      loop: () => { let s = 0; for (let i = 0; i < N; i++) s += a[i]; out[0] = s; },
    },
  ];
  const rows: ElementwiseRow[] = [];
  for (const c of cases) {
    const bp = await measure(() => void c.backprop(), opts);
    const lp = await measure(() => void c.loop(), opts);
    rows.push({ op: c.op, elements: N, backpropGBs: c.bytes / (bp.ms * 1e6), loopGBs: c.bytes / (lp.ms * 1e6) });
  }
  return rows;
}
