import type { DeviceKernel } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { MATH } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

// The fused LSTM cell (lstmCell of @backprop/tensor) and its backward pass, one thread per hidden unit of
// each row, in the cpu kernels' flat layouts: the forward writes h' [N·H], c' [N·H], then the activated
// gates [N, 4H] (i, f, g, o); the backward writes grad gates [N, 4H], then grad c [N·H].

/** gates [N, 4H], c [N, H] → [h' | c' | activated gates], flat. */
export function lstmCellKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, c], attrs) => {
    wgslType(x.dtype);
    const H = attrs.hidden as number;
    const n = c.shape[0] * H;
    const [buffer, result] = output(rt, [6 * n], x.dtype);
    if (n === 0) return result;
    const code = (): string => `${bindings([['x', 'f32'], ['c', 'f32'], ['o', 'f32']])}
${metaBinding(3)}
${MATH}
${ELEMENT_MAIN}
  let H = m[1]; let n = m[0];
  let row = (i / H) * 4u * H + i % H;
  let ig = sigmoidF(x[row]);
  let fg = sigmoidF(x[row + H]);
  let gg = tanhF(x[row + 2u * H]);
  let og = sigmoidF(x[row + 3u * H]);
  let cn = fg * c[i] + ig * gg;
  o[i] = og * tanhF(cn);
  o[n + i] = cn;
  let a = 2u * n + row;
  o[a] = ig; o[a + H] = fg; o[a + 2u * H] = gg; o[a + 3u * H] = og;
}`;
    rt.dispatch('lstmCell', code, [bufferOf(x), bufferOf(c), buffer], [n, H], grid(n));
    return result;
  };
}

/** grad [6·N·H], the forward's output, c → [grad gates | grad c], flat. */
export function lstmCellBackwardKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([g, y, c], attrs) => {
    wgslType(g.dtype);
    const H = attrs.hidden as number;
    const n = c.shape[0] * H;
    const [buffer, result] = output(rt, [5 * n], g.dtype);
    if (n === 0) return result;
    const code = (): string => `${bindings([['gr', 'f32'], ['y', 'f32'], ['c', 'f32'], ['o', 'f32']])}
${metaBinding(4)}
${MATH}
${ELEMENT_MAIN}
  let H = m[1]; let n = m[0];
  let row = (i / H) * 4u * H + i % H;
  let a = 2u * n + row;
  let ig = y[a]; let fg = y[a + H]; let gg = y[a + 2u * H]; let og = y[a + 3u * H];
  let tc = tanhF(y[n + i]);
  let gh = gr[i];
  let dc = gr[n + i] + gh * og * (1.0 - tc * tc);
  o[row] = (dc * gg + gr[a]) * ig * (1.0 - ig);
  o[row + H] = (dc * c[i] + gr[a + H]) * fg * (1.0 - fg);
  o[row + 2u * H] = (dc * ig + gr[a + 2u * H]) * (1.0 - gg * gg);
  o[row + 3u * H] = (gh * tc + gr[a + 3u * H]) * og * (1.0 - og);
  o[4u * n + i] = dc * fg;
}`;
    rt.dispatch('lstmCellBackward', code, [bufferOf(g), bufferOf(y), bufferOf(c), buffer], [n, H], grid(n));
    return result;
  };
}
