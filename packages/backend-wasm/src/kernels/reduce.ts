import { sizeOf, type Kernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';

type Ptr = number;

/** The reduction loops of assembly/reduce.ts; `op` is the index in REDUCE_OPS. */
export interface ReduceExports {
  reduceRows(op: number, x: Ptr, out: Ptr, rows: number, n: number): void;
  reduceColumns(op: number, x: Ptr, out: Ptr, outer: number, n: number, inner: number, acc: Ptr): void;
  reduceOuterInner(op: number, x: Ptr, out: Ptr, A: number, K: number, B: number, acc: Ptr): void;
}

/** The cpu backend's reduction kernels, in the order of the module's op codes. */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min'] as const;

// Below this many input elements the copy in and the call cost more than the loop saves
// (bench/elementwise.mjs: at 1024 elements the row sums about break even).
const MIN_ELEMENTS = 1024;

/**
 * How a reduction over sorted `axes` reads the input: one block [outer, n, inner] reduced over n
 * (contiguous axes), or [A, K, B] reduced over A and B (leading and trailing axes around kept ones);
 * null for other patterns, which stay on cpu.
 */
export type ReducePlan =
  | { kind: 'block'; outer: number; n: number; inner: number }
  | { kind: 'outerInner'; A: number; K: number; B: number };


export function planReduce(shape: readonly number[], axes: readonly number[]): ReducePlan | null {
  if (axes.length === 0) return null;
  // The one gap between runs of consecutive axes, if any (-1 while there is none).
  let gap = -1;
  for (let i = 1; i < axes.length; i++) {
    if (axes[i] === axes[i - 1] + 1) continue;
    if (axes[i] <= axes[i - 1] || gap >= 0) return null;
    gap = i;
  }
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (gap < 0) {
    return { kind: 'block', outer: sizeOf(shape.slice(0, first)), n: sizeOf(shape.slice(first, last + 1)), inner: sizeOf(shape.slice(last + 1)) };
  }
  if (first !== 0 || last !== shape.length - 1) return null;
  const keptStart = axes[gap - 1] + 1;
  const keptEnd = axes[gap];
  return { kind: 'outerInner', A: sizeOf(shape.slice(0, keptStart)), K: sizeOf(shape.slice(keptStart, keptEnd)), B: sizeOf(shape.slice(keptEnd)) };
}

/** The shape left after dropping `axes`, as the cpu kernel returns it (keepDims is a reshape in the op). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/**
 * A float32 reduction in wasm for the axis patterns of `planReduce` (all elements, trailing axes,
 * leading axes, leading and trailing together); other dtypes and patterns, empty reductions and small
 * inputs run on `cpu`.
 */
export function makeReduceKernel(name: (typeof REDUCE_OPS)[number], wasm: ReduceExports, arena: Arena): Kernel {
  const op = REDUCE_OPS.indexOf(name);
  return (inputs: readonly TensorData[], attrs: KernelAttrs) => {
    const [x] = inputs;
    const axes = attrs.axes as number[];
    const dtype = (attrs.dtype as string | undefined) ?? x.dtype;
    const float32 = dtype === 'float32' && isFloat32(x);
    const plan = float32 && elementsOf(x) >= MIN_ELEMENTS ? planReduce(x.shape, axes) : null;
    if (!plan) return runOnCpu(name, inputs, attrs);
    const shape = keptShape(x.shape, axes);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const xPtr = arena.input(x);
      if (plan.kind === 'outerInner') {
        const out = arena.output(plan.K);
        wasm.reduceOuterInner(op, xPtr, out, plan.A, plan.K, plan.B, arena.alloc(2 * plan.K));
        return arena.result(out, plan.K, shape);
      }
      const { outer, n, inner } = plan;
      const count = outer * inner;
      const out = arena.output(count);
      if (inner === 1) wasm.reduceRows(op, xPtr, out, outer, n);
      else wasm.reduceColumns(op, xPtr, out, outer, n, inner, arena.alloc(2 * inner));
      return arena.result(out, count, shape);
    });
  };
}
