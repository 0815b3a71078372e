import type { Tensor } from '@backprop/tensor';
import { Optimizer, type LossClosure, type ParamGroup } from './optimizer.js';

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
}
