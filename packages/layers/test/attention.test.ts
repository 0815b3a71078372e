import { gradCheck } from '@backprop/autograd';
import { Generator, randn, tensor, zeros, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  LearnedPositionalEmbedding, Linear, ModuleDict, ModuleList, MultiheadAttention, Sequential, SinusoidalPositionalEmbedding, Transformer,
  TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer, causalMask, layerFromConfig, scaledDotProductAttention,
  Embedding, functionalCall, type AnyModule, type Module,
} from '../src/index.js';

const g = (seed = 0) => new Generator(seed);
const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', generator: g(seed) });

/** The config survives JSON, the rebuilt module has the same state names and shapes, and takes the weights back. */
function expectRoundTrip(model: AnyModule): AnyModule {
  const copy = layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())), { generator: g(9) });
  expect(copy.toConfig()).toEqual(model.toConfig());
  const shapes = (m: AnyModule) => [...m.stateDict()].map(([k, t]) => [k, t.shape]);
  expect(shapes(copy)).toEqual(shapes(model));
  copy.loadStateDict(model.stateDict());
  return copy;
}

describe('attention', () => {
  it('causalMask is true on and below the diagonal', () => {
    expect(causalMask(3, 4).toArray()).toEqual([[true, false, false, false], [true, true, false, false], [true, true, true, false]]);
  });

  it('scaledDotProductAttention refuses attnMask together with isCausal, and a wrong key width', () => {
    const q = zeros([2, 3]);
    expect(() => scaledDotProductAttention(q, q, q, { attnMask: causalMask(2, 2), isCausal: true })).toThrow(/either attnMask or isCausal/);
    expect(() => scaledDotProductAttention(q, zeros([2, 4]), q)).toThrow(/expected query \[\.\.\., L, E\], key \[\.\.\., S, E\]/);
  });

  it('dropoutP draws from the generator: the same seed gives the same output, p = 1 gives zeros', () => {
    const q = randn([2, 4, 3], { generator: g(1) });
    const a = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: g(3) });
    const b = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: g(3) });
    expect(a.toArray()).toEqual(b.toArray());
    expect(a.toArray()).not.toEqual(scaledDotProductAttention(q, q, q).toArray());
    expect(scaledDotProductAttention(q, q, q, { dropoutP: 1 }).abs().sum().item()).toBe(0);
  });

  it('MultiheadAttention has PyTorch parameter names and init (zero biases), and checks its inputs', () => {
    const mha = new MultiheadAttention(8, 2, { generator: g() });
    expect(mha.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    expect(mha.inProjBias!.abs().sum().item()).toBe(0);
    const bound = Math.sqrt(6 / (8 + 24));
    expect(mha.inProjWeight!.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(() => new MultiheadAttention(6, 4)).toThrow(/embedDim \(6\) must be divisible by numHeads \(4\)/);
    expect(() => mha.call(zeros([3, 2, 8]), zeros([3, 2, 4]), zeros([3, 2, 4]))).toThrow(/expected key of shape \[L, N, 8\]/);
    expect(() => mha.call(zeros([3, 2, 8]), zeros([3, 2, 8]), zeros([3, 2, 8]), { keyPaddingMask: zeros([3, 2], { dtype: 'bool' }) })).toThrow(/keyPaddingMask of shape \[2, 3\]/);
  });

  it('MultiheadAttention isCausal equals a bool attnMask blocking the future', () => {
    const mha = new MultiheadAttention(4, 2, { generator: g(), batchFirst: true });
    const x = randn([2, 5, 4], { generator: g(2) });
    const [a] = mha.call(x, x, x, { isCausal: true });
    const [b] = mha.call(x, x, x, { attnMask: causalMask(5, 5).logicalNot() });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('MultiheadAttention.call(x) is self-attention: key and value default to the query', () => {
    const mha = new MultiheadAttention(4, 2, { generator: g() });
    const x = randn([3, 2, 4], { generator: g(2) });
    expect(mha.call(x)[0].toFlatArray()).toEqual(mha.call(x, x, x)[0].toFlatArray());
  });

  it('MultiheadAttention, the encoder and decoder layers pass gradCheck (float64, dropout 0)', () => {
    const mha = new MultiheadAttention(4, 2, { generator: g(), dtype: 'float64' });
    const q = f64([3, 2, 4], 1);
    const kv = f64([5, 2, 4], 2);
    const mask = tensor([[false, false, false, true, false], [false, false, false, false, false]], [2, 5], 'bool');
    for (const p of [q, kv]) expect(gradCheck((x) => mha.call(q === p ? x : q, p === kv ? x : kv, p === kv ? x : kv, { keyPaddingMask: mask })[0], [p]).ok).toBe(true);
    const names = mha.namedParameters().map(([n]) => n);
    const withParams = (...ps: Tensor[]) => functionalCall(mha, new Map(names.map((n, i) => [n, ps[i]])), q, kv, kv)[0];
    expect(gradCheck(withParams, mha.parameters()).ok).toBe(true);
    const enc = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation: 'gelu', generator: g(), dtype: 'float64' });
    expect(gradCheck((x) => enc.call(x, { isCausal: true }), [f64([3, 2, 4], 3)]).ok).toBe(true);
    const dec = new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst: true, generator: g(), dtype: 'float64' });
    const memory = f64([4, 2, 4], 5);
    expect(gradCheck((t, m) => dec.call(t, m, { tgtIsCausal: true }), [f64([3, 2, 4], 4), memory]).ok).toBe(true);
  });

  it('every attention and transformer layer round-trips its config and state_dict', () => {
    const layer = () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, generator: g() });
    const models: AnyModule[] = [
      new MultiheadAttention(8, 4, { batchFirst: true, dropout: 0.2, bias: false, generator: g() }),
      layer(),
      new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, activation: 'gelu', normFirst: true, generator: g() }),
      new TransformerEncoder(layer(), 2),
      new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: null }),
      new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, generator: g() }),
      new SinusoidalPositionalEmbedding(6, { maxLen: 20 }),
      new LearnedPositionalEmbedding(20, 6, { batchFirst: true, generator: g() }),
      new ModuleList([new Linear(2, 3), new Linear(3, 1)]),
      new ModuleDict({ a: new Linear(2, 3), b: new ModuleList([new Linear(3, 1)]) }),
    ];
    for (const m of models) expectRoundTrip(m);
  });

  it('the state_dict names of the stacks are PyTorch\'s', () => {
    const encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, { dimFeedforward: 6 }), 2);
    const names = [...encoder.stateDict().keys()];
    expect(names.slice(0, 4)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias', 'layers.0.self_attn.out_proj.weight', 'layers.0.self_attn.out_proj.bias']);
    expect(names).toContain('layers.1.norm2.bias');
    // The copies start equal, as PyTorch's deep copies, and are separate tensors.
    const [a, b] = encoder.layers;
    expect(Array.from(a.selfAttn.inProjWeight!.dataSync())).toEqual(Array.from(b.selfAttn.inProjWeight!.dataSync()));
    expect(a.selfAttn.inProjWeight).not.toBe(b.selfAttn.inProjWeight);
    const model = new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6 });
    expect([...model.stateDict().keys()]).toEqual(expect.arrayContaining(['encoder.norm.weight', 'decoder.layers.0.multihead_attn.in_proj_weight', 'decoder.norm.bias']));
    expect(Transformer.generateSquareSubsequentMask(2).toArray()).toEqual([[0, -Infinity], [0, 0]]);
  });

  it('a causal encoder does not let later tokens change earlier outputs', () => {
    const encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, generator: g() }), 2).eval();
    const x = randn([1, 6, 8], { generator: g(4) });
    const y = x.clone();
    const changed = Float32Array.from(y.dataSync());
    changed.fill(5, 5 * 8);
    const a = encoder.call(x, { isCausal: true }).narrow(1, 0, 5);
    const b = encoder.call(tensor(changed, [1, 6, 8]), { isCausal: true }).narrow(1, 0, 5);
    expect(a.sub(b).abs().max().item()).toBeLessThan(1e-6);
  });
});

