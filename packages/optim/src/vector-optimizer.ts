import { ValueError, type Tensor } from '@backprop/tensor';
import { Optimizer, type ParamGroupInput } from './optimizer.js';

/**
 * Base of the optimizers that treat all parameters as one vector θ (L-BFGS, Levenberg–Marquardt): one
 * parameter group only, and one state, kept under the first parameter as PyTorch's LBFGS does.
 */
export abstract class VectorOptimizer<O extends object, S extends object> extends Optimizer<O, S> {
  /** Refused once the group exists: the method couples all parameters, so per-group options mean nothing. */
  override addParamGroup(input: ParamGroupInput<O>): void {
    if (this.paramGroups.length > 0) {
      throw new ValueError(this.name, 'supports one parameter group only (it optimizes all parameters as one vector)');
    }
    super.addParamGroup(input);
  }

  /** The parameters, in the order of θ. */
  protected get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  /** The optimizer's state, created by `init` on first use. */
  protected vectorState(init: () => S): S {
    const key = this.params[0];
    let state = this.state.get(key);
    if (!state) {
      state = init();
      this.state.set(key, state);
    }
    return state;
  }
}
