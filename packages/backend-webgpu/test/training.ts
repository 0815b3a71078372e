// A few steps of a user's training loop (forward, backward, optimizer step, `await loss.read()`), run on a
// chosen backend, with what the comparisons between backends need read back.
import { expect } from 'vitest';
import { setBackend, type Tensor, type TypedArray } from '@backprop/tensor';

/** What one run builds: named parameters, the optimizer over them, and the loss of the current parameters. */
export interface Setup {
  params: [string, Tensor][];
  optimizer: { zeroGrad(): void; step(): void };
  loss: () => Tensor;
}

/** A run's losses, the devices its parameters ended on, and its final parameters and last gradients. */
export interface Run {
  losses: number[];
  devices: string[];
  params: Map<string, TypedArray>;
  grads: Map<string, TypedArray>;
}

/**
 * Builds with `backend` active and trains `steps` steps; the values are read back with `await t.read()`
 * (so on webgpu nothing reads synchronously). Host data passed in is uploaded by the first kernel given it.
 */
export async function train(backend: 'cpu' | 'webgpu', build: () => Setup, steps: number): Promise<Run> {
  setBackend(backend);
  try {
    const { params, optimizer, loss } = build();
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      optimizer.zeroGrad();
      const l = loss();
      l.backward();
      optimizer.step();
      losses.push((await l.read())[0]);
    }
    const run: Run = { losses, devices: params.map(([, p]) => p.device), params: new Map(), grads: new Map() };
    for (const [name, p] of params) {
      run.params.set(name, await p.read());
      run.grads.set(name, await p.grad!.read());
    }
    return run;
  } finally {
    setBackend('cpu');
  }
}

/** Expects max |got − want| ≤ tol · max(1e-3, max |want|): errors measured against the tensor's scale. */
export function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 1e-3;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let worst = 0;
  let at = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  if (!(worst <= tol * scale)) expect.fail(`${what} element ${at}: got ${got[at]}, cpu ${want[at]} (error ${worst} > ${tol} × scale ${scale})`);
}

/** Expects the webgpu run to have trained on the GPU and to follow the cpu run within `tol`. */
export function expectSameRun(gpu: Run, cpu: Run, tol: number): void {
  expect(gpu.devices.every((d) => d === 'webgpu')).toBe(true);
  expectNear(gpu.losses, cpu.losses, tol, 'losses');
  for (const [name, want] of cpu.params) expectNear(gpu.params.get(name)!, want, tol, `parameter ${name}`);
  for (const [name, want] of cpu.grads) expectNear(gpu.grads.get(name)!, want, tol, `gradient of ${name}`);
}
