import { sizeOf, type Kernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';
import { putInt32 } from './pool-int32.js';

type Ptr = number;

/** The scatter loop of assembly/pool.ts. */
export interface PoolScatterExports {
  scatterAddPlanes(src: Ptr, idx: Ptr, planes: number, perPlane: number, planeSize: number, out: Ptr): void;
}

// Below this many elements (gradient plus result) the copies and the call cost more than the loop saves
// (bench/elementwise.mjs: even at 1280 it only breaks even).
const MIN_ELEMENTS = 1024;


/**
 * `scatterAddPlanes` (max pooling's backward: each gradient value added at its window's argmax) for
 * float32 in wasm; other dtypes, empty and small tensors run on `cpu`. The op has range-checked the
 * indices, so the loop does not.
 */
export function makeScatterAddPlanesKernel(wasm: PoolScatterExports, arena: Arena): Kernel {
  const name = 'scatterAddPlanes';
  return (inputs: readonly TensorData[], attrs: KernelAttrs) => {
    const [src, indices] = inputs;
    const shape = attrs.shape as number[];
    const outCount = sizeOf(shape);
    const ok = isFloat32(src) && indices.dtype === 'int32' && indices.data instanceof Int32Array;
    if (!ok || indices.data.length === 0 || elementsOf(src) + outCount < MIN_ELEMENTS) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const srcPtr = arena.input(src);
      const idxPtr = putInt32(arena, indices.data as Int32Array);
      const out = arena.output(outCount);
      const planes = sizeOf(indices.shape.slice(0, -2));
      wasm.scatterAddPlanes(srcPtr, idxPtr, planes, sizeOf(indices.shape.slice(-2)), sizeOf(shape.slice(-2)), out);
      return arena.result(out, outCount, shape);
    });
  };
}
