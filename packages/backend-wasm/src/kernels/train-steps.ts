import { runCpuKernel, type Kernel, type KernelAttrs, type KernelInput, type TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32, residentBlock, type ResidentBlock, type ResidentMemory } from '../resident.js';

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

const allF32 = (inputs: readonly TensorData[]): boolean => inputs.every(isFloat32);

/** The activation-gradient kernels ([g, v] → g·f'(v)), as the cpu backend's `sigmoidGrad`/`tanhGrad`/`reluGrad`. */
export function makeActivationGradKernel(name: 'sigmoidGrad' | 'tanhGrad' | 'reluGrad', wasm: TrainStepExports, arena: Arena): Kernel {
  const loop = wasm[`grad_${name}`];
  return (inputs, attrs) => {
    const [g, v] = inputs;
    const n = elementsOf(g);
    if (n < MIN_ELEMENTS || !allF32(inputs)) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const gPtr = arena.input(g);
      const vPtr = arena.input(v);
      const out = arena.output(n);
      loop(gPtr, vPtr, out, n);
      return arena.result(out, n, g.shape);
    });
  };
}

/** Whether two inputs hold the same values (an unused optimizer buffer is passed as another one's alias). */
function sameValues(a: TensorData, b: TensorData): boolean {
  const sa = (a as KernelInput).storage;
  const sb = (b as KernelInput).storage;
  return sa !== undefined && sa === sb ? true : residentBlock(a) === null && residentBlock(b) === null && a.data === b.data;
}

/**
 * An in-place kernel as the cpu backend's loop, run over views of the heap for resident inputs: a resident
 * target is written where it lives and a host one in its own array, with no copy either way, and the
 * values are the cpu kernel's bit for bit. For the in-place updates whose cost is a pass over memory
 * (fill_, copy_, scaling and clamping for clipping, BPTT slice sums, the optimizers without a SIMD loop).
 */
export function makeHeapViewKernel(name: string, memory: ResidentMemory): Kernel {
  return (inputs, attrs) => {
    if (!inputs.some((t) => residentBlock(t) !== null)) return runCpuKernel(name, inputs, attrs);
    // One view per block, so aliased inputs stay one array as they are on the host.
    const views = new Map<ResidentBlock, TensorData>();
    const onHeap = inputs.map((t) => {
      const block = residentBlock(t);
      if (!block) return t;
      let view = views.get(block);
      if (!view) views.set(block, (view = { data: memory.view(block), shape: t.shape, dtype: t.dtype }));
      return view;
    });
    runCpuKernel(name, onHeap, attrs);
    return inputs[0];
  };
}

/**
 * An in-place kernel with a SIMD loop: resident inputs are read and written where they live; host ones
 * are copied into the arena and the `written` ones copied back into their own arrays. Small host-only
 * calls, other dtypes and calls the memory cannot grow for run as `makeHeapViewKernel`.
 */
function inPlace(
  name: string, arena: Arena, memory: ResidentMemory, written: readonly number[], body: (ptrs: Ptr[], n: number, attrs: KernelAttrs) => void,
): Kernel {
  const onViews = makeHeapViewKernel(name, memory);
  return (inputs, attrs) => {
    const n = elementsOf(inputs[0]);
    const resident = inputs.some((t) => residentBlock(t) !== null);
    if (!allF32(inputs) || (!resident && n < MIN_ELEMENTS)) return onViews(inputs, attrs);
    try {
      arena.reset();
      const ptrs: Ptr[] = [];
      inputs.forEach((t, i) => {
        const same = inputs.findIndex((u) => sameValues(u, t));
        ptrs.push(same < i ? ptrs[same] : arena.input(t));
      });
      body(ptrs, n, attrs);
      const heap = arena.f32();
      for (const i of written) {
        if (!residentBlock(inputs[i])) (inputs[i].data as Float32Array).set(heap.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + n));
      }
      return inputs[0];
    } catch (err) {
      // The memory could not grow to copy the host inputs in (nothing was written yet).
      if (err instanceof RangeError) return onViews(inputs, attrs);
      throw err;
    }
  };
}

/** `addInPlace` ([target, src], alpha): gradient accumulation. */
export function makeAddInPlaceKernel(wasm: TrainStepExports, arena: Arena, memory: ResidentMemory): Kernel {
  return inPlace('addInPlace', arena, memory, [0], ([a, b], n, attrs) => wasm.axpy(a, b, n, attrs.alpha as number));
}

/** `adamStep` ([param, grad, expAvg, expAvgSq, maxExpAvgSq]). */
export function makeAdamStepKernel(wasm: TrainStepExports, arena: Arena, memory: ResidentMemory): Kernel {
  return inPlace('adamStep', arena, memory, [0, 2, 3, 4], ([p, g, m, v, vmax], n, a) => {
    const flags = (a.amsgrad ? 1 : 0) | (a.maximize ? 2 : 0) | (a.decoupled ? 4 : 0);
    wasm.adamStep(
      p, g, m, v, vmax, n, a.beta1 as number, a.beta2 as number, a.eps as number, a.weightDecay as number, flags,
      a.stepSize as number, a.bias2Sqrt as number, a.shrink as number,
    );
  });
}

/** `sgdStep` ([param, grad, momentumBuffer]). */
export function makeSgdStepKernel(wasm: TrainStepExports, arena: Arena, memory: ResidentMemory): Kernel {
  return inPlace('sgdStep', arena, memory, [0, 2], ([p, g, buf], n, a) => {
    const flags = (a.nesterov ? 1 : 0) | (a.maximize ? 2 : 0) | (a.first ? 4 : 0);
    wasm.sgdStep(p, g, buf, n, a.lr as number, a.momentum as number, a.dampening as number, a.weightDecay as number, flags);
  });
}
