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

// The whole-sequence LSTM (lstmSequence of @backprop/tensor): one dispatch a step, one thread per hidden
// unit of each row doing that unit's four gate dot products with W_hh and its cell, in the cpu kernels'
// layout (every step's h [T·N·H], c [T·N·H], then activated gates [T·N·4H]; the backward reads the states
// and the gates as separate inputs). The backward pass
// runs back through time the same way, the gradient of c carried in the output's grad-c0 slot, then one
// dispatch each for grad h0 and grad W_hh (a sum over all steps).

/** The step taken s-th and the one whose state it reads. */
const order = (s: number, T: number, reverse: boolean): [number, number] => {
  const t = reverse ? T - 1 - s : s;
  return [t, reverse ? t + 1 : t - 1];
};

/**
 * WGSL adding row `row` of W_hh times the previous state of row b to `s`: h0 on the first step, else the
 * h of step p in the output (m[4] is the first-step flag the step dispatches pass).
 */
const HIDDEN_DOT = `if (first) {
      for (var k = 0u; k < H; k++) { s += h0[b * H + k] * w[row + k]; }
    } else {
      for (var k = 0u; k < H; k++) { s += o[p * n + b * H + k] * w[row + k]; }
    }`;

/** WGSL reading forwardSteps' meta, and the row b and hidden unit j of the thread's element i. */
const FORWARD_STEP_META = `  let n = m[0]; let H = m[1]; let t = m[2]; let p = m[3]; let first = m[4] == 1u; let T = m[5];
  let b = i / H; let j = i % H;`;

/** WGSL reading backwardSteps' meta, and the row b and hidden unit j of the thread's element i. */
const BACKWARD_STEP_META = `${FORWARD_STEP_META}
  let tn = m[6]; let hasNext = m[7] == 1u;`;

/** One forward dispatch a step; the meta is [n, H, t, p, first, T] (p clamped where the first step has none). */
function forwardSteps(rt: WebGpuRuntime, key: string, code: () => string, buffers: GPUBuffer[], T: number, n: number, H: number, reverse: boolean): void {
  for (let s = 0; s < T; s++) {
    const [t, p] = order(s, T, reverse);
    rt.dispatch(key, code, buffers, [n, H, t, Math.max(p, 0), s === 0 ? 1 : 0, T], grid(n));
  }
}

/**
 * One backward dispatch a step, from the last step taken to the first; the meta is [n, H, t, p, first, T,
 * next, hasNext], `next` being the step dispatched before (whose gradients this one reads). Returns the
 * step taken first, whose gradients give grad h0.
 */
function backwardSteps(rt: WebGpuRuntime, key: string, code: () => string, buffers: GPUBuffer[], T: number, n: number, H: number, reverse: boolean): number {
  let next = 0;
  for (let s = T - 1; s >= 0; s--) {
    const [t, p] = order(s, T, reverse);
    rt.dispatch(key, code, buffers, [n, H, t, Math.max(p, 0), s === 0 ? 1 : 0, T, next, s < T - 1 ? 1 : 0], grid(n));
    next = t;
  }
  return next;
}

/**
 * grad h0 = the gate gradients of the step taken first (`gates` [T, N, G·H] at step meta[2]; the output
 * buffer itself or a scratch buffer) · W_hh, into out[G·T·n + i]; `carried` adds what the step dispatches
 * left in that slot (the GRU's dh·z). The meta is [n, H, t, T].
 */
function gradH0(rt: WebGpuRuntime, key: string, G: number, w: GPUBuffer, gates: GPUBuffer, out: GPUBuffer, meta: number[], carried: boolean): void {
  const own = gates === out;
  const code = (): string => `${bindings(own ? [['w', 'f32'], ['o', 'f32']] : [['w', 'f32'], ['g', 'f32'], ['o', 'f32']])}
${metaBinding(own ? 2 : 3)}
${ELEMENT_MAIN}
  let n = m[0]; let H = m[1]; let t = m[2]; let T = m[3];
  let b = i / H; let j = i % H;
  var s = ${carried ? `o[${G}u * T * n + i]` : '0.0'};
  for (var k = 0u; k < ${G}u * H; k++) { s += ${own ? 'o' : 'g'}[t * ${G}u * n + b * ${G}u * H + k] * w[k * H + j]; }
  o[${G}u * T * n + i] = s;
}`;
  rt.dispatch(key, code, own ? [w, out] : [w, gates, out], meta, grid(meta[0]));
}