describe('positional embeddings', () => {
  it('sinusoidal: PE[p, 2i] = sin(p/10000^(2i/E)), PE[p, 2i+1] = cos(…), added to x; not in the state dict', () => {
    const pe = new SinusoidalPositionalEmbedding(4, { maxLen: 10 });
    const out = pe.call(zeros([3, 1, 4]));
    const p = 2;
    const want = [Math.sin(p), Math.cos(p), Math.sin(p / 100), Math.cos(p / 100)];
    Array.from(out.narrow(0, 2, 1).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    expect([...pe.stateDict().keys()]).toEqual([]);
    expect(new SinusoidalPositionalEmbedding(5, { maxLen: 3 }).call(zeros([3, 5])).shape).toEqual([3, 5]);
    expect(() => pe.call(zeros([11, 1, 4]))).toThrow(/L ≤ maxLen 10/);
  });

  it('learned: y = x + weight[:L], batch-first or not, and trains', () => {
    const pos = new LearnedPositionalEmbedding(6, 3, { batchFirst: true, generator: g() });
    const x = zeros([2, 4, 3]);
    expect(Array.from(pos.call(x).narrow(0, 1, 1).dataSync())).toEqual(Array.from(pos.weight.narrow(0, 0, 4).dataSync()));
    pos.call(x).sum().backward();
    expect(Array.from(pos.weight.grad!.narrow(0, 3, 2).dataSync())).toEqual([2, 2, 2, 0, 0, 0]);
    const seqFirst = new LearnedPositionalEmbedding(6, 3, { generator: g() });
    expect(seqFirst.call(zeros([4, 2, 3])).shape).toEqual([4, 2, 3]);
  });

  it('Sequential(Embedding, positions, TransformerEncoder, Linear) is a GPT-style stack', () => {
    const model = new Sequential(
      new Embedding(11, 8, { generator: g() }) as Module,
      new LearnedPositionalEmbedding(16, 8, { batchFirst: true, generator: g() }),
      new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 1) as unknown as Module,
      new Linear(8, 11, { generator: g() }),
    );
    expect(model.call(tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32')).shape).toEqual([2, 3, 11]);
  });
});

describe('ModuleList and ModuleDict', () => {
  it('register children by position or key, iterate, and have no forward', () => {
    const list = new ModuleList([new Linear(2, 2)]).append(new Linear(2, 1));
    expect(list.length).toBe(2);
    expect([...list].length).toBe(2);
    expect(list.at(-1)).toBeInstanceOf(Linear);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(() => list.forward()).toThrow(/ModuleList has no forward/);
    const dict = new ModuleDict({ enc: new Linear(2, 2) }).set('dec', new Linear(2, 1));
    expect(dict.keys()).toEqual(['enc', 'dec']);
    expect(dict.has('dec')).toBe(true);
    expect(dict.namedParameters().map(([n]) => n)).toEqual(['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias']);
    expect(() => dict.get('nope')).toThrow(/no module "nope"; keys: enc, dec/);
  });
});
