import type { Tensor } from '@backprop/tensor';
import { Optimizer, type LossClosure, type ParamGroup } from './optimizer.js';
import type { FloatArray } from './state-dict.js';

/**
 * Base of the optimizers whose update of a parameter depends only on that parameter, its gradient and its
 * own state (SGD, Adam, RMSprop, …): `step` walks the groups and hands each parameter that has a gradient
 * to `update`, creating its state on first use, as PyTorch does.
 */
export abstract class PerParameterOptimizer<O extends object, S extends object> extends Optimizer<O, S> {
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
        this.update(p.data as FloatArray, p.grad.data as FloatArray, state, group);
      }
    }
    return loss;
  }

  /** The state of a parameter before its first update. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates `param` in place from `grad`, reading and writing `state`. Allocates nothing. */
  protected abstract update(param: FloatArray, grad: FloatArray, state: S, group: ParamGroup<O>): void;
}

/** A zero-filled buffer of the same type and size as `data`. */
export function zerosLike(data: FloatArray): FloatArray {
  return data instanceof Float32Array ? new Float32Array(data.length) : new Float64Array(data.length);
}
