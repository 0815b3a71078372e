import { noGrad } from '@backprop/autograd';
import { Generator, Tensor, copy_, ones, randn, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });
const absMax = (t: Tensor) => Math.max(...t.toFlatArray().map(Math.abs));

describe('convolution layers', () => {
  it('initialize as PyTorch: weight and bias within ±1/√fanIn, fanIn = in/groups·∏kernel', () => {
    const conv = new L.Conv2d(4, 8, 3, { ...g(), groups: 2 });
    expect(conv.weight.shape).toEqual([8, 2, 3, 3]);
    const bound = 1 / Math.sqrt(2 * 9);
    expect(absMax(conv.weight)).toBeLessThanOrEqual(bound);
    expect(absMax(conv.weight)).toBeGreaterThan(0.9 * bound);
    expect(absMax(conv.bias!)).toBeLessThanOrEqual(bound);
    // A transposed convolution's weight is [in, out/groups, kH, kW]; PyTorch's fan-in reads dimension 1.
    const up = new L.ConvTranspose2d(4, 6, 3, { ...g(), groups: 2 });
    expect(up.weight.shape).toEqual([4, 3, 3, 3]);
    expect(absMax(up.weight)).toBeLessThanOrEqual(1 / Math.sqrt(27));
    expect(absMax(up.weight)).toBeGreaterThan(0.9 / Math.sqrt(27));
    expect(new L.Conv1d(2, 3, 5, { ...g(), bias: false }).namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [3, 2, 5]]]);
  });

  it("keeps the size with padding 'same' and halves it with stride 2, padding 1", () => {
    const x = zeros([2, 3, 7, 6]);
    expect(new L.Conv2d(3, 5, 4, { ...g(), padding: 'same' }).call(x).shape).toEqual([2, 5, 7, 6]);
    expect(new L.Conv2d(3, 5, 3, { ...g(), stride: 2, padding: 1 }).call(x).shape).toEqual([2, 5, 4, 3]);
    expect(new L.Conv1d(3, 2, 3, g()).call(zeros([3, 10])).shape).toEqual([2, 8]);
  });

  it('errors name the layer, the shape given and the shape expected', () => {
    expect(() => new L.Conv2d(3, 8, 3, g()).call(zeros([2, 4, 5, 5]))).toThrow(/Conv2d\(3, 8\).*\[N, 3, H, W\].*\[2, 4, 5, 5\]/);
    expect(() => new L.Conv1d(2, 2, 3, g()).call(zeros([2, 2, 3, 3]))).toThrow(/Conv1d\(2, 2\).*\[N, 2, L\]/);
    expect(() => new L.Conv2d(3, 8, 3, { stride: 2, padding: 'same' })).toThrow(/Conv2d.*'same'.*stride/);
    expect(() => new L.Conv2d(3, 8, 3, { groups: 2 })).toThrow(/Conv2d.*groups 2 must divide inChannels 3/);
    expect(() => new L.ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(/ConvTranspose2d.*outputPadding/);
  });
});

describe('pooling and upsampling layers', () => {
  it('MaxPool2d strides by its kernel by default; AdaptiveAvgPool2d(1) is the global mean', () => {
    const x = randn([2, 3, 6, 4], g(1));
    expect(new L.MaxPool2d(2).call(x).shape).toEqual([2, 3, 3, 2]);
    expect(new L.MaxPool2d(2).stride).toEqual([2, 2]);
    const pooled = new L.AdaptiveAvgPool2d(1).call(x);
    expect(pooled.shape).toEqual([2, 3, 1, 1]);
    const mean = x.mean([2, 3]).toFlatArray();
    pooled.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(mean[i], 6));
  });

  it('Upsample repeats pixels', () => {
    expect(new L.Upsample({ scaleFactor: 2 }).call(tensor([[[[1, 2]]]])).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2]]]]);
    expect(() => new L.Upsample({ size: 4, scaleFactor: 2 })).toThrow(/Upsample.*exactly one/);
    expect(() => new L.Upsample({ size: 4, mode: 'bilinear' as 'nearest' })).toThrow(/Upsample.*mode/);
  });

  it('errors name the layer and the expected layout', () => {
    expect(() => new L.MaxPool1d(2).call(zeros([2, 3, 4, 4]))).toThrow(/MaxPool1d.*\[N, C, L\].*\[2, 3, 4, 4\]/);
    expect(() => new L.AvgPool2d(2, { padding: 2 })).toThrow(/AvgPool2d.*padding.*half/);
  });
});

