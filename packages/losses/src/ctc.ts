import {
  DTypeError, ShapeError, Tensor, ValueError, add, div, fmtShape, full, gather, gt, logSumExp, mean, neg, pad, reshape, slice, stack,
  sum, tensor, unsqueeze, where,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, type ReductionOptions } from './reduction.js';

export const CTC_OPTIONS: OptionSpec = { reduction: REDUCTIONS, blank: 'integer', zeroInfinity: 'boolean' };

// Log-probability of an impossible alignment. A finite stand-in for −∞ keeps log-sum-exp's gradient finite
// where every term is impossible (−∞ − (−∞) would be NaN); results below IMPOSSIBLE/2 are reported as ∞.
const IMPOSSIBLE = -1e30;

export interface CtcLossOptions extends ReductionOptions {
  /** The class index of the blank (default 0). */
  blank?: number;
  /** Report an impossible alignment (input too short for its target) as loss 0 with gradient 0, instead of ∞ (default false). */
  zeroInfinity?: boolean;
}

/** The lengths as plain integers: a tensor (read for indexing only) or an array. */
function lengthsOf(loss: string, role: string, lengths: unknown, count: number): number[] {
  const values = lengths instanceof Tensor ? Array.from(lengths.dataSync(), Number) : typeof lengths === 'number' ? [lengths] : lengths;
  if (!Array.isArray(values) || values.length !== count || values.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new ValueError(loss, `${role} must hold ${count} non-negative integers (one per sequence), got ${lengths instanceof Tensor ? `a tensor of shape ${fmtShape(lengths.shape)}` : JSON.stringify(lengths)}`);
  }
  return values as number[];
}

/** Each sequence's target labels, from a padded [N, S] tensor or the concatenation of all of them. */
function targetRows(loss: string, targets: Tensor, lengths: number[], batched: boolean): number[][] {
  const values = Array.from(targets.dataSync(), Number);
  if (batched && targets.rank === 1) {
    const total = lengths.reduce((a, b) => a + b, 0);
    if (values.length !== total) {
      throw new ShapeError(loss, `concatenated targets hold ${values.length} labels but targetLengths add up to ${total}`);
    }
    let start = 0;
    return lengths.map((n) => values.slice(start, (start += n)));
  }
  const width = targets.shape[targets.rank - 1];
  return lengths.map((n, i) => {
    if (n > width) throw new ValueError(loss, `targetLengths[${i}] is ${n} but the padded targets hold only ${width} labels per sequence`);
    return values.slice(i * width, i * width + n);
  });
}