/**
 * grad W_hh[r, j] = Σ_t Σ_b gates_t[b, r] · h_prev_t[b, j] into out at `at`, where `buffers` are [the
 * states y, h0, the gate gradients [T, N, G·H], out] (the gradients may be out itself) and h_prev_t is the
 * state step t read (h0 for the step taken first); with `biasAt`, also grad b_hh[r] = Σ_t Σ_b gates_t[b, r]
 * there.
 */
function gradWeight(
  rt: WebGpuRuntime, key: string, G: number, buffers: GPUBuffer[], T: number, N: number, H: number, reverse: boolean, at: number, biasAt: number | null,
): void {
  const [y, h0, gates, out] = buffers;
  const own = gates === out;
  const d = own ? 'o' : 'g';
  const code = (): string => `${bindings(own ? [['y', 'f32'], ['h0', 'f32'], ['o', 'f32']] : [['y', 'f32'], ['h0', 'f32'], ['g', 'f32'], ['o', 'f32']])}
${metaBinding(own ? 3 : 4)}
${ELEMENT_MAIN}
  let T = m[1]; let N = m[2]; let H = m[3]; let reverse = m[4] == 1u; let at = m[5]; let n = N * H;
  let r = i / H; let j = i % H;
  var s = 0.0;
  var sb = 0.0;
  for (var t = 0u; t < T; t++) {
    let firstStep = select(t == 0u, t == T - 1u, reverse);
    if (firstStep) {
      for (var b = 0u; b < N; b++) { let v = ${d}[t * ${G}u * n + b * ${G}u * H + r]; s += v * h0[b * H + j]; sb += v; }
    } else {
      let p = select(t - 1u, t + 1u, reverse);
      for (var b = 0u; b < N; b++) { let v = ${d}[t * ${G}u * n + b * ${G}u * H + r]; s += v * y[p * n + b * H + j]; sb += v; }
    }
  }
  o[at + i] = s;
  ${biasAt === null ? '' : 'if (j == 0u) { o[m[6] + r] = sb; }'}
}`;
  const meta = [G * H * H, T, N, H, reverse ? 1 : 0, at, biasAt ?? 0];
  rt.dispatch(key, code, own ? [y, h0, out] : buffers, meta, grid(G * H * H));
}

/** xw [T, N, 4H], h0, c0 [N, H], W_hh [4H, H] → the packed output. */
export function lstmSequenceKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([xw, h0, c0, w], attrs) => {
    wgslType(xw.dtype);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const n = h0.shape[0] * H;
    const [buffer, result] = output(rt, [6 * T * n], xw.dtype);
    if (n === 0) return result;
    const code = (): string => `${bindings([['x', 'f32'], ['h0', 'f32'], ['c0', 'f32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(5)}
${MATH}
${ELEMENT_MAIN}
${FORWARD_STEP_META}
  var pre = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
  for (var q = 0u; q < 4u; q++) {
    let row = (q * H + j) * H;
    var s = x[t * 4u * n + b * 4u * H + q * H + j];
    ${HIDDEN_DOT}
    pre[q] = s;
  }
  let ig = sigmoidF(pre[0]); let fg = sigmoidF(pre[1]); let gg = tanhF(pre[2]); let og = sigmoidF(pre[3]);
  let cPrev = select(o[(T + p) * n + i], c0[i], first);
  let cn = fg * cPrev + ig * gg;
  o[t * n + i] = og * tanhF(cn);
  o[(T + t) * n + i] = cn;
  let a = 2u * T * n + t * 4u * n + b * 4u * H + j;
  o[a] = ig; o[a + H] = fg; o[a + 2u * H] = gg; o[a + 3u * H] = og;
}`;
    forwardSteps(rt, 'lstmSequence', code, [bufferOf(xw), bufferOf(h0), bufferOf(c0), bufferOf(w), buffer], T, n, H, attrs.reverse as boolean);
    return result;
  };
}

