import { sizeOf, type Kernel, type KernelAttrs } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';
import type { KernelExports } from '../wasm-module.js';
import { plan2d } from './broadcast-2d.js';

/** Unary kernels with a wasm loop (assembly/unary.ts), and the scalar attributes each passes to it. */
export const UNARY_PARAMS: Record<string, (attrs: KernelAttrs) => number[]> = {
  neg: () => [],
  abs: () => [],
  square: () => [],
  sqrt: () => [],
  rsqrt: () => [],
  reciprocal: () => [],
  relu: () => [],
  leakyRelu: (a) => [a.alpha as number],
  clamp: (a) => [(a.min as number | undefined) ?? -Infinity, (a.max as number | undefined) ?? Infinity],
  // hardTanh's forward pass is a clamp; only its gradient differs.
  hardTanh: (a) => [a.min as number, a.max as number],
  floor: () => [],
  round: () => [],
  exp: () => [],
  sigmoid: () => [],
  tanh: () => [],
};

/** Binary kernels with a wasm loop (assembly/binary.ts). Comparisons (bool results) and pow stay on cpu. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;

// Below this many elements the copies and the call cost about what the SIMD loop saves (at 256 the cheap ops
// broke even in bench/elementwise.mjs, and won 3–25× from 4096 up), so small inputs stay on cpu.
const MIN_ELEMENTS = 256;

/** A float32 unary kernel in wasm; other dtypes (and tiny inputs) run on `cpu`. */
export function makeUnaryKernel(name: string, wasm: KernelExports, arena: Arena): Kernel {
  const params = UNARY_PARAMS[name];
  const fn = wasm[`unary_${name === 'hardTanh' ? 'clamp' : name}`] as (x: number, out: number, n: number, ...p: number[]) => void;
  if (!params || !fn) throw new Error(`backend-wasm: no wasm loop for unary kernel '${name}'`);
  return (inputs, attrs) => {
    const [x] = inputs;
    const dtype = (attrs.dtype as string | undefined) ?? x.dtype;
    const n = elementsOf(x);
    if (dtype !== 'float32' || !isFloat32(x) || n < MIN_ELEMENTS) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const xPtr = arena.input(x);
      const outPtr = arena.output(n);
      fn(xPtr, outPtr, n, ...params(attrs));
      return arena.result(outPtr, n, x.shape);
    });
  };
}

/**
 * A float32 broadcasting binary kernel in wasm for every broadcast that splits into rows × columns (see
 * `plan2d`); other broadcasts, dtypes and tiny outputs run on `cpu`.
 */
export function makeBinaryKernel(name: (typeof BINARY_OPS)[number], wasm: KernelExports, arena: Arena): Kernel {
  const fn = wasm[`binary_${name}`] as (a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number, rows: number, n: number) => void;
  return (inputs, attrs) => {
    const [a, b] = inputs;
    const shape = attrs.shape as number[];
    // The size test comes first: planning the broadcast costs as much as a small op itself.
    const size = sizeOf(shape);
    const small = size < MIN_ELEMENTS;
    const plan = !small && attrs.dtype === 'float32' && isFloat32(a) && isFloat32(b) ? plan2d(a.shape, b.shape, shape) : null;
    if (!plan) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const aPtr = arena.input(a);
      const bPtr = arena.input(b);
      const outPtr = arena.output(size);
      fn(aPtr, plan.a.row, plan.a.col, bPtr, plan.b.row, plan.b.col, outPtr, plan.rows, plan.n);
      return arena.result(outPtr, size, shape);
    });
  };
}