/**
 * The connectionist temporal classification loss (Graves et al., 2006), as `F.ctc_loss`: the negative
 * log-probability of a target label sequence summed over every alignment of it to the input frames, where an
 * alignment repeats labels and inserts blanks (repeated labels need a blank between them). `logProbs` are
 * per-frame log-probabilities of shape [T, N, C] (or unbatched [T, C]), normally `logSoftmax(x, 2)`;
 * `targets` are int32 labels, padded [N, S] or concatenated [Σ targetLengths] (unbatched: [S]), never the
 * blank; `inputLengths` and `targetLengths` give each sequence's frames (≤ T) and labels (int32 tensors or
 * arrays). Reductions: `'mean'` (default) divides each loss by its target length (at least 1) and averages
 * over the batch, as PyTorch; `'sum'`; `'none'` gives [N]. Defaults: `blank` 0, `zeroInfinity` false.
 *
 * Computed with the forward (α) recursion in log space through tensor ops, so its gradient is exact and
 * itself differentiable. PyTorch's own backward returns the gradient with respect to the logits of a
 * log-softmax (it adds e^logProbs), which equals this one once propagated through `logSoftmax`; an
 * impossible alignment gets gradient 0 here, with or without `zeroInfinity`.
 *
 * @example
 * const logProbs = logSoftmax(randn([12, 2, 5]), 2);  // 12 frames, batch 2, 4 labels + blank
 * const loss = ctcLoss(logProbs, tensor([[1, 2, 2], [3, 1, 0]], 'int32'), [12, 10], [3, 2]);
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Tensor | readonly number[] | number,
  targetLengths: Tensor | readonly number[] | number,
  options: CtcLossOptions = {},
): Tensor {
  const loss = 'ctcLoss';
  checkOptions(loss, options, CTC_OPTIONS);
  const lp = checkIsTensor(loss, 'logProbs', logProbs);
  checkFloat(loss, 'logProbs', lp);
  if (lp.rank !== 3 && lp.rank !== 2) {
    throw new ShapeError(loss, `logProbs has shape ${fmtShape(lp.shape)}; expected [T, N, C] (or unbatched [T, C])`);
  }
  const batched = lp.rank === 3;
  const x = batched ? lp : unsqueeze(lp, 1);
  const [frames, batch, classes] = x.shape;
  const y = checkIsTensor(loss, 'targets', targets);
  if (y.dtype !== 'int32') throw new DTypeError(loss, `targets must be int32 labels, got ${y.dtype}`);
  if (batched ? !(y.rank === 1 || (y.rank === 2 && y.shape[0] === batch)) : y.rank !== 1) {
    throw new ShapeError(loss, `targets have shape ${fmtShape(y.shape)}; expected ${batched ? `[${batch}, S] or concatenated [Σ targetLengths]` : '[S]'}`);
  }
  const blank = options.blank ?? 0;
  if (!(blank >= 0 && blank < classes)) throw new ValueError(loss, `blank ${blank} is not a class of logProbs, expected 0 ≤ blank < ${classes}`);
  const inLengths = lengthsOf(loss, 'inputLengths', inputLengths, batch);
  const bad = inLengths.findIndex((n) => n > frames);
  if (bad >= 0) throw new ValueError(loss, `inputLengths[${bad}] is ${inLengths[bad]} but logProbs has ${frames} frames`);
  const rows = targetRows(loss, y, lengthsOf(loss, 'targetLengths', targetLengths, batch), batched);
  for (const [n, row] of rows.entries()) {
    const k = row.findIndex((c) => !(c >= 0 && c < classes) || c === blank);
    if (k >= 0) throw new ValueError(loss, `target ${n} holds label ${row[k]} at ${k}; expected classes in [0, ${classes}) other than the blank ${blank}`);
  }

  const perSequence = ctcNegLogLikelihood(x, rows, inLengths, blank, options.zeroInfinity ?? false);
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'none') return batched ? perSequence : reshape(perSequence, []);
  if (reduction === 'sum') return sum(perSequence);
  const divisors = tensor(Float64Array.from(rows, (r) => Math.max(r.length, 1)), [batch], x.dtype);
  return mean(div(perSequence, divisors));
}

/** −log p(target | input) per sequence by the α recursion over the blank-extended targets l′ (length 2S + 1). */
function ctcNegLogLikelihood(x: Tensor, rows: number[][], inLengths: number[], blank: number, zeroInfinity: boolean): Tensor {
  const [frames, batch] = x.shape;
  const width = 2 * Math.max(0, ...rows.map((r) => r.length)) + 1;
  const extended = rows.map((r) => Array.from({ length: width }, (_, s) => (s % 2 === 1 && (s - 1) / 2 < r.length ? r[(s - 1) / 2] : blank)));
  // Emissions e[t, n, s] = logProbs[t, n, l′ₙ[s]], gathered once.
  const index = new Int32Array(frames * batch * width);
  for (let i = 0; i < index.length; i++) index[i] = extended[Math.floor(i / width) % batch][i % width];
  const emissions = gather(x, 2, tensor(index, [frames, batch, width], 'int32'));
  const constant = (value: (n: number, s: number) => number) =>
    tensor(Float64Array.from({ length: batch * width }, (_, i) => value(Math.floor(i / width), i % width)), [batch, width], x.dtype);
  // A skip from s − 2 is allowed onto a label that differs from the label two back (not onto blanks).
  const skip = constant((n, s) => (s >= 2 && s % 2 === 1 && extended[n][s] !== extended[n][s - 2] ? 0 : IMPOSSIBLE));
  const start = constant((n, s) => (s === 0 || (s === 1 && rows[n].length > 0) ? 0 : IMPOSSIBLE));
  const frame = (t: number) => reshape(slice(emissions, 0, t, t + 1), [batch, width]);

  let alpha = add(frame(0), start);
  for (let t = 1; t < frames; t++) {
    const stay = alpha;
    const step = slice(pad(alpha, [1, 0], 'constant', IMPOSSIBLE), 1, 0, width);
    const jump = add(slice(pad(alpha, [2, 0], 'constant', IMPOSSIBLE), 1, 0, width), skip);
    const next = add(logSumExp(stack([stay, step, jump], 0), 0), frame(t));
    // Sequences shorter than t frames keep their final α.
    const running = tensor(Uint8Array.from(inLengths, (n) => (t < n ? 1 : 0)), [batch, 1], 'bool');
    alpha = where(running, next, alpha);
  }
  // The path ends on the last label or on the blank after it.
  const ends = new Int32Array(batch * 2);
  rows.forEach((r, n) => {
    ends[2 * n] = 2 * r.length;
    ends[2 * n + 1] = Math.max(2 * r.length - 1, 0);
  });
  const endMask = tensor(Float64Array.from({ length: batch * 2 }, (_, i) => (i % 2 === 1 && rows[i >> 1].length === 0 ? IMPOSSIBLE : 0)), [batch, 2], x.dtype);
  const nll = neg(logSumExp(add(gather(alpha, 1, tensor(ends, [batch, 2], 'int32')), endMask), 1));
  const worst = zeroInfinity ? 0 : Infinity;
  const result = where(gt(nll, -IMPOSSIBLE / 2), full([batch], worst, { dtype: x.dtype }), nll);
  // With no frames the recursion above does not apply: the empty target has probability 1, any other 0.
  if (!inLengths.includes(0)) return result;
  const emptyInput = tensor(Uint8Array.from(inLengths, (n) => (n === 0 ? 1 : 0)), [batch], 'bool');
  const emptyValue = tensor(Float64Array.from(rows, (r) => (r.length === 0 ? 0 : worst)), [batch], x.dtype);
  return where(emptyInput, emptyValue, result);
}
