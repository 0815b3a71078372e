import { useWasmBackend, wasmFallbacks } from '@backprop/backend-wasm';
import { registerKernel, runCpuKernel, setBackend, type Tensor } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { lenetTrainStep, lstmTrainStep, mlpTrainStep } from '../src/libs/backprop-models.js';

afterAll(() => setBackend('cpu'));

// The bench's training workloads on wasm must run no kernel the backend leaves to cpu: such a kernel would
// read the resident parameters and optimizer state back out of the wasm heap. Every fallback is replaced
// by a spy that records its name (and runs the cpu kernel on host copies), and the workloads take steps.
describe('the bench training workloads on wasm', () => {
  it('use no kernel that falls back to cpu', async () => {
    await useWasmBackend();
    const used = new Set<string>();
    for (const name of wasmFallbacks()) {
      registerKernel('wasm', name, (inputs, attrs) => {
        used.add(name);
        return runCpuKernel(name, inputs.map((t) => ({ data: t.data, shape: t.shape, dtype: t.dtype })), attrs);
      });
    }
    const steps: [string, () => Tensor][] = [
      ['mlp sgd', mlpTrainStep(8)],
      ['mlp adam', mlpTrainStep(8, 'adam')],
      ['lenet', lenetTrainStep(4)],
      ['lstm', lstmTrainStep(4, 5, 16, 64, 10)],
    ];
    for (const [name, step] of steps) {
      for (let i = 0; i < 2; i++) expect(Number.isFinite(step().item()), name).toBe(true);
    }
    expect([...used]).toEqual([]);
  });
});
