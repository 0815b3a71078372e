import { ConfigError } from '../errors.js';

/**
 * Option names of each optimizer and schedule. The optim package ignores fields it does not know, so a
 * typo (`"weightdecay"`) would silently train with the default; the CLI refuses it instead.
 */
export const OPTIMIZER_OPTIONS: Record<string, readonly string[]> = {
  Adam: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
  AdamW: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
  SGD: ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'],
  RMSprop: ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'],
  Adagrad: ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'],
  Adadelta: ['lr', 'rho', 'eps', 'weightDecay', 'maximize'],
};

export const SCHEDULE_OPTIONS: Record<string, readonly string[]> = {
  StepLR: ['stepSize', 'gamma'],
  MultiStepLR: ['milestones', 'gamma'],
  ExponentialLR: ['gamma'],
  CosineAnnealingLR: ['tMax', 'etaMin'],
  LinearLR: ['startFactor', 'endFactor', 'totalIters'],
  ReduceLROnPlateau: ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'],
};

/** Throws a ConfigError at `path.<field>` for the first field of `options` that `known` lacks. */
export function checkKnownOptions(path: string, owner: string, options: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (key !== 'name' && key !== 'monitor' && !known.includes(key)) {
      throw new ConfigError(`${path}.${key}`, `${owner} has no option ${JSON.stringify(key)}; expected one of ${known.join(', ')}`);
    }
  }
}
