// Module.to on webgpu: parameters and buffers move into GPU buffers in place (the optimizer's references
// stay valid) and the model's outputs are cpu's; moving back to the host synchronously is refused, as a
// GPU is only read asynchronously.
import { BatchNorm1d, Linear, Sequential } from '@backprop/layers';
import { Generator, randn, setBackend } from '@backprop/tensor';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { expectClose, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);
afterEach(() => setBackend('cpu'));

it('moves a model onto the GPU, with cpu\'s outputs, and refuses a synchronous move back', async () => {
  const g = new Generator(6);
  const model = new Sequential(new Linear(5, 4, { generator: g }), new BatchNorm1d(4)).eval();
  const x = randn([3, 5], { generator: new Generator(7) });
  const want = (model.call(x)).dataSync().slice();
  setBackend('webgpu');
  model.to();
  expect(model.parameters().every((p) => p.device === 'webgpu')).toBe(true);
  expect(model.buffers().filter((b) => b.dtype === 'float32').every((b) => b.device === 'webgpu')).toBe(true);
  expectClose(await model.call(x).read(), want, 1e-5);
  setBackend('cpu');
  expect(() => model.to('cpu')).toThrow(/^toBackend_: the tensor lives on 'webgpu', which cannot be read synchronously: use `await tensor.read\(\)`/);
});
