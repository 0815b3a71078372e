import type { AnyModule } from '@backprop/layers';
import { noGrad } from '@backprop/autograd';
import { fmtShape, type Tensor } from '@backprop/tensor';
import { UsageError, messageOf } from '../errors.js';
import type { Task } from '../data/load-data.js';

/** `0.1` → `$.model.layers[0].layers[1]`-style names are for configs; here `layer 0.1 (Linear)` reads better. */
const describe = (name: string, module: AnyModule) => `${name === '' ? 'the model' : `layer ${name}`} (${module.constructor.name})`;

/** The first layer that declares how many input features or channels it takes, and what the data offers. */
function firstInputMismatch(model: AnyModule, sample: readonly number[]): string | null {
  for (const [name, module] of model.namedModules()) {
    const m = module as unknown as { inFeatures?: number; inChannels?: number; inputSize?: number };
    const want = m.inFeatures ?? m.inputSize;
    if (typeof want === 'number') {
      const have = sample[sample.length - 1];
      return have === want ? null : `${describe(name, module)} takes ${want} input features but the data has ${have} features per sample (sample shape ${fmtShape(sample)})`;
    }
    if (typeof m.inChannels === 'number') {
      const have = sample[0];
      return have === m.inChannels ? null : `${describe(name, module)} takes ${m.inChannels} input channels but the data's samples have shape ${fmtShape(sample)} (${have} channels first)`;
    }
  }
  return null;
}

/**
 * Runs the model on two samples before training, so that a model that does not fit the data fails at
 * once with both shapes named, instead of deep inside the first step.
 */
export function checkModelFitsData(model: AnyModule, x: Tensor, y: Tensor, task: Task, numClasses?: number): void {
  const sample = x.shape.slice(1);
  const mismatch = firstInputMismatch(model, sample);
  if (mismatch) throw new UsageError(`the model does not fit the data: ${mismatch}`);
  let out: unknown;
  try {
    out = noGrad(() => model.call(x.narrow(0, 0, Math.min(2, x.shape[0]))));
  } catch (e) {
    throw new UsageError(`the model does not fit the data (samples of shape ${fmtShape(sample)}): ${messageOf(e)}`);
  }
  const o = out as Tensor;
  if (typeof o?.rank !== 'number') {
    throw new UsageError('the model does not return a tensor (a recurrent layer last? add {"type": "LastTimeStep"} and a Linear layer after it)');
  }
  if (task === 'classification') {
    const c = o.shape[o.rank - 1];
    if (o.rank !== 2 || (numClasses !== undefined && c < numClasses)) {
      throw new UsageError(
        `the model outputs shape ${fmtShape(o.shape.slice(1))} per sample but the data has ${numClasses} classes; the last layer should output ${numClasses} scores per sample`,
      );
    }
  } else if (o.rank !== y.rank || o.shape.slice(1).some((d, i) => d !== y.shape[i + 1])) {
    throw new UsageError(`the model outputs shape ${fmtShape(o.shape.slice(1))} per sample but the targets have shape ${fmtShape(y.shape.slice(1))}`);
  }
}
