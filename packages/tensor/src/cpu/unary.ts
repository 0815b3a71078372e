import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { registerActivationGradKernels } from './activation-grad-fast.js';

type Loop = (x: TypedArray, out: TypedArray, attrs: KernelAttrs) => void;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT2 = 1 / Math.SQRT2;

/**
 * erf to about 1e-14: the Maclaurin series below 3 (terms stay small enough that cancellation costs
 * little) and the continued fraction of erfc above, evaluated bottom-up.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

function clampLoop(x: TypedArray, o: TypedArray, a: KernelAttrs): void {
  const lo = a.min as number;
  const hi = a.max as number;
  for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v < lo ? lo : v > hi ? hi : v; }
}

/** One loop per op (not one loop calling a function per element), so each stays monomorphic and fast. */
const LOOPS: Record<string, Loop> = {
  // The forward pass of hardTanh is a clamp; only its gradient differs.
  hardTanh: (x, o, a) => clampLoop(x, o, a),
  neg: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = -x[i]; },
  abs: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]); },
  sign: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? 1 : v < 0 ? -1 : v; } },
  exp: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]); },
  log: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]); },
  log1p: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.log1p(x[i]); },
  sqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]); },
  rsqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / Math.sqrt(x[i]); },
  square: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] * x[i]; },
  reciprocal: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / x[i]; },
  erf: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = erf(x[i]); },
  sin: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]); },
  cos: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]); },
  floor: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]); },
  ceil: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.ceil(x[i]); },
  round: (x, o) => {
    // Round half to even, as torch.round.
    for (let i = 0; i < x.length; i++) { const v = x[i]; const r = Math.round(v); o[i] = Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; }
  },
  sigmoid: (x, o) => {
    // Split by sign so exp never overflows.
    for (let i = 0; i < x.length; i++) { const v = x[i]; if (v >= 0) o[i] = 1 / (1 + Math.exp(-v)); else { const e = Math.exp(v); o[i] = e / (1 + e); } }
  },
  tanh: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]); },
  relu: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : 0; } },
  leakyRelu: (x, o, a) => { const s = a.alpha as number; for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : s * v; } },
  elu: (x, o, a) => { const s = a.alpha as number; for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : s * Math.expm1(v); } },
  gelu: (x, o, a) => {
    if (a.approximate === 'tanh') {
      for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))); }
    } else {
      for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = 0.5 * v * (1 + erf(v * INV_SQRT2)); }
    }
  },
  softplus: (x, o, a) => {
    // PyTorch's softplus reverts to the identity above `threshold` for numerical stability.
    const beta = a.beta as number;
    const threshold = a.threshold as number;
    for (let i = 0; i < x.length; i++) { const bv = beta * x[i]; o[i] = bv > threshold ? x[i] : Math.log1p(Math.exp(-Math.abs(bv))) / beta + Math.max(bv, 0) / beta; }
  },
  clamp: (x, o, a) => clampLoop(x, o, a),
  // NaN is true (nonzero), as in PyTorch, so its negation is false.
  logicalNot: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] === 0 ? 1 : 0; },
};

export const UNARY_KERNELS = Object.keys(LOOPS);

export function registerUnaryKernels(): void {
  for (const [name, loop] of Object.entries(LOOPS)) {
    registerKernel('cpu', name, ([x], attrs): TensorData => {
      const dtype = (attrs.dtype as DType | undefined) ?? x.dtype;
      const out = allocData(dtype, x.data.length);
      loop(x.data, out, attrs);
      return { data: out, shape: x.shape, dtype };
    });
  }
  // The fused backward kernels of sigmoid, tanh and relu live beside the forward ones.
  registerActivationGradKernels();
}
