import type { Kernel, KernelAttrs, TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';

type Ptr = number;

/** The training-step loops of assembly/train-steps.ts; pointers are byte offsets. */
export interface TrainStepExports {
  grad_sigmoidGrad(g: Ptr, v: Ptr, out: Ptr, n: number): void;
  grad_tanhGrad(g: Ptr, v: Ptr, out: Ptr, n: number): void;
  grad_reluGrad(g: Ptr, v: Ptr, out: Ptr, n: number): void;
  axpy(a: Ptr, b: Ptr, n: number, alpha: number): void;
  adamStep(
    p: Ptr, g: Ptr, m: Ptr, v: Ptr, vmax: Ptr, n: number,
    beta1: number, beta2: number, eps: number, weightDecay: number, flags: number, stepSize: number, bias2Sqrt: number, shrink: number,
  ): void;
  sgdStep(p: Ptr, g: Ptr, buf: Ptr, n: number, lr: number, momentum: number, dampening: number, weightDecay: number, flags: number): void;
}

// As for the elementwise kernels: below this many values the copies cost what the SIMD loop saves.
const MIN_ELEMENTS = 256;

const allF32 = (inputs: readonly TensorData[]): boolean => inputs.every((t) => t.dtype === 'float32' && t.data instanceof Float32Array);

/** The activation-gradient kernels ([g, v] → g·f'(v)), as the cpu backend's `sigmoidGrad`/`tanhGrad`/`reluGrad`. */
export function makeActivationGradKernel(name: 'sigmoidGrad' | 'tanhGrad' | 'reluGrad', wasm: TrainStepExports, arena: Arena): Kernel {
  const loop = wasm[`grad_${name}`];
  return (inputs, attrs) => {
    const [g, v] = inputs;
    const n = g.data.length;
    if (n < MIN_ELEMENTS || !allF32(inputs)) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const gPtr = arena.put(g.data as Float32Array);
      const vPtr = arena.put(v.data as Float32Array);
      const out = arena.alloc(n);
      loop(gPtr, vPtr, out, n);
      return { data: arena.take(out, n), shape: g.shape, dtype: 'float32' };
    });
  };
}

/**
 * An in-place kernel: copies every input into the arena, runs `body` on their pointers, and copies the
 * `written` inputs back into their own arrays (the tensors keep their storage; only the values change).
 */
function inPlace(
  name: string, arena: Arena, written: readonly number[], body: (ptrs: Ptr[], n: number, attrs: KernelAttrs) => void,
): Kernel {
  return (inputs, attrs) => {
    const n = inputs[0].data.length;
    if (n < MIN_ELEMENTS || !allF32(inputs)) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      // An input passed twice (an unused optimizer buffer) is copied once, so both names see one array.
      const ptrs: Ptr[] = [];
      inputs.forEach((t, i) => {
        const same = inputs.findIndex((u) => u.data === t.data);
        ptrs.push(same < i ? ptrs[same] : arena.put(t.data as Float32Array));
      });
      body(ptrs, n, attrs);
      const memory = arena.f32();
      for (const i of written) (inputs[i].data as Float32Array).set(memory.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + n));
      return inputs[0];
    });
  };
}

/** `addInPlace` ([target, src], alpha): gradient accumulation. */
export function makeAddInPlaceKernel(wasm: TrainStepExports, arena: Arena): Kernel {
  return inPlace('addInPlace', arena, [0], ([a, b], n, attrs) => wasm.axpy(a, b, n, attrs.alpha as number));
}

/** `adamStep` ([param, grad, expAvg, expAvgSq, maxExpAvgSq]). */
export function makeAdamStepKernel(wasm: TrainStepExports, arena: Arena): Kernel {
  return inPlace('adamStep', arena, [0, 2, 3, 4], ([p, g, m, v, vmax], n, a) => {
    const flags = (a.amsgrad ? 1 : 0) | (a.maximize ? 2 : 0) | (a.decoupled ? 4 : 0);
    wasm.adamStep(
      p, g, m, v, vmax, n, a.beta1 as number, a.beta2 as number, a.eps as number, a.weightDecay as number, flags,
      a.stepSize as number, a.bias2Sqrt as number, a.shrink as number,
    );
  });
}

/** `sgdStep` ([param, grad, momentumBuffer]). */
export function makeSgdStepKernel(wasm: TrainStepExports, arena: Arena): Kernel {
  return inPlace('sgdStep', arena, [0, 2], ([p, g, buf], n, a) => {
    const flags = (a.nesterov ? 1 : 0) | (a.maximize ? 2 : 0) | (a.first ? 4 : 0);
    wasm.sgdStep(p, g, buf, n, a.lr as number, a.momentum as number, a.dampening as number, a.weightDecay as number, flags);
  });
}
