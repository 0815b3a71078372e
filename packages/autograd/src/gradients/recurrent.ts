import { add, concat, isGradEnabled, matmul, mul, narrow, reshape, runKernel, sigmoid, stack, sub, sum, tanh, wrap, type Tensor } from '@backprop/tensor';
import { registerGradient } from '../registry.js';

/** The [rows, cols] block of a flat lstmCell / lstmSequence output or gradient at `start`. */
const block = (t: Tensor, start: number, rows: number, cols: number): Tensor => reshape(narrow(t, 0, start, rows * cols), [rows, cols]);

/**
 * One LSTM cell's backward pass composed of differentiable ops (for a recorded backward): from the
 * gradients of h', c' and of the activated gates (null: none), those gates `[N, 4H]`, c' and the previous
 * c, the gradients of the pre-activation gates and of the previous c.
 */
function cellGradient(gh: Tensor, gc: Tensor, gActs: Tensor | null, acts: Tensor, cNew: Tensor, cPrev: Tensor): [Tensor, Tensor] {
  const [i, f, gg, o] = acts.chunk(4, 1);
  const plus = (d: Tensor, k: number): Tensor => (gActs ? add(d, gActs.chunk(4, 1)[k]) : d);
  const tc = tanh(cNew);
  const dc = add(gc, mul(mul(gh, o), sub(1, mul(tc, tc))));
  const sigmoidGrad = (d: Tensor, s: Tensor): Tensor => mul(d, mul(s, sub(1, s)));
  const gates = concat([
    sigmoidGrad(plus(mul(dc, gg), 0), i),
    sigmoidGrad(plus(mul(dc, cPrev), 1), f),
    mul(plus(mul(dc, i), 2), sub(1, mul(gg, gg))),
    sigmoidGrad(plus(mul(gh, tc), 3), o),
  ], 1);
  return [gates, mul(dc, f)];
}

/** The sizes and direction of a recurrent sequence op, from its attrs and its initial state h0. */
function sequenceGeometry(attrs: Record<string, unknown>, h0: Tensor) {
  const T = attrs.steps as number;
  const H = attrs.hidden as number;
  const reverse = attrs.reverse as boolean;
  const N = h0.shape[0];
  /** The step taken s-th and the one whose state it reads. */
  const order = (s: number): [number, number] => {
    const t = reverse ? T - 1 - s : s;
    return [t, reverse ? t + 1 : t - 1];
  };
  return { T, H, N, n: N * H, order, kernelAttrs: { steps: T, hidden: H, reverse } };
}