/** grad of the states, the states, the activated gates, h0, c0, W_hh → [grad xw | grad h0 | grad c0 | grad W_hh], flat. */
export function lstmSequenceBackwardKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([g, y, acts, h0, c0, w], attrs) => {
    wgslType(g.dtype);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const reverse = attrs.reverse as boolean;
    const N = h0.shape[0];
    const n = N * H;
    const [buffer, result] = output(rt, [4 * T * n + 2 * n + 4 * H * H], g.dtype);
    if (n === 0) return result;
    // One step back: grad h from this step's output gradient and the next step's gate gradients · W_hh.
    const step = (): string => `${bindings([['gr', 'f32'], ['y', 'f32'], ['acts', 'f32'], ['c0', 'f32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(6)}
${MATH}
${ELEMENT_MAIN}
${BACKWARD_STEP_META}
  var gh = gr[t * n + i];
  if (hasNext) {
    for (var k = 0u; k < 4u * H; k++) { gh += o[tn * 4u * n + b * 4u * H + k] * w[k * H + j]; }
  }
  let carry = 4u * T * n + n + i;
  let gc = gr[(T + t) * n + i] + select(0.0, o[carry], hasNext);
  let d = t * 4u * n + b * 4u * H + j;
  let ig = acts[d]; let fg = acts[d + H]; let gg = acts[d + 2u * H]; let og = acts[d + 3u * H];
  let tc = tanhF(y[(T + t) * n + i]);
  let cPrev = select(y[(T + p) * n + i], c0[i], first);
  let dc = gc + gh * og * (1.0 - tc * tc);
  o[d] = dc * gg * ig * (1.0 - ig);
  o[d + H] = dc * cPrev * fg * (1.0 - fg);
  o[d + 2u * H] = dc * ig * (1.0 - gg * gg);
  o[d + 3u * H] = gh * tc * og * (1.0 - og);
  o[carry] = dc * fg;
}`;
    const next = backwardSteps(rt, 'lstmSequenceBackward', step, [bufferOf(g), bufferOf(y), bufferOf(acts), bufferOf(c0), bufferOf(w), buffer], T, n, H, reverse);
    // grad h0 = the first step's gate gradients · W_hh (grad c0 is already the carry); then grad W_hh.
    gradH0(rt, 'lstmSequenceGradH0', 4, bufferOf(w), buffer, buffer, [n, H, next, T], false);
    gradWeight(rt, 'lstmSequenceGradW', 4, [bufferOf(y), bufferOf(h0), buffer, buffer], T, N, H, reverse, 4 * T * n + 2 * n, null);
    return result;
  };
}

// The whole-sequence GRU (gruSequence of @backprop/tensor), in the cpu kernels' packed layout (every step's
// h [T·N·H], then per step and row r, z, n and a_n [T·N·4H]): one dispatch a step, one thread per hidden
// unit of each row doing its three dot products with W_hh and its cell. The backward pass keeps each step's
// gradient of a = h·W_hhᵀ + b_hh in a scratch buffer for the weight gradients, and the part of grad h that
// skips W_hh (dh·z) in the output's grad-h0 slot.

