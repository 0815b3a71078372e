#!/usr/bin/env node
/* global WebAssembly */
// GEMM GFLOPS as a fraction of the machine's wasm SIMD ceiling, measured in one process: the ceiling (a
// register-resident loop of independent f32x4 multiply-adds, compiled here with asc: mul + add for the
// plain build, relaxed_madd for the fma build) and the module's `gemm` at 1024³, an MLP's three products,
// the GEMMs of LeNet-5 (batch 32) and its convolutions as im2col + gemm and as an implicit GEMM, all
// interleaved over several rounds; each figure is the best of its rounds (the machine may be shared, the
// least disturbed run counts) and each ratio is to the ceiling of the same run. `--baseline DIR` also times the builds in DIR (a copy of an
// older build/) in the same rounds; `--threads` adds matmul 1024 through the backend (dist/) on 1 and 2
// threads. Run after `npm run build` (on Node 20 it reruns itself with --experimental-wasm-relaxed-simd):
//   node bench/gemm-ceiling.mjs [--rounds R] [--baseline DIR] [--threads]
// Not a test: timings belong here, never in unit tests.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

// Node 20 runs relaxed SIMD only behind a flag: run this script again with it.
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
if (Number(process.versions.node.split('.')[0]) < 22 && !process.execArgv.includes(RELAXED_FLAG)) {
  const { status } = spawnSync(process.execPath, [RELAXED_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(status ?? 1);
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const rounds = Number(option('--rounds', 5));
const baselineDir = option('--baseline', null);
const withThreads = args.includes('--threads');
const buildDir = fileURLToPath(new URL('../build/', import.meta.url));

// The operands are loaded from memory before the loop (V8 would otherwise rematerialize splatted constants
// inside it). `ceiling8`: eight accumulators over 4 × 2 operands (eight distinct products, so mul + add gets
// no common subexpression), 14 live v128 values (15 with mul + add's product) within the 15 XMM registers
// V8 allocates. `ceiling8x4` and `ceiling12x4`, for fma only, unroll four steps (mul + add would share each
// product between them) and the latter keeps twelve accumulators over one pair of operands.
const steps = (count, unroll, operands) =>
  Array.from({ length: unroll }, () => Array.from({ length: count }, (_, i) => `c${i} = madd(${operands(i)}, c${i});`).join(' ')).join('\n    ');
const grid = (i) => `a${i >> 1}, b${i & 1}`;
const loop = (name, count, unroll, operands) => `
export function ${name}(iters: i32, p: usize): f32 {
  const a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
  const b0 = v128.load(p, 64), b1 = v128.load(p, 80);
  ${Array.from({ length: count }, (_, i) => `let c${i} = f32x4.splat(0);`).join(' ')}
  for (let i = 0; i < iters; i++) {
    ${steps(count, unroll, operands)}
  }
  let t = c0;
  ${Array.from({ length: count - 1 }, (_, i) => `t = f32x4.add(t, c${i + 1});`).join(' ')}
  return f32x4.extract_lane(t, 0);
}`;
const CEILING_SOURCE = `
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
${loop('ceiling6', 6, 1, grid)}
${loop('ceiling8', 8, 1, grid)}
${loop('ceiling8x4', 8, 4, grid)}
${loop('ceiling12x4', 12, 4, () => 'a0, b0')}
`;
/** Flops per iteration: multiply-adds of 4 lanes. */
const CEILING_FLOPS = { ceiling6: 6 * 4 * 2, ceiling8: 8 * 4 * 2, ceiling8x4: 8 * 4 * 4 * 2, ceiling12x4: 12 * 4 * 4 * 2 };

async function compileCeiling(fma) {
  const enable = fma ? ['simd', 'relaxed-simd'] : ['simd'];
  const { error, binary, stderr } = await asc.compileString(CEILING_SOURCE, { optimizeLevel: 3, runtime: 'stub', noAssert: true, importMemory: true, enable });
  if (error) throw new Error(`ceiling kernel: ${stderr.toString()}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  new Float32Array(memory.buffer, 1024, 24).forEach((_, i, v) => (v[i] = 1 - i / 64));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory, abort() {} } });
  const loops = fma ? ['ceiling6', 'ceiling8', 'ceiling8x4', 'ceiling12x4'] : ['ceiling6', 'ceiling8'];
  return loops.map((name) => ({ name, flops: CEILING_FLOPS[name], run: (iters) => exports[name](iters, 1024) }));
}

/** A build of the kernels over its own memory, with float32 inputs placed by `put`. */
function loadBuild(dir, file) {
  const path = `${dir}/${file}`;
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, abort() {} } }).exports;
  let top = (k.heapBase() + 15) & ~15;
  const alloc = (count) => {
    const ptr = top;
    top = (top + count * 4 + 15) & ~15;
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
    return ptr;
  };
  const scratch = alloc(k.gemmScratchBytes() / 4);
  let seed = 1;
  const random = (count) => {
    const ptr = alloc(count);
    const view = new Float32Array(memory.buffer, ptr, count);
    for (let i = 0; i < count; i++) view[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
    return ptr;
  };
  // Whether gemm takes a patch matrix (brs = -1): a 1×1 convolution of a one-pixel image of 2 gives 2.
  const [probe, geo, out] = [alloc(4), alloc(16), alloc(4)];
  new Float32Array(memory.buffer, probe, 4).set([2, 1, 1, 1]);
  new Int32Array(memory.buffer, geo, 16).set([1, probe, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1]);
  k.gemm(probe + 4, 1, 1, geo, -1, 0, out, 3, 1, 1, scratch);
  const implicitConv = new Float32Array(memory.buffer, out, 1)[0] === 2;
  return { k, memory, alloc, random, scratch, implicitConv };
}

/** The products measured: [label, M, N, K, transA, transB]. */
const GEMMS = [
  ['1024³', 1024, 1024, 1024, false, false],
  ['mlp x·W 256×784→128', 256, 128, 784, false, false],
  ['mlp dY·Wᵀ 256×128→784', 256, 784, 128, false, true],
  ['mlp Xᵀ·dY 784×256→128', 784, 128, 256, true, false],
  ['lenet conv1 fwd 6×25×18432', 6, 18432, 25, false, false],
  ['lenet conv2 fwd 16×150×2048', 16, 2048, 150, false, false],
  ['lenet conv1 dW 6×18432→25', 6, 25, 18432, false, true],
  ['lenet conv2 dW 16×2048→150', 16, 150, 2048, false, true],
  ['lenet conv2 dX 150×16→2048', 150, 2048, 16, true, false],
];

function gemmCase(build, [label, M, N, K, transA, transB]) {
  const a = build.random(M * K);
  const b = build.random(K * N);
  const c = build.alloc(M * N);
  const [ars, acs] = transA ? [1, M] : [K, 1];
  const [brs, bcs] = transB ? [1, K] : [N, 1];
  return { label, flops: 2 * M * N * K, run: () => build.k.gemm(a, ars, acs, b, brs, bcs, c, M, N, K, build.scratch) };
}

/** LeNet-5's convolutions at batch 32 (no padding): [label, N, C, H, W, Cout, k]. */
const CONVS = [
  ['lenet conv1 1×28×28 → 6, 5×5', 32, 1, 28, 28, 6, 5],
  ['lenet conv2 6×12×12 → 16, 5×5', 32, 6, 12, 12, 16, 5],
];

/**
 * A convolution's forward product and weight gradient (the GEMMs above plus their patches): im2col of
 * every image then `gemm`, and, where the build has it, `gemm` packing the patches from the image (brs = -1).
 */
function convCases(build, [label, N, C, H, W, M, k]) {
  const o = H - k + 1;
  const L = o * o;
  const NL = N * L;
  const K = C * k * k;
  const image = build.random(N * C * H * W);
  const w = build.random(M * K);
  const gOut = build.random(M * NL);
  const col = build.alloc(K * NL);
  const out = build.alloc(M * Math.max(NL, K));
  const geo = build.alloc(16);
  const e = build.k;
  const im2col = () => {
    for (let n = 0; n < N; n++) e.im2col(image + n * C * H * W * 4, C, H, W, k, k, o, o, 1, 1, 0, 0, 1, 1, col + n * L * 4, NL);
  };
  const flops = 2 * M * NL * K;
  const cases = [
    { label: `${label} fwd, im2col+gemm`, flops, run: () => (im2col(), e.gemm(w, K, 1, col, NL, 1, out, M, NL, K, build.scratch)) },
    { label: `${label} dW, im2col+gemm`, flops, run: () => (im2col(), e.gemm(gOut, NL, 1, col, 1, NL, out, M, K, NL, build.scratch)) },
  ];
  if (build.implicitConv) {
    const geometry = (mode) => {
      new Int32Array(build.memory.buffer, geo, 16).set([mode, image, C * H * W, C, H, W, k, k, o, o, 1, 1, 0, 0, 1, 1]);
      return geo;
    };
    cases.push(
      { label: `${label} fwd, implicit`, flops, run: () => e.gemm(w, K, 1, geometry(1), -1, 0, out, M, NL, K, build.scratch) },
      { label: `${label} dW, implicit`, flops, run: () => e.gemm(gOut, NL, 1, geometry(2), -1, 0, out, M, K, NL, build.scratch) },
    );
  }
  return cases;
}

/** Seconds of the fastest of `calls` calls (at least ~50 ms of calls). */
function best(fn, minMs = 60) {
  let bestMs = Infinity;
  const end = performance.now() + minMs;
  for (let calls = 0; calls < 2 || performance.now() < end; calls++) {
    const t0 = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return bestMs / 1000;
}

const variants = [];
for (const [name, dir] of [['new', buildDir], ...(baselineDir ? [['base', baselineDir]] : [])]) {
  for (const fma of [false, true]) {
    const build = loadBuild(dir, fma ? 'kernels-fma.wasm' : 'kernels.wasm');
    if (!build) {
      console.log(`(${name} ${fma ? 'fma' : 'simd'}: not runnable here)`);
      continue;
    }
    const cases = [...GEMMS.map((g) => gemmCase(build, g)), ...CONVS.flatMap((c) => convCases(build, c))];
    variants.push({ name: `${name} ${fma ? 'fma' : 'simd'}`, fma, cases, bestGflops: new Map() });
  }
}
const ceilings = { false: await compileCeiling(false), true: await compileCeiling(true) };
const ceilingBest = { false: 0, true: 0 };
const loopBest = {};
const ITERS = 1_000_000;
const measureCeiling = (fma) => {
  for (const loop of ceilings[fma]) {
    const seconds = best(() => loop.run(ITERS), 30);
    const gflops = (ITERS * loop.flops) / seconds / 1e9;
    const key = `${fma ? 'madd' : 'mul+add'} ${loop.name}`;
    loopBest[key] = Math.max(loopBest[key] ?? 0, gflops);
    ceilingBest[fma] = Math.max(ceilingBest[fma], gflops);
  }
};

for (const v of variants) for (const c of v.cases) c.run(); // tier up to TurboFan before timing
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    measureCeiling(v.fma);
    for (const c of v.cases) v.bestGflops.set(c.label, Math.max(v.bestGflops.get(c.label) ?? 0, c.flops / best(c.run) / 1e9));
  }
}

console.log(`wasm SIMD ceiling, one thread: mul+add ${ceilingBest.false.toFixed(1)} GFLOPS, relaxed madd ${ceilingBest.true.toFixed(1)} GFLOPS (best of ${rounds} rounds)`);
console.log(`  (loops: ${Object.entries(loopBest).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`);
console.log(`GEMM GFLOPS (ratio to the same build's ceiling), best of ${rounds} interleaved rounds:`);
const labels = [...new Set(variants.flatMap((v) => v.cases.map((c) => c.label)))];
const width = Math.max(...labels.map((l) => l.length));
console.log(`${''.padEnd(width)} ${variants.map((v) => v.name.padStart(15)).join(' ')}`);
for (const label of labels) {
  const cells = variants.map((v) => {
    const g = v.bestGflops.get(label);
    return g === undefined ? '-' : `${g.toFixed(1).padStart(6)} (${((100 * g) / ceilingBest[v.fma]).toFixed(0).padStart(3)}%)`;
  });
  console.log(`${label.padEnd(width)} ${cells.map((c) => c.padStart(15)).join(' ')}`);
}
console.log('(convolution rows count the GEMM\'s flops only: the im2col rows include writing the patches)');

if (withThreads) {
  const { Generator, matmul, randn, setBackend } = await import('@backprop/tensor');
  const { useWasmBackend } = await import('../dist/index.js');
  const g = new Generator(0);
  const x = randn([1024, 1024], { generator: g });
  const y = randn([1024, 1024], { generator: g });
  const result = {};
  for (let r = 0; r < rounds; r++) {
    for (const threads of [1, 2]) {
      const used = await useWasmBackend({ threads });
      matmul(x, y);
      const gflops = (2 * 1024 ** 3) / best(() => matmul(x, y), 200) / 1e9;
      result[used] = Math.max(result[used] ?? 0, gflops);
    }
  }
  setBackend('cpu');
  const cells = Object.entries(result).map(([t, v]) => `${t} thread${t === '1' ? '' : 's'} ${v.toFixed(1)}`);
  console.log(`matmul 1024 through the backend (default build, arena copies included), GFLOPS: ${cells.join(', ')}`);
}
process.exit(0);
