import type { Tensor } from '@backprop/tensor';
import { describe, expect, it, vi } from 'vitest';

type Models = typeof import('../src/libs/backprop-models.js');

/** The bench's training workloads built in a fresh copy of the module (its seed counter starts again). */
async function losses(compiled: boolean): Promise<{ losses: number[][]; models: Models }> {
  vi.resetModules();
  const models: Models = await import('../src/libs/backprop-models.js');
  models.useCompiledSteps(compiled);
  const steps: (() => Tensor)[] = [models.mlpTrainStep(8), models.mlpTrainStep(8, 'adam'), models.lenetTrainStep(4), models.lstmTrainStep(4, 5, 16, 16, 10)];
  return { losses: steps.map((step) => Array.from({ length: 4 }, () => step().item())), models };
}

// The compiled column times the same workloads with each step's forward and backward pass replayed by
// `compile`: it must replay (not fall back to eager mode) and give eager mode's losses bit for bit.
describe("the bench's compiled training steps", () => {
  it('replay every workload and match the eager steps exactly', async () => {
    const eager = await losses(false);
    const compiled = await losses(true);
    expect(compiled.losses).toEqual(eager.losses);
    const passes = compiled.models.compiledPasses;
    expect(passes).toHaveLength(4);
    for (const pass of passes) {
      expect(pass.reason).toBeNull();
      expect(pass.calls).toEqual({ traced: 1, replayed: 3, eager: 0 });
    }
  });

  it('replay inference and match the eager forward pass exactly', async () => {
    const outputs = async (compiled: boolean) => {
      vi.resetModules();
      const models: Models = await import('../src/libs/backprop-models.js');
      models.useCompiledSteps(compiled);
      const step = models.mlpInferStep(4);
      return { values: Array.from({ length: 3 }, () => Array.from(step().dataSync())), models };
    };
    const eager = await outputs(false);
    const compiled = await outputs(true);
    expect(compiled.values).toEqual(eager.values);
    expect(compiled.models.compiledForwards.map((f) => f.calls)).toEqual([{ traced: 1, replayed: 2, eager: 0 }]);
  });
});
