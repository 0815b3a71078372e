import type { AnyModule } from '@backprop/layers';
import { Tensor, getBackend, setBackend } from '@backprop/tensor';

/**
 * A copy of `model` whose weights are host arrays: `rebuild` makes the same architecture on `cpu` and the
 * weights are read into it asynchronously. What `@backprop/io`'s writers (which read synchronously) take
 * from a model trained on a GPU.
 */
export async function hostCopy(model: AnyModule, rebuild: () => AnyModule): Promise<AnyModule> {
  const entries = [...model.stateDict().entries()];
  const values = await Promise.all(entries.map(([, t]) => t.read()));
  const active = getBackend();
  setBackend('cpu');
  try {
    const copy = rebuild();
    copy.loadStateDict(new Map(entries.map(([name, t], i) => [name, new Tensor(values[i].slice(), t.shape, t.dtype)])));
    return copy;
  } finally {
    setBackend(active);
  }
}
