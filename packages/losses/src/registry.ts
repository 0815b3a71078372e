import { ValueError, type Tensor } from '@backprop/tensor';
import { BCE_OPTIONS, BCE_WITH_LOGITS_OPTIONS, binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';
import { CROSS_ENTROPY_OPTIONS, crossEntropy } from './cross-entropy.js';
import { KL_DIV_OPTIONS, klDiv } from './kl-div.js';
import { HINGE_OPTIONS, MULTI_MARGIN_OPTIONS, hingeLoss, multiMarginLoss } from './margin.js';
import { POISSON_NLL_OPTIONS, poissonNllLoss } from './likelihood.js';
import { NLL_OPTIONS, nllLoss } from './nll-loss.js';
import { checkOptions, type OptionSpec } from './options.js';
import { HUBER_OPTIONS, REDUCTION_ONLY, SMOOTH_L1_OPTIONS, huberLoss, l1Loss, mseLoss, smoothL1Loss } from './regression.js';

/** A loss as a training loop calls it: prediction first, target second. */
export type LossFunction = (prediction: Tensor, target: Tensor) => Tensor;

/** A loss named in a config, with its options beside the name: `{ name: 'huberLoss', delta: 0.5 }`. */
export interface LossConfig {
  name: string;
  [option: string]: unknown;
}

interface Entry {
  loss: (input: Tensor, target: Tensor, options: any) => Tensor;
  options: OptionSpec;
}

const LOSSES: Readonly<Record<string, Entry>> = {
  mseLoss: { loss: mseLoss, options: REDUCTION_ONLY },
  l1Loss: { loss: l1Loss, options: REDUCTION_ONLY },
  huberLoss: { loss: huberLoss, options: HUBER_OPTIONS },
  smoothL1Loss: { loss: smoothL1Loss, options: SMOOTH_L1_OPTIONS },
  binaryCrossEntropy: { loss: binaryCrossEntropy, options: BCE_OPTIONS },
  binaryCrossEntropyWithLogits: { loss: binaryCrossEntropyWithLogits, options: BCE_WITH_LOGITS_OPTIONS },
  hingeLoss: { loss: hingeLoss, options: HINGE_OPTIONS },
  multiMarginLoss: { loss: multiMarginLoss, options: MULTI_MARGIN_OPTIONS },
  crossEntropy: { loss: crossEntropy, options: CROSS_ENTROPY_OPTIONS },
  nllLoss: { loss: nllLoss, options: NLL_OPTIONS },
  klDiv: { loss: klDiv, options: KL_DIV_OPTIONS },
  poissonNllLoss: { loss: poissonNllLoss, options: POISSON_NLL_OPTIONS },
};

/**
 * The names `lossFromConfig` accepts, in a stable order.
 *
 * @example
 * listLosses().includes('crossEntropy'); // true
 */
export function listLosses(): string[] {
  return Object.keys(LOSSES);
}

/** Lower case without separators or a trailing "loss", so that PyTorch's `cross_entropy` finds `crossEntropy`. */
const fold = (name: string): string => name.toLowerCase().replace(/[_\s-]/g, '').replace(/loss$/, '');

/**
 * Builds a loss from a config object: `name` is one of {@link listLosses} and the other fields are that
 * loss's options, checked now rather than at the first training step. An unknown name is a `ValueError`
 * listing the known ones; an unknown or mistyped option is a `ValueError` naming it. Tensor options
 * (`weight`, `posWeight`) are passed as tensors.
 *
 * @example
 * const loss = lossFromConfig({ name: 'crossEntropy', labelSmoothing: 0.1 });
 * loss(logits, labels).backward();
 */
export function lossFromConfig(config: LossConfig): LossFunction {
  if (config === null || typeof config !== 'object' || typeof config.name !== 'string') {
    const given = config === null ? 'null' : typeof config === 'object' ? `name ${String(config.name)}` : typeof config;
    throw new ValueError('lossFromConfig', `expected an object with a string 'name', got ${given}`);
  }
  const { name, ...options } = config;
  if (!Object.hasOwn(LOSSES, name)) {
    const near = listLosses().find((known) => fold(known) === fold(name));
    const hint = near ? ` (did you mean '${near}'?)` : '';
    throw new ValueError('lossFromConfig', `unknown loss '${name}'${hint}; known losses: ${listLosses().join(', ')}`);
  }
  const entry = LOSSES[name];
  checkOptions('lossFromConfig', options, entry.options, name);
  return (prediction, target) => entry.loss(prediction, target, options);
}
