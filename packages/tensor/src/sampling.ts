import { DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import { checkTensor } from './ops/operand.js';
import { softmax } from './ops/softmax.js';
import { permute, reshape } from './ops/shape-ops.js';
import { cast } from './ops/cast.js';
import { isFloat } from './dtype.js';
import { getDefaultGenerator, type Generator } from './random.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Options of the sampling functions. @example multinomial(w, 3, true, { generator: new Generator(0) }) */
export interface SamplingOptions {
  /** Where the numbers come from; the default generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

/** Checks one row of category weights: finite, non-negative, with a positive sum. */
function checkWeights(op: string, w: ArrayLike<number>, offset: number, k: number, row: number): number {
  let total = 0;
  for (let c = 0; c < k; c++) {
    const v = w[offset + c];
    if (!(v >= 0) || v === Infinity) throw new ValueError(op, `weight ${v} of row ${row}, category ${c} must be finite and non-negative`);
    total += v;
  }
  if (!(total > 0)) throw new ValueError(op, `the weights of row ${row} sum to ${total}; at least one must be positive`);
  return total;
}

/** The category whose cumulative weight first exceeds u·total (zero-weight categories are never picked). */
function draw(w: ArrayLike<number>, offset: number, k: number, total: number, g: Generator, skip?: Uint8Array): number {
  const target = g.random() * total;
  let acc = 0;
  let last = -1;
  for (let c = 0; c < k; c++) {
    const v = skip?.[c] ? 0 : w[offset + c];
    if (v <= 0) continue;
    acc += v;
    last = c;
    if (acc > target) return c;
  }
  // Rounding can leave the target at the very top of the last interval.
  return last;
}

/**
 * Draws `numSamples` category indices (int32) from each row of non-negative `weights` ([k] or [batch, k];
 * they need not sum to 1), as `torch.multinomial`. Without `replacement` (the default) each row's draws are
 * distinct, so `numSamples` must not exceed its number of positive weights.
 *
 * @example
 * multinomial(tensor([0.1, 0.6, 0.3]), 4, true, { generator: new Generator(0) }); // e.g. [1, 2, 1, 1]
 */
export function multinomial(weights: Tensor, numSamples: number, replacement = false, options: SamplingOptions = {}): Tensor {
  checkTensor('multinomial', weights);
  if (weights.rank !== 1 && weights.rank !== 2) {
    throw new ShapeError('multinomial', `weights must be 1-d or 2-d, got shape ${fmtShape(weights.shape)}`);
  }
  if (!Number.isInteger(numSamples) || numSamples <= 0) {
    throw new ValueError('multinomial', `numSamples must be a positive integer, got ${numSamples}`);
  }
  const g = options.generator ?? getDefaultGenerator();
  const rows = weights.rank === 1 ? 1 : weights.shape[0];
  const k = weights.shape[weights.rank - 1];
  const w = weights.dataSync();
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const offset = r * k;
    let total = checkWeights('multinomial', w, offset, k, r);
    if (replacement) {
      for (let s = 0; s < numSamples; s++) out[r * numSamples + s] = draw(w, offset, k, total, g);
      continue;
    }
    let positive = 0;
    for (let c = 0; c < k; c++) if (w[offset + c] > 0) positive++;
    if (numSamples > positive) {
      throw new ValueError('multinomial', `cannot draw ${numSamples} distinct categories without replacement: row ${r} has only ${positive} positive weight(s)`);
    }
    // Draw one at a time from what is left, renormalizing: each draw removes its category.
    const taken = new Uint8Array(k);
    for (let s = 0; s < numSamples; s++) {
      const c = draw(w, offset, k, total, g, taken);
      out[r * numSamples + s] = c;
      taken[c] = 1;
      total = 0;
      for (let j = 0; j < k; j++) if (!taken[j]) total += w[offset + j];
    }
  }
  return new Tensor(out, weights.rank === 1 ? [numSamples] : [rows, numSamples], 'int32');
}

/** Categorical distributions over the last axis, given by probabilities or by logits (unnormalized log-probabilities). */
export type CategoricalParams = { probs: Tensor; logits?: undefined } | { logits: Tensor; probs?: undefined };

/**
 * Samples category indices (int32) from categorical distributions over the last axis, as
 * `torch.distributions.Categorical(probs=… | logits=…).sample(sampleShape)`: the result has shape
 * [...sampleShape, ...batch shape]. `probs` need not sum to 1; `logits` go through a softmax.
 *
 * @example
 * categorical({ logits: tensor([0, 0, 2]) }, [5], { generator: new Generator(1) }); // 5 draws, mostly 2
 */
export function categorical(params: CategoricalParams, sampleShape: readonly number[] = [], options: SamplingOptions = {}): Tensor {
  const given = params.probs ?? params.logits;
  if (given === undefined || (params.probs !== undefined && params.logits !== undefined)) {
    throw new ValueError('categorical', 'give exactly one of { probs } or { logits }');
  }
  checkTensor('categorical', given);
  if (given.rank === 0) throw new ShapeError('categorical', 'needs at least one axis of categories, got a 0-d tensor');
  if (!isFloat(given.dtype) && params.logits !== undefined) throw new DTypeError('categorical', `logits must be float, got ${given.dtype}`);
  const probs = params.logits !== undefined ? softmax(params.logits.detach(), -1) : cast(given.detach(), 'float64');
  const batch = given.shape.slice(0, -1);
  const k = given.shape[given.rank - 1];
  const n = sizeOf(sampleShape);
  const rows = sizeOf(batch);
  if (n === 0 || rows === 0) return new Tensor(new Int32Array(0), [...sampleShape, ...batch], 'int32');
  // One multinomial row per batch entry, drawn with replacement, then samples moved in front of the batch.
  const drawn = multinomial(reshape(probs, [rows, k]), n, true, options);
  return reshape(permute(drawn, [1, 0]), [...sampleShape, ...batch]);
}