describe('batch normalization', () => {
  it('normalizes with batch statistics in training and running statistics in eval', () => {
    const bn = new L.BatchNorm2d(2);
    const x = randn([4, 2, 3, 3], { ...g(2), mean: 3, std: 2 });
    const y = bn.call(x);
    y.mean([0, 2, 3]).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    // One step of momentum 0.1 from (0, 1) towards the batch's mean ≈ 3 and unbiased variance ≈ 4.
    const batchMean = x.mean([0, 2, 3]).toFlatArray();
    bn.runningMean!.toFlatArray().forEach((m, c) => expect(m).toBeCloseTo(0.1 * batchMean[c], 5));
    bn.eval();
    const z = bn.call(x);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    const rm = bn.runningMean!.toFlatArray();
    const rv = bn.runningVar!.toFlatArray();
    expect(z.toFlatArray()[0]).toBeCloseTo((Number(x.dataSync()[0]) - rm[0]) / Math.sqrt(rv[0] + 1e-5), 4);
  });

  it('updates running statistics in training even under noGrad, and resets them', () => {
    const bn = new L.BatchNorm1d(3);
    noGrad(() => bn.call(randn([5, 3], g(3))));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.resetRunningStats();
    expect([bn.runningMean!.toFlatArray(), bn.runningVar!.toFlatArray(), bn.numBatchesTracked!.item()]).toEqual([[0, 0, 0], [1, 1, 1], 0]);
  });

  it("has PyTorch's state_dict names; without running stats there are no buffers", () => {
    expect([...new L.BatchNorm2d(4).stateDict().keys()]).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(new L.BatchNorm2d(4).numBatchesTracked!.dtype).toBe('int32');
    expect([...new L.BatchNorm1d(4, { affine: false, trackRunningStats: false }).stateDict().keys()]).toEqual([]);
  });

  it('needs more than one value per channel in training, and says so', () => {
    const bn = new L.BatchNorm1d(3);
    expect(() => bn.call(zeros([1, 3]))).toThrow(/BatchNorm1d.*more than 1 value per channel.*\[1, 3\]/);
    expect(bn.eval().call(ones([1, 3])).shape).toEqual([1, 3]);
    expect(() => bn.call(zeros([2, 4]))).toThrow(/BatchNorm1d.*3 channels.*\[2, 4\]/);
    expect(() => new L.BatchNorm2d(3).call(zeros([2, 3]))).toThrow(/BatchNorm2d.*\[N, 3, H, W\].*\[2, 3\]/);
  });
});

describe('LayerNorm', () => {
  it('normalizes every sample over the trailing dimensions, the same in eval', () => {
    const ln = new L.LayerNorm(4);
    const x = randn([3, 4], { ...g(4), mean: 2, std: 3 });
    const y = ln.call(x);
    y.mean(-1).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    expect(ln.eval().call(x).toFlatArray()).toEqual(y.toFlatArray());
    expect(() => ln.call(zeros([3, 5]))).toThrow(/LayerNorm.*\[\*, 4\].*\[3, 5\]/);
  });
});

