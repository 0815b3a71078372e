import { add, concat, isGradEnabled, mul, narrow, reshape, runKernel, sub, tanh, wrap, type Tensor } from '@backprop/tensor';
import { registerGradient } from '../registry.js';

/** The [N, H] (or [N, 4H] for the gates) block of a flat lstmCell output or gradient at `start`. */
const block = (t: Tensor, start: number, N: number, cols: number): Tensor => reshape(narrow(t, 0, start, N * cols), [N, cols]);

// lstmCell's output is flat: h' [N·H], c' [N·H], then the activated gates [N, 4H] (see ops/lstm-cell.ts).
export function registerRecurrentGradients(): void {
  registerGradient('lstmCell', (g, { inputs: [, c], output, attrs }) => {
    const H = attrs.hidden as number;
    const N = c.shape[0];
    const n = N * H;
    if (!isGradEnabled() && g.dtype === output.dtype) {
      // One pass of the backward kernel: [grad gates (N·4H) | grad c (N·H)].
      const packed = wrap(runKernel('lstmCellBackward', [g, output, c], { hidden: H }));
      return [block(packed, 0, N, 4 * H), block(packed, 4 * n, N, H)];
    }
    // A recorded backward (createGraph): the same gradient composed of differentiable ops, so it can be
    // differentiated again (through lstmCell's own outputs).
    const [i, f, gg, o] = block(output, 2 * n, N, 4 * H).chunk(4, 1);
    const [gi, gf, gG, go] = block(g, 2 * n, N, 4 * H).chunk(4, 1);
    const gh = block(g, 0, N, H);
    const tc = tanh(block(output, n, N, H));
    const dc = add(block(g, n, N, H), mul(mul(gh, o), sub(1, mul(tc, tc))));
    const sigmoidGrad = (d: Tensor, s: Tensor): Tensor => mul(d, mul(s, sub(1, s)));
    const gates = concat([
      sigmoidGrad(add(mul(dc, gg), gi), i),
      sigmoidGrad(add(mul(dc, c), gf), f),
      mul(add(mul(dc, i), gG), sub(1, mul(gg, gg))),
      sigmoidGrad(add(mul(gh, tc), go), o),
    ], 1);
    return [gates, mul(dc, f)];
  });
}
