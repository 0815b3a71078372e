import { sizeOf, type Kernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';
import { putInt32 } from './pool-int32.js';

type Ptr = number;
type WindowLoop = (t: Ptr, planes: number, H: number, W: number, rows: Ptr, oH: number, cols: Ptr, oW: number, out: Ptr, acc: Ptr) => void;

/** The window-average loops of assembly/pool-average.ts. */
export interface PoolAverageExports {
  windowAverage: WindowLoop;
  windowAverageBackward: WindowLoop;
}

/** The windows of one axis as @backprop/tensor's ops/pool-window.ts passes them. */
interface AxisWindows {
  start: Int32Array;
  end: Int32Array;
  count: Int32Array;
}

// Below this many elements (input plus output) the copies and the call cost about what the loop saves:
// at 1280 a 2×2 or global pooling only broke even in bench/elementwise.mjs (a 3×3 one still won 2.5×).
const MIN_ELEMENTS = 1024;


/**
 * `windowAverage2d` (average, adaptive and global pooling, nearest upsampling) or its adjoint
 * `windowAverage2dBackward` for float32 in wasm; other dtypes, empty and small tensors run on `cpu`.
 */
export function makeWindowAverageKernel(name: 'windowAverage2d' | 'windowAverage2dBackward', wasm: PoolAverageExports, arena: Arena): Kernel {
  const backward = name === 'windowAverage2dBackward';
  const loop = backward ? wasm.windowAverageBackward : wasm.windowAverage;
  return (inputs: readonly TensorData[], attrs: KernelAttrs) => {
    const [t] = inputs;
    const rows = attrs.rows as AxisWindows;
    const cols = attrs.cols as AxisWindows;
    const shape = attrs.shape as number[];
    // The image is the input going forward and the result going backward.
    const image = backward ? shape : t.shape;
    const outCount = sizeOf(shape);
    const count = elementsOf(t);
    if (!isFloat32(t) || count === 0 || outCount === 0 || count + outCount < MIN_ELEMENTS) return runOnCpu(name, inputs, attrs);
    const [H, W] = image.slice(-2);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const tPtr = arena.input(t);
      const rowsPtr = putInt32(arena, rows.start, rows.end, rows.count);
      const colsPtr = putInt32(arena, cols.start, cols.end, cols.count);
      const out = arena.output(outCount);
      const acc = arena.alloc(2 * W);
      loop(tPtr, sizeOf(image.slice(0, -2)), H, W, rowsPtr, rows.start.length, colsPtr, cols.start.length, out, acc);
      return arena.result(out, outCount, shape);
    });
  };
}