describe('Dropout', () => {
  it('is the identity in eval and for p = 0; zeroes everything for p = 1', () => {
    const x = randn([3, 4], g(5));
    expect(new L.Dropout().eval().call(x)).toBe(x);
    expect(new L.Dropout(0).call(x)).toBe(x);
    expect(new L.Dropout(1).call(x).toFlatArray().every((v) => v === 0)).toBe(true);
  });

  it('zeroes a fraction p and scales the rest by 1/(1 − p)', () => {
    const x = ones([100, 100]);
    const y = new L.Dropout(0.3, g(6)).call(x).toFlatArray();
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.02);
  });

  it('draws reproducible masks from its generator, and the gradient is the scaled mask', () => {
    const x = randn([4, 5], g(7)).requiresGrad_();
    const a = new L.Dropout(0.5, g(8)).call(x);
    const b = new L.Dropout(0.5, g(8)).call(x);
    expect(a.toFlatArray()).toEqual(b.toFlatArray());
    a.sum().backward();
    const kept = a.toFlatArray().map((v) => (v === 0 ? 0 : 2));
    expect(x.grad!.toFlatArray()).toEqual(kept);
    expect(() => new L.Dropout(1.5)).toThrow(/Dropout.*\[0, 1\]/);
  });

  it('exposes its generator, whose saved state replays the same masks (what checkpoints rely on)', () => {
    const x = ones([6, 7]);
    const drop = new L.Dropout(0.4, g(9));
    drop.call(x);
    const saved = drop.generator!.getState();
    const next = drop.call(x).toFlatArray();
    drop.call(x);
    drop.generator!.setState(saved);
    expect(drop.call(x).toFlatArray()).toEqual(next);
    expect(new L.Dropout(0.4).generator).toBeUndefined();
  });
});

describe('Embedding', () => {
  it('draws weights from N(0, 1) with the padding row at zero', () => {
    const emb = new L.Embedding(200, 50, { ...g(9), paddingIdx: 3 });
    const w = emb.weight.toFlatArray();
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(w.slice(150, 200).every((v) => v === 0)).toBe(true);
    expect(new L.Embedding(5, 2, { paddingIdx: -1 }).paddingIdx).toBe(4);
  });

  it('looks rows up for int32 indices of any shape; the padding row is read but never trained', () => {
    const emb = new L.Embedding(4, 2, { ...g(), paddingIdx: 0 });
    // A padding vector changed after initialization is still returned as is.
    const changed = Float32Array.from(emb.weight.dataSync());
    changed.set([0.5, 0.5], 0);
    copy_(emb.weight, new Tensor(changed, emb.weight.shape, emb.weight.dtype));
    const out = emb.call(tensor([[0, 2], [2, 3]], undefined, 'int32'));
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.toFlatArray().slice(0, 2)).toEqual([0.5, 0.5]);
    out.sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[0, 0], [0, 0], [2, 2], [1, 1]]);
  });

  it('errors name the layer and the offending index or dtype', () => {
    const emb = new L.Embedding(4, 2, g());
    expect(() => emb.call(tensor([1, 2]))).toThrow(/Embedding.*int32.*float32/);
    expect(() => emb.call(tensor([1, 4], undefined, 'int32'))).toThrow(/Embedding.*index 4.*4 embeddings/);
    expect(() => new L.Embedding(4, 2, { paddingIdx: 4 })).toThrow(/Embedding.*paddingIdx/);
  });
});

describe('summary of a small CNN', () => {
  it('lists output shapes and parameter counts of the new layers', () => {
    const model = new L.Sequential(
      new L.Conv2d(1, 4, 3, { ...g(), padding: 1 }), new L.BatchNorm2d(4), new L.ReLU(), new L.MaxPool2d(2),
      new L.Dropout(0.2), new L.Flatten(), new L.Linear(64, 10, g()),
    );
    const s = L.summary(model, [2, 1, 8, 8]);
    expect(s.rows.slice(1).map((r) => [r.type, r.outputShape, r.params])).toEqual([
      ['Conv2d', [2, 4, 8, 8], 40], ['BatchNorm2d', [2, 4, 8, 8], 8], ['ReLU', [2, 4, 8, 8], 0], ['MaxPool2d', [2, 4, 4, 4], 0],
      ['Dropout', [2, 4, 4, 4], 0], ['Flatten', [2, 64], 0], ['Linear', [2, 10], 650],
    ]);
  });
});
