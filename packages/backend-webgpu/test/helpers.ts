import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import { Generator, randn, runKernel, setBackend, wrap, type Tensor, type TypedArray } from '@backprop/tensor';
import { useWebGpuBackend } from '../src/index.js';

/** Starts the backend (once per file) and leaves cpu active, so each test chooses where it runs. */
export async function startWebGpu(): Promise<void> {
  try {
    await useWebGpuBackend();
  } catch (error) {
    // Without a GPU the tests run on Debian chromium's SwiftShader, which vitest.config.ts points Dawn at.
    throw new Error(`${(error as Error).message}. Without a GPU: apt-get install chromium (the tests use its SwiftShader)`);
  }
  setBackend('cpu');
}

/** A copy of `x` in a GPU buffer (a cast to its own dtype runs on the active backend). */
export function onGpu(x: Tensor): Tensor {
  setBackend('webgpu');
  try {
    return wrap(runKernel('cast', [x], { dtype: x.dtype }));
  } finally {
    setBackend('cpu');
  }
}

/** Seeded normal values of `shape`, scaled. */
export function random(shape: number[], seed: number, scale = 1): Tensor {
  return randn(shape, { generator: new Generator(seed), std: scale });
}

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (w === g) continue;
    const err = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (!(worst <= tol)) expect.fail(`element ${at}: got ${got[at]}, want ${want[at]} (relative error ${worst} > ${tol})`);
}

/**
 * Runs `f` on cpu and on webgpu (with the inputs moved to the GPU first, but those in `keepOnHost`, which
 * the op reads on the host, as index range checks do) and checks that the webgpu result
 * lives on the GPU and matches the cpu one in shape, dtype and values.
 */
export async function expectSameOnGpu(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tol = 1e-5, keepOnHost: number[] = []): Promise<TypedArray> {
  setBackend('cpu');
  const want = f(...inputs);
  const gpuInputs = inputs.map((x, i) => (keepOnHost.includes(i) ? x : onGpu(x)));
  setBackend('webgpu');
  let got: Tensor;
  try {
    got = f(...gpuInputs);
  } finally {
    setBackend('cpu');
  }
  expect(got.device).toBe('webgpu');
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const values = await got.read();
  expectClose(values, want.dataSync(), tol);
  return values;
}

/** Runs a full garbage collection and lets the finalizers it queued run (they run in later tasks). */
export async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
