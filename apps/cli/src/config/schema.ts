import { z } from 'zod';

export const OPTIMIZERS = ['Adam', 'AdamW', 'SGD', 'RMSprop', 'Adagrad', 'Adadelta'] as const;
export const SCHEDULES = ['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'ReduceLROnPlateau'] as const;

/**
 * The training config file. Every field is optional: the defaults are the README's main job (an MLP on
 * the digits). `model` and `data` are checked on their own (see data-schema.ts and model/build-model.ts)
 * so that their errors can name the layer or dataset field that is wrong.
 */
export const trainConfigSchema = z.strictObject({
  /** `{ "type": "Sequential", "layers": [...] }`, any registered layer config, or an array (a Sequential). */
  model: z.unknown().optional(),
  data: z.unknown().default({ name: 'digits' }),
  /** Standardize inputs with the statistics of the training split. */
  standardize: z.boolean().default(true),
  /** A loss of @backprop/losses by name or `{ name, ...options }`; default crossEntropy or mseLoss by task. */
  loss: z.union([z.string().min(1), z.looseObject({ name: z.string().min(1) })]).optional(),
  optimizer: z
    .looseObject({ name: z.enum(OPTIMIZERS), lr: z.number().positive().optional() })
    .default({ name: 'Adam', lr: 1e-3 }),
  schedule: z.looseObject({ name: z.enum(SCHEDULES), monitor: z.string().optional() }).optional(),
  epochs: z.number().int().positive().default(25),
  batchSize: z.number().int().positive().default(32),
  seed: z.number().int().default(0),
  validationSplit: z.number().gt(0).lt(1).optional(),
  /** Fraction held out for the final test (stratified for classification); 0 for none. */
  testSplit: z.number().min(0).lt(1).default(0.2),
  /** Metric names of @backprop/train; default accuracy (classification) or mae (regression). */
  metrics: z.array(z.string().min(1)).optional(),
  earlyStopping: z
    .strictObject({
      monitor: z.string().optional(),
      patience: z.number().int().nonnegative().default(5),
      minDelta: z.number().nonnegative().default(0),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  /** Largest total gradient norm; gradients are scaled down to it before every step. */
  clipGradNorm: z.number().positive().optional(),
  save: z.string().min(1).optional(),
  checkpoint: z.string().min(1).optional(),
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** Formats a zod issue path as a JSON path: `$.optimizer.lr`, `$.model.layers[2].outFeatures`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}
