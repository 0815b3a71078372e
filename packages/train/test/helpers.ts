import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Generator, type Tensor } from '@backprop/tensor';
import { Linear, ReLU, Sequential, Tanh } from '@backprop/layers';

/** A seeded MLP: sizes [in, hidden…, out] with the given activation between layers. */
export function mlp(sizes: number[], seed = 0, activation: 'relu' | 'tanh' = 'relu'): Sequential {
  const generator = new Generator(seed);
  const layers = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { generator }));
    if (i < sizes.length - 2) layers.push(activation === 'relu' ? new ReLU() : new Tanh());
  }
  return new Sequential(...layers);
}

export function weightsOf(model: Sequential): number[][] {
  return [...model.stateDict().values()].map((t: Tensor) => Array.from(t.dataSync() as Float32Array));
}

/**
 * Full garbage collections, each followed by a turn of the event loop so that finalizers run (they return
 * device buffers to their backend).
 */
export async function collectGarbage(rounds = 5): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
