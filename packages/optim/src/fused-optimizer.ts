import { Tensor } from '@backprop/tensor';
import { Optimizer, type LossClosure, type ParamGroup } from './optimizer.js';
import { expectArray, type SerializedValue } from './state-dict.js';

/**
 * Base of the optimizers whose update of a parameter is one fused backend kernel (SGD, Adam, AdamW,
 * RMSprop, Adagrad, Adadelta): the parameter and its state buffers are tensors, updated in place by the
 * kernel, so they stay in the backend's memory between steps. `step` hands each parameter that has a
 * gradient to `update`, creating its state on first use, as PyTorch does.
 */
export abstract class FusedOptimizer<O extends object, S extends object> extends Optimizer<O, S> {
  /**
   * Updates every parameter that has a gradient (parameters whose `grad` is `null` are skipped, and get no
   * state). With a closure, calls it first and returns its loss.
   */
  step(closure?: LossClosure): number | undefined {
    const loss = closure ? this.evaluate(closure) : undefined;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        let state = this.state.get(p);
        if (!state) {
          state = this.initState(p, group);
          this.state.set(p, state);
        }
        this.update(p, p.grad, state, group);
      }
    }
    return loss;
  }

  /** The state of a parameter before its first update. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates `param` and the buffers of `state` in place from `grad`, through one kernel. */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;

  /** Saved number arrays become buffers of the parameter's shape and dtype. */
  protected override restoreState(saved: Record<string, SerializedValue>, param: Tensor): S {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(saved)) {
      out[key] = Array.isArray(value) ? bufferFrom(expectArray(this.name, key, value, param.size), param) : value;
    }
    return out as S;
  }
}

function bufferFrom(values: ArrayLike<number>, param: Tensor): Tensor {
  const data = param.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, param.shape, param.dtype);
}
