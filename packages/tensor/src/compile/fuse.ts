import { registeredKernel, type Kernel } from '../backend.js';
import type { DType, TypedArray } from '../dtype.js';

// Elementwise chains replayed as one loop. Each intermediate is rounded where the kernel it replaces
// stores it (Math.fround into a Float32Array), so a fused chain gives the bits the separate kernels give.

/**
 * How one fusable kernel computes an element from its operands' variables (`a`, `b`). Only arithmetic that
 * compiles to instructions: a loop that calls `Math.exp` or `Math.tanh` spills every live value around each
 * call, and measured slower fused than as separate kernels, so those kernels stay unfused.
 */
const EXPRESSIONS: Record<string, (a: string, b: string, f: (e: string) => string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  neg: (a) => `-${a}`,
  abs: (a) => `Math.abs(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  rsqrt: (a) => `1 / Math.sqrt(${a})`,
  reciprocal: (a) => `1 / ${a}`,
  square: (a) => `${a} * ${a}`,
  relu: (a) => `${a} > 0 ? ${a} : 0`,
  sigmoidGrad: (g, y, f) => `${g} * ${f(`${y} * ${f(`1 - ${y}`)}`)}`,
  tanhGrad: (g, y, f) => `${g} * ${f(`1 - ${f(`${y} * ${y}`)}`)}`,
  reluGrad: (g, x) => `${g} * (${x} > 0 ? 1 : 0)`,
};

/** Kernel names a plan may fuse. */
export const FUSABLE = new Set(Object.keys(EXPRESSIONS));

let builtins: Map<string, Kernel> | null = null;

/** Remembers the cpu backend's own kernels, so that one a plugin replaced is never fused. */
export function rememberBuiltinKernels(): void {
  builtins = new Map();
  for (const name of FUSABLE) {
    const k = registeredKernel('cpu', name);
    if (k) builtins.set(name, k);
  }
}

/** Whether the cpu kernel `name` is still the one this package registered (whose arithmetic the loop repeats). */
export function isBuiltinCpuKernel(name: string): boolean {
  const k = builtins?.get(name);
  return k !== undefined && registeredKernel('cpu', name) === k;
}

/** One member of a fused chain: its kernel and its operands (`in<k>` external inputs, `t<k>` earlier members). */
export interface FusedOp {
  readonly kernel: string;
  readonly operands: readonly string[];
}

/** Computes a fused chain over `n` elements: external inputs (length n, or 1 for a broadcast scalar) into `out`. */
export type FusedLoop = (inputs: readonly TypedArray[], out: TypedArray, n: number) => void;

const loops = new Map<string, FusedLoop | null>();

/**
 * The loop for `ops` (the last one's value is stored), with `scalars[k]` saying external input k has one
 * element. Generated once per distinct chain and cached; `null` where code cannot be generated (a page
 * whose content security policy forbids `new Function`), and the plan then runs the kernels one by one.
 */
export function fusedLoop(ops: readonly FusedOp[], scalars: readonly boolean[], dtype: DType): FusedLoop | null {
  const key = `${dtype}|${scalars.map((s) => (s ? 's' : 'v')).join('')}|${ops.map((o) => `${o.kernel}(${o.operands.join(',')})`).join(';')}`;
  if (loops.has(key)) return loops.get(key)!;
  const f = dtype === 'float32' ? (e: string) => `F(${e})` : (e: string) => `(${e})`;
  const head = scalars.map((s, k) => (s ? `const in${k} = inputs[${k}][0];` : `const a${k} = inputs[${k}];`)).join('\n');
  const reads = scalars.map((s, k) => (s ? '' : `const in${k} = a${k}[i];`)).join(' ');
  const body = ops.map((o, k) => `const t${k} = ${f(EXPRESSIONS[o.kernel](o.operands[0], o.operands[1] ?? '', f))};`).join(' ');
  const source = `const F = Math.fround;\n${head}\nfor (let i = 0; i < n; i++) { ${reads} ${body} out[i] = t${ops.length - 1}; }`;
  let loop: FusedLoop | null;
  try {
    loop = new Function('inputs', 'out', 'n', source) as FusedLoop;
  } catch {
    loop = null;
  }
  loops.set(key, loop);
  return loop;
}