/** xw [T, N, 3H], h0 [N, H], W_hh [3H, H], b_hh [3H] → the packed output. */
export function gruSequenceKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([xw, h0, w, bias], attrs) => {
    wgslType(xw.dtype);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const n = h0.shape[0] * H;
    const [buffer, result] = output(rt, [5 * T * n], xw.dtype);
    if (n === 0) return result;
    const code = (): string => `${bindings([['x', 'f32'], ['h0', 'f32'], ['w', 'f32'], ['bias', 'f32'], ['o', 'f32']])}
${metaBinding(5)}
${MATH}
${ELEMENT_MAIN}
${FORWARD_STEP_META}
  var a = array<f32, 3>(0.0, 0.0, 0.0);
  for (var q = 0u; q < 3u; q++) {
    let row = (q * H + j) * H;
    var s = bias[q * H + j];
    ${HIDDEN_DOT}
    a[q] = s;
  }
  let xr = t * 3u * n + b * 3u * H + j;
  let r = sigmoidF(x[xr] + a[0]);
  let z = sigmoidF(x[xr + H] + a[1]);
  let nn = tanhF(x[xr + 2u * H] + r * a[2]);
  let hp = select(o[p * n + i], h0[i], first);
  o[t * n + i] = nn + z * (hp - nn);
  let sv = T * n + t * 4u * n + b * 4u * H + j;
  o[sv] = r; o[sv + H] = z; o[sv + 2u * H] = nn; o[sv + 3u * H] = a[2];
}`;
    forwardSteps(rt, 'gruSequence', code, [bufferOf(xw), bufferOf(h0), bufferOf(w), bufferOf(bias), buffer], T, n, H, attrs.reverse as boolean);
    return result;
  };
}

/** grad of the states, the states, the saved gates, h0, W_hh → [grad xw | grad h0 | grad W_hh | grad b_hh], flat. */
export function gruSequenceBackwardKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([g, y, sv, h0, w], attrs) => {
    wgslType(g.dtype);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const reverse = attrs.reverse as boolean;
    const N = h0.shape[0];
    const n = N * H;
    const [buffer, result] = output(rt, [3 * T * n + n + 3 * H * H + 3 * H], g.dtype);
    if (n === 0) return result;
    const dA = rt.alloc(3 * T * n);
    // One step back: grad h from this step's output gradient, the carried dh·z and the next step's grad a · W_hh.
    const step = (): string => `${bindings([['gr', 'f32'], ['y', 'f32'], ['sv', 'f32'], ['h0', 'f32'], ['w', 'f32']], false)}
@group(0) @binding(5) var<storage, read_write> dA: array<f32>;
@group(0) @binding(6) var<storage, read_write> o: array<f32>;
${metaBinding(7)}
${MATH}
${ELEMENT_MAIN}
${BACKWARD_STEP_META}
  let carry = 3u * T * n + i;
  var dh = gr[t * n + i];
  if (hasNext) {
    var s = o[carry];
    for (var k = 0u; k < 3u * H; k++) { s += dA[tn * 3u * n + b * 3u * H + k] * w[k * H + j]; }
    dh += s;
  }
  let at = t * 4u * n + b * 4u * H + j;
  let r = sv[at]; let z = sv[at + H]; let nn = sv[at + 2u * H]; let an = sv[at + 3u * H];
  let hp = select(y[p * n + i], h0[i], first);
  let dn = dh * (1.0 - z);
  let dz = dh * (hp - nn);
  let dnPre = dn * (1.0 - nn * nn);
  let dr = dnPre * an;
  let dan = dnPre * r;
  let drPre = dr * r * (1.0 - r);
  let dzPre = dz * z * (1.0 - z);
  let d = t * 3u * n + b * 3u * H + j;
  o[d] = drPre; o[d + H] = dzPre; o[d + 2u * H] = dnPre;
  dA[d] = drPre; dA[d + H] = dzPre; dA[d + 2u * H] = dan;
  o[carry] = dh * z;
}`;
    const next = backwardSteps(rt, 'gruSequenceBackward', step, [bufferOf(g), bufferOf(y), bufferOf(sv), bufferOf(h0), bufferOf(w), dA, buffer], T, n, H, reverse);
    // grad h0 = the carried dh·z + the first step's grad a · W_hh; then grad W_hh and grad b_hh.
    gradH0(rt, 'gruSequenceGradH0', 3, bufferOf(w), dA, buffer, [n, H, next, T], true);
    const dW = 3 * T * n + n;
    gradWeight(rt, 'gruSequenceGradW', 3, [bufferOf(y), bufferOf(h0), dA, buffer], T, N, H, reverse, dW, dW + 3 * H * H);
    rt.release(dA);
    return result;
  };
}
