import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import type { ImportContext } from './context.js';
import type { OnnxImportRule } from './rules-basic.js';

// ONNX's recurrent operators, unrolled with tensor ops so gradients flow to W, R and B. Gate orders are
// ONNX's (LSTM i, o, f, c; GRU z, r, h), not PyTorch's: the rows of W, R and B are read in that order.
// Shapes: X [seq, batch, in] (layout 0) or [batch, seq, in] (layout 1); W [dirs, G·H, in];
// R [dirs, G·H, H]; B [dirs, 2·G·H]; outputs Y [seq, dirs, batch, H], Y_h (and LSTM's Y_c) [dirs, batch, H].

type Cell = (x: Tensor, h: Tensor, c: Tensor | null, W: Tensor, R: Tensor, Wb: Tensor | null, Rb: Tensor | null) => [Tensor, Tensor | null];

const gate = (m: Tensor, k: number, H: number): Tensor => T.narrow(m, 1, k * H, H);

function lstmCell(H: number): Cell {
  return (x, h, c, W, R, Wb, Rb) => {
    let z = x.matmul(W.transpose(0, 1)).add(h.matmul(R.transpose(0, 1)));
    if (Wb) z = z.add(Wb).add(Rb!);
    const i = gate(z, 0, H).sigmoid();
    const o = gate(z, 1, H).sigmoid();
    const f = gate(z, 2, H).sigmoid();
    const g = gate(z, 3, H).tanh();
    const cNext = f.mul(c!).add(i.mul(g));
    return [o.mul(cNext.tanh()), cNext];
  };
}

function gruCell(H: number, linearBeforeReset: boolean): Cell {
  return (x, h, _c, W, R, Wb, Rb) => {
    let xw = x.matmul(W.transpose(0, 1));
    if (Wb) xw = xw.add(Wb);
    const Rzr = T.narrow(R, 0, 0, 2 * H);
    const Rh = T.narrow(R, 0, 2 * H, H);
    let hr = h.matmul(Rzr.transpose(0, 1));
    if (Rb) hr = hr.add(T.narrow(Rb, 0, 0, 2 * H));
    const z = gate(xw, 0, H).add(gate(hr, 0, H)).sigmoid();
    const r = gate(xw, 1, H).add(gate(hr, 1, H)).sigmoid();
    const Rbh = Rb ? T.narrow(Rb, 0, 2 * H, H) : null;
    const candidate = linearBeforeReset
      ? gate(xw, 2, H).add(r.mul(Rbh ? h.matmul(Rh.transpose(0, 1)).add(Rbh) : h.matmul(Rh.transpose(0, 1))))
      : gate(xw, 2, H).add((Rbh ? r.mul(h).matmul(Rh.transpose(0, 1)).add(Rbh) : r.mul(h).matmul(Rh.transpose(0, 1))));
    const hTilde = candidate.tanh();
    return [z.neg().add(1).mul(hTilde).add(z.mul(h)), null];
  };
}

function rnnCell(activation: (t: Tensor) => Tensor): Cell {
  return (x, h, _c, W, R, Wb, Rb) => {
    let z = x.matmul(W.transpose(0, 1)).add(h.matmul(R.transpose(0, 1)));
    if (Wb) z = z.add(Wb).add(Rb!);
    return [activation(z), null];
  };
}

function recurrent(gates: number, makeCell: (H: number, ctx: ImportContext) => Cell, hasCell: boolean): OnnxImportRule {
  return (inputs, ctx) => {
    const layout = ctx.int('layout', 0);
    let x = inputs[0] ?? ctx.fail('input X is required');
    if (layout === 1) x = x.transpose(0, 1);
    const W = inputs[1] ?? ctx.fail('input W is required');
    const R = inputs[2] ?? ctx.fail('input R is required');
    const B = inputs[3];
    if (inputs[4]) {
      const lens = Array.from(inputs[4].dataSync(), Number);
      if (lens.some((l) => l !== x.shape[0])) ctx.fail('sequence_lens shorter than the sequence are not supported');
    }
    const H = ctx.int('hidden_size', R.shape[2]);
    const direction = ctx.string('direction', 'forward');
    const dirs = direction === 'bidirectional' ? 2 : 1;
    const [seq, batch] = x.shape;
    const cell = makeCell(H, ctx);
    const ys: Tensor[] = [];
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const reverse = direction === 'reverse' || d === 1;
      const Wd = W.narrow(0, d, 1).squeeze(0);
      const Rd = R.narrow(0, d, 1).squeeze(0);
      const Bd = B ? B.narrow(0, d, 1).squeeze(0) : null;
      const Wb = Bd ? T.narrow(Bd, 0, 0, gates * H) : null;
      const Rb = Bd ? T.narrow(Bd, 0, gates * H, gates * H) : null;
      const initial = (k: number): Tensor => {
        const given = inputs[k];
        if (!given) return T.zeros([batch, H], { dtype: x.dtype });
        return (layout === 1 ? given.transpose(0, 1) : given).narrow(0, d, 1).squeeze(0);
      };
      let h = initial(5);
      let c = hasCell ? initial(6) : null;
      const steps: Tensor[] = new Array<Tensor>(seq);
      for (let s = 0; s < seq; s++) {
        const t = reverse ? seq - 1 - s : s;
        [h, c] = cell(x.narrow(0, t, 1).squeeze(0), h, c, Wd, Rd, Wb, Rb);
        steps[t] = h;
      }
      ys.push(T.stack(steps, 0));
      hs.push(h);
      if (c) cs.push(c);
    }
    let Y = T.stack(ys, 1);
    let Yh = T.stack(hs, 0);
    let Yc = hasCell ? T.stack(cs, 0) : null;
    if (layout === 1) {
      Y = Y.permute([2, 0, 1, 3]);
      Yh = Yh.transpose(0, 1);
      Yc = Yc?.transpose(0, 1) ?? null;
    }
    return hasCell ? [Y, Yh, Yc] : [Y, Yh];
  };
}

const ACTIVATIONS: Record<string, (t: Tensor) => Tensor> = { Tanh: T.tanh, Relu: T.relu, Sigmoid: T.sigmoid };

function checkActivations(ctx: ImportContext, expected: string[]): void {
  const raw = ctx.node.attribute?.find((a) => a.name === 'activations')?.strings;
  if (!raw) return;
  const names = raw.map((s) => new TextDecoder().decode(s));
  const n = expected.length;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== expected[i % n]) ctx.fail(`activations [${names.join(', ')}] are not supported (only the defaults ${expected.join(', ')})`);
  }
}

export const RECURRENT_RULES: Record<string, OnnxImportRule> = {
  LSTM: recurrent(4, (H, ctx) => {
    checkActivations(ctx, ['Sigmoid', 'Tanh', 'Tanh']);
    if (ctx.int('input_forget', 0) !== 0) ctx.fail('input_forget = 1 is not supported');
    return lstmCell(H);
  }, true),
  GRU: recurrent(3, (H, ctx) => {
    checkActivations(ctx, ['Sigmoid', 'Tanh']);
    return gruCell(H, ctx.int('linear_before_reset', 0) === 1);
  }, false),
  RNN: recurrent(1, (_H, ctx) => {
    const raw = ctx.node.attribute?.find((a) => a.name === 'activations')?.strings;
    const name = raw ? new TextDecoder().decode(raw[0]) : 'Tanh';
    const activation = ACTIVATIONS[name] ?? ctx.fail(`activation '${name}' is not supported (Tanh, Relu, Sigmoid are)`);
    return rnnCell(activation);
  }, false),
};
