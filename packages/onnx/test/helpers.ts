import * as ort from 'onnxruntime-node';
import { Generator, randn, randint, setGradEnabled, type Tensor } from '@backprop/tensor';
import type { AnyModule } from '@backprop/layers';
import { expect } from 'vitest';
import { exportOnnx, type ExportOnnxOptions } from '../src/index.js';

export { ort };

// Warnings (such as the duplicate-initializer notice a validation test provokes) would only clutter the output.
ort.env.logLevel = 'error';

/** An onnxruntime session on one thread: a thread pool per session costs more than these tiny graphs take to run. */
export function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** Runs `bytes` (or a session made from them) in onnxruntime on one input; returns the first output's dims and float values. */
export async function runOrt(model: Uint8Array | ort.InferenceSession, x: Tensor, inputName = 'input'): Promise<{ dims: number[]; data: Float32Array }> {
  const session = model instanceof Uint8Array ? await createSession(model) : model;
  const feed = x.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(x.dataSync() as Int32Array), [...x.shape]) : new ort.Tensor('float32', Float32Array.from(x.dataSync() as ArrayLike<number>), [...x.shape]);
  const results = await session.run({ [inputName]: feed });
  const out = results[session.outputNames[0]];
  return { dims: [...out.dims], data: out.data as Float32Array };
}

/** backprop's eval-mode forward, without recording gradients (a recurrent layer's output sequence, not its state). */
export function forwardEval(model: AnyModule, x: Tensor): Tensor {
  model.eval();
  setGradEnabled(false);
  try {
    const out = model.forward(x);
    return (Array.isArray(out) ? out[0] : out) as Tensor;
  } finally {
    setGradEnabled(true);
  }
}

/** Every value of `actual` within float32 tolerance of `expected`: |a − e| ≤ atol + rtol·|e|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = { i: -1, excess: 0 };
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= worst.excess) || Number.isNaN(actual[i])) worst = { i, excess: Number.isNaN(actual[i]) ? Infinity : excess };
  }
  if (worst.i >= 0) expect.fail(`element ${worst.i}: onnxruntime gives ${actual[worst.i]}, backprop ${expected[worst.i]}`);
}

/**
 * Exports `model`, then for the batch size of `inputShape` and a different one runs random inputs
 * through onnxruntime and backprop and compares. Returns the exported bytes for further checks.
 */
export async function expectOrtMatches(
  model: AnyModule,
  options: ExportOnnxOptions & { seed?: number; batches?: number[]; scale?: number; vocab?: number; rtol?: number; atol?: number },
): Promise<Uint8Array> {
  const { seed = 0, batches = [options.inputShape[0], options.inputShape[0] + 2], scale = 2, vocab = 10, rtol, atol, ...exportOptions } = options;
  const bytes = exportOnnx(model, exportOptions);
  const generator = new Generator(seed);
  const session = await createSession(bytes);
  for (const batch of batches) {
    const shape = [batch, ...options.inputShape.slice(1)];
    const x = options.inputDtype === 'int32' ? randint(0, vocab, shape, { generator }) : randn(shape, { generator }).mul(scale);
    const expected = forwardEval(model, x);
    const actual = await runOrt(session, x, options.inputName);
    expect(actual.dims).toEqual(expected.shape);
    expectClose(actual.data, expected.dataSync() as ArrayLike<number>, rtol, atol);
  }
  return bytes;
}
