import type { OptimizerLike, TrainableModel } from './types.js';

/**
 * What outlives a training step or an evaluation batch, for the device scope it runs in: the parameters and
 * their gradients, the model's buffers (whatever `stateDict()` holds now, running statistics a step may
 * have reassigned included) and the optimizer's per-parameter state.
 */
export function stepSurvivors(model: TrainableModel, optimizer?: OptimizerLike): unknown[] {
  const params = model.parameters();
  return [params, params.map((p) => p.grad), model.stateDict(), model.buffers?.() ?? [], optimizer?.state ?? []];
}
