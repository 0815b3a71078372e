import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';

// Kernels that write into their first input (a parameter, a gradient, an optimizer buffer) instead of
// returning a new array: the steps of training. Each returns its target.

function addInPlace([target, src]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const a = target.data;
  const b = src.data;
  const alpha = attrs.alpha as number;
  if (alpha === 1) for (let i = 0; i < a.length; i++) a[i] += b[i];
  else for (let i = 0; i < a.length; i++) a[i] += alpha * b[i];
  return target;
}

function fillInPlace([target]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  target.data.fill(attrs.value as number);
  return target;
}

function scaleInPlace([target]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const a = target.data;
  const s = attrs.scale as number;
  for (let i = 0; i < a.length; i++) a[i] *= s;
  return target;
}

function clampInPlace([target]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const a = target.data;
  const lo = attrs.min as number;
  const hi = attrs.max as number;
  for (let i = 0; i < a.length; i++) a[i] = Math.min(Math.max(a[i], lo), hi);
  return target;
}

function copyInPlace([target, src]: readonly TensorData[]): TensorData {
  target.data.set(src.data as never);
  return target;
}

/** target[..., start + r·step, ...] += src[..., r, ...] along `axis`: a slice's gradient into its input's. */
function sliceAddInPlace([target, src]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const axis = attrs.axis as number;
  const start = attrs.start as number;
  const step = attrs.step as number;
  const shape = target.shape;
  const length = src.shape[axis];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const n = shape[axis];
  const a = target.data;
  const b = src.data;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < length; r++) {
      const from = (o * length + r) * inner;
      const to = (o * n + start + r * step) * inner;
      for (let i = 0; i < inner; i++) a[to + i] += b[from + i];
    }
  }
  return target;
}

export function registerInPlaceKernels(): void {
  registerKernel('cpu', 'sliceAddInPlace', sliceAddInPlace);
  registerKernel('cpu', 'addInPlace', addInPlace);
  registerKernel('cpu', 'fillInPlace', fillInPlace);
  registerKernel('cpu', 'scaleInPlace', scaleInPlace);
  registerKernel('cpu', 'clampInPlace', clampInPlace);
  registerKernel('cpu', 'copyInPlace', copyInPlace);
}
