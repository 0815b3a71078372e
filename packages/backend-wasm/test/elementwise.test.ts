import * as T from '@backprop/tensor';
import { Generator, cast, randn, tensor, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

/** Values spanning the interesting ranges: tiny, around the tanh polynomial switch, large, overflow. */
function probe(size: number, seed: number, scale = 4): Tensor {
  const x = randn([size], { generator: new Generator(seed) }).mul(scale);
  const special = [0, -0, 1e-30, -1e-7, 0.6249, 0.6251, -0.625, 30, -30, 88.5, 89, -87, -103, -120, Infinity, -Infinity, NaN];
  x.data.set(special.slice(0, size));
  return x;
}

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  neg: T.neg,
  abs: T.abs,
  square: T.square,
  sqrt: (x) => T.sqrt(x.abs()),
  rsqrt: (x) => T.rsqrt(x.abs()),
  reciprocal: T.reciprocal,
  relu: T.relu,
  leakyRelu: (x) => T.leakyRelu(x, 0.2),
  clamp: (x) => T.clamp(x, -1.5, 2),
  hardTanh: (x) => T.hardTanh(x),
  floor: T.floor,
  round: T.round,
  exp: T.exp,
  sigmoid: T.sigmoid,
  tanh: T.tanh,
};

describe('wasm unary kernels agree with cpu', () => {
  for (const [name, op] of Object.entries(UNARY)) {
    it(`${name} on sizes below, at and off the vector width, with special values`, () => {
      for (const size of [1, 3, 255, 256, 257, 1023]) {
        const x = probe(size, size);
        const { cpu, wasm } = onBoth(() => op(x));
        // Polynomial exp/tanh are within about 2 ulp of the rounded double-precision result.
        expectClose(wasm, cpu, 4e-7, 1e-7);
      }
      expect(wasmFallbacks()).not.toContain(name);
    });
  }

  it('round halves to even like torch.round', () => {
    const x = tensor(Array.from({ length: 80 }, (_, i) => (i - 40) / 2));
    const { cpu, wasm } = onBoth(() => T.round(x));
    expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
  });

  it('clamp with one bound omitted', () => {
    const x = probe(200, 7);
    expectClose(onBoth(() => T.clamp(x, undefined, 0.5)).wasm, onBoth(() => T.clamp(x, undefined, 0.5)).cpu);
    expectClose(onBoth(() => T.clamp(x, -0.5)).wasm, onBoth(() => T.clamp(x, -0.5)).cpu);
  });

  it('hands float64 and int32 inputs to cpu', () => {
    const x64 = cast(probe(100, 1), 'float64');
    const r = onBoth(() => T.exp(x64));
    expect(r.wasm.dtype).toBe('float64');
    expect(Array.from(r.wasm.data)).toEqual(Array.from(r.cpu.data));
    const xi = T.randint(-9, 9, [100], { generator: new Generator(2) });
    // exp casts integers to float32 before the kernel runs, so this one is computed in wasm.
    const e = onBoth(() => T.exp(xi));
    expect(e.wasm.dtype).toBe('float32');
    expectClose(e.wasm, e.cpu, 4e-7, 1e-7);
    const n = onBoth(() => T.neg(xi));
    expect(n.wasm.dtype).toBe('int32');
    expect(Array.from(n.wasm.data)).toEqual(Array.from(n.cpu.data));
  });
});

const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: T.add,
  sub: T.sub,
  mul: T.mul,
  div: T.div,
  maximum: T.maximum,
  minimum: T.minimum,
};

/**
 * Broadcast pairs: same shape, scalars, bias rows, columns, middle axes, an outer product of two small
 * operands into an output above the size cutoff; some that are not rows × n and one below the cutoff
 * (those run on cpu).
 */
const PAIRS: [number[], number[]][] = [
  [[1000], [1000]],
  [[17, 19], [17, 19]],
  [[301], []],
  [[], [301]],
  [[33, 17], [17]],
  [[17], [33, 17]],
  [[33, 17], [33, 1]],
  [[33, 1], [33, 17]],
  [[5, 9, 7], [9, 7]],
  [[5, 9, 7], [5, 9, 1]],
  [[5, 9, 7], [1, 9, 1]],
  [[5, 1, 7], [1, 9, 1]],
  [[4, 1, 9], [4, 9, 9]],
  [[40, 1], [1, 30]],
  [[2, 3], [2, 3]],
];

describe('wasm binary kernels agree with cpu', () => {
  for (const [name, op] of Object.entries(BINARY)) {
    it(`${name} under every broadcast pattern`, () => {
      let seed = 10;
      for (const [sa, sb] of PAIRS) {
        const a = randn(sa, { generator: new Generator(seed++) });
        const b = randn(sb, { generator: new Generator(seed++) });
        if (a.size > 0) a.data[0] = NaN;
        if (b.size > 2) b.data[2] = Infinity;
        const { cpu, wasm } = onBoth(() => op(a, b));
        expectClose(wasm, cpu, 0, 0);
      }
      expect(wasmFallbacks()).not.toContain(name);
    });
  }

  it('keeps int32 and mixed-dtype arithmetic on cpu semantics', () => {
    const a = T.randint(-9, 9, [100], { generator: new Generator(4) });
    const b = T.randint(1, 9, [100], { generator: new Generator(5) });
    for (const op of [T.add, T.mul, T.div, T.maximum]) {
      const r = onBoth(() => op(a, b));
      expect(r.wasm.dtype).toBe(r.cpu.dtype);
      expect(Array.from(r.wasm.data)).toEqual(Array.from(r.cpu.data));
    }
    const c = randn([100], { generator: new Generator(6) });
    const f64 = onBoth(() => T.add(cast(a, 'float64'), c));
    expect(f64.wasm.dtype).toBe('float64');
    expect(Array.from(f64.wasm.data)).toEqual(Array.from(f64.cpu.data));
  });
});