// lstmCell's output is flat: h' [N·H], c' [N·H], then the activated gates [N, 4H] (see ops/lstm-cell.ts).
// lstmSequence's holds every step's h [T·N·H], then every step's c [T·N·H], and gives its activated gates
// [T·N·4H] in attrs.gates; gruSequence's holds every step's h [T·N·H], and gives per step and row r, z, n
// and a_n [T·N·4H] in attrs.gates. The gates are not outputs, so the recorded backward recomputes them
// with differentiable ops from the inputs and the states.
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
    const part = (t: Tensor, start: number, cols: number) => block(t, start, N, cols);
    return cellGradient(part(g, 0, H), part(g, n, H), part(g, 2 * n, 4 * H), part(output, 2 * n, 4 * H), part(output, n, H), c);
  });

  registerGradient('lstmSequence', (g, { inputs: [xw, h0, c0, weightHh], output, attrs }) => {
    const { T, H, N, n, order, kernelAttrs } = sequenceGeometry(attrs, h0);
    if (!isGradEnabled() && g.dtype === output.dtype) {
      // One backward kernel: [grad xw (T·N·4H) | grad h0 (N·H) | grad c0 (N·H) | grad W_hh (4H·H)].
      const packed = wrap(runKernel('lstmSequenceBackward', [g, output, attrs.gates as Tensor, h0, c0, weightHh], kernelAttrs));
      const gates = 4 * T * n;
      return [reshape(narrow(packed, 0, 0, gates), [T, N, 4 * H]), block(packed, gates, N, H), block(packed, gates + n, N, H), block(packed, gates + 2 * n, 4 * H, H)];
    }
    // Recorded (createGraph): back through time with differentiable ops on the inputs and the forward's states.
    const part = (t: Tensor, start: number, cols: number) => block(t, start, N, cols);
    const flatXw = xw.reshape([T * n * 4]);
    const gateGrads = new Array<Tensor>(T);
    let dh: Tensor | null = null;
    let dc: Tensor | null = null;
    let dW: Tensor | null = null;
    for (let s = T - 1; s >= 0; s--) {
      const [t, p] = order(s);
      const hPrev = s === 0 ? h0 : part(output, p * n, H);
      const cPrev = s === 0 ? c0 : part(output, (T + p) * n, H);
      const gh = dh ? add(part(g, t * n, H), dh) : part(g, t * n, H);
      const gc = dc ? add(part(g, (T + t) * n, H), dc) : part(g, (T + t) * n, H);
      const [i, f, gg, o] = add(part(flatXw, t * 4 * n, 4 * H), matmul(hPrev, weightHh, false, true)).chunk(4, 1);
      const acts = concat([sigmoid(i), sigmoid(f), tanh(gg), sigmoid(o)], 1);
      const [dG, dcPrev] = cellGradient(gh, gc, null, acts, part(output, (T + t) * n, H), cPrev);
      gateGrads[t] = dG;
      dc = dcPrev;
      dh = matmul(dG, weightHh);
      const w = matmul(dG, hPrev, true, false);
      dW = dW ? add(dW, w) : w;
    }
    return [stack(gateGrads, 0), dh!, dc!, dW!];
  });

  registerGradient('gruSequence', (g, { inputs: [xw, h0, weightHh, biasHh], output, attrs }) => {
    const { T, H, N, n, order, kernelAttrs } = sequenceGeometry(attrs, h0);
    if (!isGradEnabled() && g.dtype === output.dtype) {
      // One backward kernel: [grad xw (T·N·3H) | grad h0 (N·H) | grad W_hh (3H·H) | grad b_hh (3H)].
      const packed = wrap(runKernel('gruSequenceBackward', [g, output, attrs.gates as Tensor, h0, weightHh], kernelAttrs));
      const gates = 3 * T * n;
      return [
        reshape(narrow(packed, 0, 0, gates), [T, N, 3 * H]), block(packed, gates, N, H),
        block(packed, gates + n, 3 * H, H), narrow(packed, 0, gates + n + 3 * H * H, 3 * H),
      ];
    }
    // Recorded (createGraph): back through time with differentiable ops on the inputs and the forward's states.
    const part = (t: Tensor, start: number, cols: number) => block(t, start, N, cols);
    const flatXw = xw.reshape([T * n * 3]);
    const gateGrads = new Array<Tensor>(T);
    let carry: Tensor | null = null;
    let dW: Tensor | null = null;
    let db: Tensor | null = null;
    for (let s = T - 1; s >= 0; s--) {
      const [t, p] = order(s);
      const hPrev = s === 0 ? h0 : part(output, p * n, H);
      const dh = carry ? add(part(g, t * n, H), carry) : part(g, t * n, H);
      const [xr, xz, xn] = part(flatXw, t * 3 * n, 3 * H).chunk(3, 1);
      const [ar, az, an] = add(matmul(hPrev, weightHh, false, true), biasHh).chunk(3, 1);
      const r = sigmoid(add(xr, ar));
      const z = sigmoid(add(xz, az));
      const nn = tanh(add(xn, mul(r, an)));
      const dn = mul(dh, sub(1, z));
      const dz = mul(dh, sub(hPrev, nn));
      const dnPre = mul(dn, sub(1, mul(nn, nn)));
      const dr = mul(dnPre, an);
      const dan = mul(dnPre, r);
      const drPre = mul(dr, mul(r, sub(1, r)));
      const dzPre = mul(dz, mul(z, sub(1, z)));
      gateGrads[t] = concat([drPre, dzPre, dnPre], 1);
      const dA = concat([drPre, dzPre, dan], 1);
      carry = add(mul(dh, z), matmul(dA, weightHh));
      const w = matmul(dA, hPrev, true, false);
      dW = dW ? add(dW, w) : w;
      const b = sum(dA, 0);
      db = db ? add(db, b) : b;
    }
    return [stack(gateGrads, 0), carry!, dW!, db!];
  });
}
