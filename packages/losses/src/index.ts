/**
 * @backprop/losses: loss functions with PyTorch's names, defaults and formulas, computed stably
 * (log-sum-exp cross-entropy, softplus-based BCE on logits), regularization penalties, and a registry that
 * builds a loss from a config.
 *
 * @packageDocumentation
 */
export { type Reduction, type ReductionOptions } from './reduction.js';
export {
  mseLoss,
  l1Loss,
  huberLoss,
  smoothL1Loss,
  type HuberLossOptions,
  type SmoothL1LossOptions,
} from './regression.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './binary-cross-entropy.js';
export { hingeLoss, multiMarginLoss, type HingeLossOptions, type MultiMarginLossOptions } from './margin.js';
export { crossEntropy, type CrossEntropyOptions } from './cross-entropy.js';
export { nllLoss, type NllLossOptions } from './nll-loss.js';
export { klDiv, type KlDivOptions, type KlDivReduction } from './kl-div.js';
export {
  tripletMarginLoss,
  marginRankingLoss,
  cosineEmbeddingLoss,
  type TripletMarginLossOptions,
  type MarginRankingLossOptions,
  type CosineEmbeddingLossOptions,
} from './pairwise.js';
export { poissonNllLoss, gaussianNllLoss, type PoissonNllLossOptions, type GaussianNllLossOptions } from './likelihood.js';
export { ctcLoss, type CtcLossOptions } from './ctc.js';
export {
  negativeSamplingLoss,
  sampledSoftmaxLoss,
  nceLoss,
  type SampledSoftmaxLossOptions,
  type NceLossOptions,
} from './sampled.js';
export {
  buildHuffmanTree,
  hierarchicalSoftmaxLoss,
  hierarchicalSoftmaxLogProbs,
  HierarchicalSoftmax,
  type HuffmanTree,
  type HierarchicalSoftmaxOptions,
} from './hierarchical-softmax.js';
export { l1Penalty, l2Penalty } from './penalties.js';
export { lossFromConfig, listLosses, type LossConfig, type LossFunction } from './registry.js';
