import { setBackend, type Tensor } from '@backprop/tensor';
import { expect } from 'vitest';

/** Runs `fn` on the cpu backend and then on wasm, returning both results; always leaves `cpu` active. */
export function onBoth<T>(fn: () => T): { cpu: T; wasm: T } {
  try {
    setBackend('cpu');
    const cpu = fn();
    setBackend('wasm');
    const wasm = fn();
    return { cpu, wasm };
  } finally {
    setBackend('cpu');
  }
}

/**
 * Asserts equal shape and dtype and |w − c| ≤ atol + rtol·|c| per element, with NaN matching NaN and
 * infinities matching exactly.
 */
export function expectClose(wasm: Tensor, cpu: Tensor, rtol = 1e-5, atol = 1e-6): void {
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.dtype).toBe(cpu.dtype);
  const w = wasm.data;
  const c = cpu.data;
  for (let i = 0; i < c.length; i++) {
    const ok = Number.isNaN(c[i]) ? Number.isNaN(w[i]) : !Number.isFinite(c[i]) ? w[i] === c[i] : Math.abs(w[i] - c[i]) <= atol + rtol * Math.abs(c[i]);
    if (!ok) expect.fail(`element ${i} of shape [${cpu.shape.join(', ')}]: wasm ${w[i]}, cpu ${c[i]}`);
  }
}
