import {
  DTypeError, ShapeError, add, concat, eq, fmtShape, indexSelect, logSumExp, matmul, mul, neg, reshape, slice, softplus, sub, sum,
  transpose, unsqueeze, where, type Tensor,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const NEGATIVE_SAMPLING_OPTIONS: OptionSpec = { reduction: REDUCTIONS };
export const SAMPLED_SOFTMAX_OPTIONS: OptionSpec = { reduction: REDUCTIONS, bias: 'tensor', logQ: 'tensor', removeAccidentalHits: 'boolean' };
export const NCE_OPTIONS: OptionSpec = { reduction: REDUCTIONS, bias: 'tensor', noiseLogProbs: 'tensor' };

// The logit of a removed accidental hit: finite, so that log-softmax and its gradient stay finite.
const REMOVED = -1e30;

/** log σ(x) = −softplus(−x), exact for every x (no threshold). */
export function logSigmoid(x: Tensor): Tensor {
  return neg(softplus(neg(x), 1, Infinity));
}

/** Throws unless `t` is a float tensor of the given rank, naming its role and the shape expected. */
function checkFloatRank(loss: string, role: string, value: unknown, rank: number, expected: string): Tensor {
  const t = checkIsTensor(loss, role, value);
  checkFloat(loss, role, t);
  if (t.rank !== rank) throw new ShapeError(loss, `${role} has shape ${fmtShape(t.shape)}; expected ${expected}`);
  return t;
}

/** Throws unless `t` is an int32 tensor of one of `ranks` holding ids in [0, size). */
function checkIds(loss: string, role: string, value: unknown, ranks: number[], size: number, expected: string): Tensor {
  const t = checkIsTensor(loss, role, value);
  if (t.dtype !== 'int32') throw new DTypeError(loss, `${role} must be int32 ids, got ${t.dtype}`);
  if (!ranks.includes(t.rank)) throw new ShapeError(loss, `${role} has shape ${fmtShape(t.shape)}; expected ${expected}`);
  const ids = t.dataSync();
  const bad = ids.findIndex((id) => !(id >= 0 && id < size));
  if (bad >= 0) throw new ShapeError(loss, `${role} holds id ${ids[bad]} at flat index ${bad}; expected ids in [0, ${size})`);
  return t;
}

/** Checks `input` [B, D] against a `weight` [V, D] table and an optional `bias` [V]. */
function checkTable(loss: string, input: unknown, weight: unknown, bias: unknown): [Tensor, Tensor, Tensor | undefined] {
  const h = checkFloatRank(loss, 'input', input, 2, 'vectors of shape [B, D]');
  const w = checkFloatRank(loss, 'weight', weight, 2, `an output table of shape [V, ${h.shape[1]}]`);
  if (w.shape[1] !== h.shape[1]) {
    throw new ShapeError(loss, `weight has shape ${fmtShape(w.shape)} but input ${fmtShape(h.shape)}; expected rows of ${h.shape[1]}`);
  }
  const b = bias === undefined ? undefined : checkFloatRank(loss, 'bias', bias, 1, `[${w.shape[0]}]`);
  if (b && b.shape[0] !== w.shape[0]) throw new ShapeError(loss, `bias has shape ${fmtShape(b.shape)}; expected [${w.shape[0]}], one per row of weight`);
  return [h, w, b];
}

/** h·w[id] (+ b[id]) for one id per row of h: [B]. */
function rowScores(h: Tensor, w: Tensor, b: Tensor | undefined, ids: Tensor): Tensor {
  const scores = sum(mul(h, indexSelect(w, 0, ids)), 1);
  return b ? add(scores, indexSelect(b, 0, ids)) : scores;
}

/** h·w[id] (+ b[id]) for ids shared by every row ([K], giving [B, K]) or given per row ([B, K]). */
function sampleScores(h: Tensor, w: Tensor, b: Tensor | undefined, ids: Tensor): Tensor {
  const flat = reshape(ids, [ids.size]);
  const scores =
    ids.rank === 1
      ? matmul(h, transpose(indexSelect(w, 0, flat)))
      : sum(mul(reshape(indexSelect(w, 0, flat), [...ids.shape, w.shape[1]]), unsqueeze(h, 1)), 2);
  if (!b) return scores;
  const bias = indexSelect(b, 0, flat);
  return add(scores, ids.rank === 1 ? bias : reshape(bias, ids.shape));
}

/**
 * word2vec's skip-gram negative-sampling loss (Mikolov et al., 2013) on input vectors v [B, D] (the centre
 * words' embeddings), the output vectors u₀ [B, D] of their true context words, and the output vectors
 * u₁…u_K [B, K, D] of K noise words each: ℓ_b = −log σ(u₀·v) − Σₖ log σ(−uₖ·v), computed as softplus, so
 * large scores stay exact. Draw the noise words from the unigram distribution raised to ¾, as word2vec.
 * `reduction` (default `'mean'`) averages over b.
 *
 * @example
 * const v = centre(ids), u = contexts(ctxIds), noise = contexts(negIds); // [B, D], [B, D], [B, K, D]
 * negativeSamplingLoss(v, u, noise).backward();
 */
export function negativeSamplingLoss(input: Tensor, positive: Tensor, negative: Tensor, options: ReductionOptions = {}): Tensor {
  const loss = 'negativeSamplingLoss';
  checkOptions(loss, options, NEGATIVE_SAMPLING_OPTIONS);
  const v = checkFloatRank(loss, 'input', input, 2, 'vectors of shape [B, D]');
  const [batch, dim] = v.shape;
  const u = checkFloatRank(loss, 'positive', positive, 2, `[${batch}, ${dim}]`);
  const noise = checkFloatRank(loss, 'negative', negative, 3, `[${batch}, K, ${dim}]`);
  if (u.shape[0] !== batch || u.shape[1] !== dim) throw new ShapeError(loss, `positive has shape ${fmtShape(u.shape)}; expected [${batch}, ${dim}]`);
  if (noise.shape[0] !== batch || noise.shape[2] !== dim) {
    throw new ShapeError(loss, `negative has shape ${fmtShape(noise.shape)}; expected [${batch}, K, ${dim}]`);
  }
  const positiveTerm = logSigmoid(sum(mul(v, u), 1));
  const negativeTerm = sum(logSigmoid(neg(sum(mul(noise, unsqueeze(v, 1)), 2))), 1);
  return reduceLoss(neg(add(positiveTerm, negativeTerm)), options.reduction ?? 'mean');
}

export interface SampledSoftmaxLossOptions extends ReductionOptions {
  /** A bias per class, shape [V] (default: none). */
  bias?: Tensor;
  /** log Q(c), the log-probability with which the sampler draws each class, shape [V]; subtracted from the logits (default: none). */
  logQ?: Tensor;
  /** Drop a sampled class equal to the row's target from that row's softmax (default true). */
  removeAccidentalHits?: boolean;
}

/**
 * The sampled softmax loss (Jean et al., 2015), as TensorFlow's `sampled_softmax_loss`: the softmax
 * cross-entropy of each target among itself and K sampled classes only, with logits zᶜ = h·w_c + b_c − log Q(c).
 * `input` h is [B, D], `weight` the output table [V, D], `target` int32 [B] and `sampled` int32 [K] (shared
 * by the batch). With `removeAccidentalHits` (default), a sampled class equal to a row's target is left out
 * of that row. ℓ_b = log Σ_{c ∈ {y_b} ∪ S} e^{z_c} − z_{y_b}; its expectation approaches the full softmax
 * loss as K grows. Defaults: no `bias`, no `logQ`, `reduction` `'mean'`.
 *
 * @example
 * sampledSoftmaxLoss(hidden, outputWeight, targets, tensor([3, 17, 42], 'int32'), { logQ });
 */
export function sampledSoftmaxLoss(
  input: Tensor,
  weight: Tensor,
  target: Tensor,
  sampled: Tensor,
  options: SampledSoftmaxLossOptions = {},
): Tensor {
  const loss = 'sampledSoftmaxLoss';
  checkOptions(loss, options, SAMPLED_SOFTMAX_OPTIONS);
  const [h, w, b] = checkTable(loss, input, weight, options.bias);
  const classes = w.shape[0];
  const y = checkIds(loss, 'target', target, [1], classes, `[${h.shape[0]}]`);
  if (y.shape[0] !== h.shape[0]) throw new ShapeError(loss, `target has shape ${fmtShape(y.shape)}; expected [${h.shape[0]}]`);
  const s = checkIds(loss, 'sampled', sampled, [1], classes, '[K]');
  const logQ = options.logQ === undefined ? undefined : checkFloatRank(loss, 'logQ', options.logQ, 1, `[${classes}]`);
  if (logQ && logQ.shape[0] !== classes) throw new ShapeError(loss, `logQ has shape ${fmtShape(logQ.shape)}; expected [${classes}]`);
  let trueLogit = rowScores(h, w, b, y);
  let sampledLogits = sampleScores(h, w, b, s);
  if (logQ) {
    trueLogit = sub(trueLogit, indexSelect(logQ, 0, y));
    sampledLogits = sub(sampledLogits, indexSelect(logQ, 0, s));
  }
  if (options.removeAccidentalHits ?? true) {
    sampledLogits = where(eq(unsqueeze(s, 0), unsqueeze(y, 1)), REMOVED, sampledLogits);
  }
  const logits = concat([unsqueeze(trueLogit, 1), sampledLogits], 1);
  return reduceLoss(sub(logSumExp(logits, 1), reshape(slice(logits, 1, 0, 1), [h.shape[0]])), options.reduction ?? 'mean');
}

export interface NceLossOptions extends ReductionOptions {
  /** log q(c), the log-probability of each class under the noise distribution, shape [V] (required). */
  noiseLogProbs?: Tensor;
  /** A bias per class, shape [V] (default: none). */
  bias?: Tensor;
}

/**
 * Noise-contrastive estimation (Gutmann & Hyvärinen, 2010; Mnih & Teh, 2012): logistic regression telling
 * the target from k noise samples, with Δ(c) = s(c) − log(k·q(c)) and s(c) = h·w_c + b_c:
 * ℓ_b = −log σ(Δ(y_b)) − Σⱼ log σ(−Δ(nⱼ)). `input` h is [B, D], `weight` [V, D], `target` int32 [B], `noise`
 * int32 [k] (shared) or [B, k] (per row), drawn from q given as `noiseLogProbs` [V]. At the optimum
 * s(c) is the log-probability of c, self-normalized. Defaults: no `bias`, `reduction` `'mean'`.
 *
 * @example
 * nceLoss(hidden, outputWeight, targets, noiseIds, { noiseLogProbs: log(unigram) });
 */
export function nceLoss(input: Tensor, weight: Tensor, target: Tensor, noise: Tensor, options: NceLossOptions = {}): Tensor {
  const loss = 'nceLoss';
  checkOptions(loss, options, NCE_OPTIONS);
  const [h, w, b] = checkTable(loss, input, weight, options.bias);
  const classes = w.shape[0];
  const y = checkIds(loss, 'target', target, [1], classes, `[${h.shape[0]}]`);
  if (y.shape[0] !== h.shape[0]) throw new ShapeError(loss, `target has shape ${fmtShape(y.shape)}; expected [${h.shape[0]}]`);
  const n = checkIds(loss, 'noise', noise, [1, 2], classes, `[k] or [${h.shape[0]}, k]`);
  if (n.rank === 2 && n.shape[0] !== h.shape[0]) throw new ShapeError(loss, `noise has shape ${fmtShape(n.shape)}; expected [k] or [${h.shape[0]}, k]`);
  if (options.noiseLogProbs === undefined) throw new ShapeError(loss, `noiseLogProbs is required: log q(c) of the noise distribution, shape [${classes}]`);
  const logQ = checkFloatRank(loss, 'noiseLogProbs', options.noiseLogProbs, 1, `[${classes}]`);
  if (logQ.shape[0] !== classes) throw new ShapeError(loss, `noiseLogProbs has shape ${fmtShape(logQ.shape)}; expected [${classes}]`);
  const logK = Math.log(n.shape[n.rank - 1]);
  const trueDelta = sub(rowScores(h, w, b, y), add(indexSelect(logQ, 0, y), logK));
  const noiseLogQ = reshape(indexSelect(logQ, 0, reshape(n, [n.size])), n.shape);
  const noiseDelta = sub(sampleScores(h, w, b, n), add(noiseLogQ, logK));
  const elements = neg(add(logSigmoid(trueDelta), sum(logSigmoid(neg(noiseDelta)), 1)));
  return reduceLoss(elements, options.reduction ?? 'mean');
}
