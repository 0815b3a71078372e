import type { AnyModule } from '@backprop/layers';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD, UnknownOptionError, clipGradNormTensor, type Optimizer } from '@backprop/optim';
import type { OptimizerLike } from '@backprop/train';
import type { TrainConfig } from '../config/schema.js';
import { ConfigError, messageOf } from '../errors.js';

const OPTIMIZERS = { Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta } as const;

/** Any optimizer the CLI builds; their option types differ, the training loop needs none of them. */
export type AnyOptimizer = Optimizer<{ lr: number }>;

/**
 * The error of an optimizer or schedule's constructor as a config error at `path`: an unknown option
 * (which @backprop/optim refuses, with the closest valid name) at `path.<option>`, anything else at `path`.
 */
export function optionError(path: string, e: unknown): ConfigError {
  return e instanceof UnknownOptionError ? new ConfigError(`${path}.${e.key}`, e.message) : new ConfigError(path, messageOf(e));
}

/** The optimizer a config names, over the model's parameters; bad options name `$.optimizer`. */
export function buildOptimizer(config: TrainConfig['optimizer'], model: AnyModule): AnyOptimizer {
  const { name, ...options } = config;
  const Cls = OPTIMIZERS[name];
  try {
    return new Cls(model.parameters(), options as Record<string, never>) as unknown as AnyOptimizer;
  } catch (e) {
    throw optionError('$.optimizer', e);
  }
}

/**
 * The optimizer with gradient clipping before every step: `fit` calls `step()` right after `backward()`,
 * so clipping here is exactly `clip_grad_norm_` between the two. State and learning rates stay the
 * wrapped optimizer's, so checkpoints and schedules see the real one. The norm stays a tensor (nothing is
 * read back), so clipping runs where the gradients live, the GPU included.
 */
export function withGradClipping(optimizer: AnyOptimizer, params: () => Iterable<import('@backprop/tensor').Tensor>, maxNorm: number): OptimizerLike {
  return {
    zeroGrad: (options) => optimizer.zeroGrad(options),
    step: () => {
      clipGradNormTensor(params(), maxNorm);
      return optimizer.step();
    },
    stateDict: () => optimizer.stateDict(),
    loadStateDict: (state) => optimizer.loadStateDict(state),
    get paramGroups() {
      return optimizer.paramGroups;
    },
    // fit's step scopes on a GPU keep what the optimizer's state holds; without it they would free it.
    get state() {
      return optimizer.state;
    },
  };
}
