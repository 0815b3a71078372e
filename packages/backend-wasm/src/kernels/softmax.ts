import type { Kernel, TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';
import type { KernelExports } from '../wasm-module.js';

/**
 * `softmax` / `logSoftmax` of float32 tensors along their last axis, one row at a time in wasm; other
 * axes (strided rows) and dtypes run on `cpu`.
 */
export function makeSoftmaxKernel(name: 'softmax' | 'logSoftmax', wasm: KernelExports, arena: Arena): Kernel {
  return (inputs, attrs) => {
    const [x] = inputs as readonly TensorData[];
    const axis = attrs.axis as number;
    const n = x.shape[axis];
    const size = elementsOf(x);
    if (!isFloat32(x) || axis !== x.shape.length - 1 || size === 0) {
      return runOnCpu(name, inputs, attrs);
    }
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const xPtr = arena.input(x);
      const outPtr = arena.output(size);
      wasm.softmaxRows(xPtr, outPtr, size / n, n, name === 'logSoftmax' ? 1 : 0);
      return arena.result(outPtr, size, x.shape);
    });
  };
}
