import { noGrad } from '@backprop/autograd';
import { Generator, Tensor, copy_, randn, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, Linear, Module, RNN, Sigmoid, Sequential } from '../src/index.js';

/** Every binary sequence of `length` bits as [2^length, length, 1] (batch first), with its parity [2^length, 1]. */
function paritySet(length: number): { x: Tensor; y: Tensor } {
  const n = 2 ** length;
  const bits = new Float32Array(n * length);
  const parity = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < length; t++) {
      bits[s * length + t] = (s >> t) & 1;
      parity[s] ^= (s >> t) & 1;
    }
  }
  return { x: tensor(bits, [n, length, 1]), y: tensor(parity, [n, 1]) };
}

/** Binary cross-entropy of probabilities p against 0/1 targets, mean over the batch. */
function bce(p: Tensor, y: Tensor): Tensor {
  const eps = 1e-7;
  return y.mul(p.add(eps).log()).add(y.neg().add(1).mul(p.neg().add(1 + eps).log())).mean().neg();
}

/** Full-batch Adam (PyTorch's defaults β = (0.9, 0.999), ε = 1e-8) written out, since optim is not a dependency here. */
function adam(params: Tensor[], lr: number): () => void {
  const m = params.map((p) => new Float64Array(p.size));
  const v = params.map((p) => new Float64Array(p.size));
  let t = 0;
  return () => {
    t++;
    params.forEach((p, j) => {
      const g = p.grad!.dataSync();
      const next = p.dtype === 'float64' ? Float64Array.from(p.dataSync()) : Float32Array.from(p.dataSync());
      for (let i = 0; i < p.size; i++) {
        const gi = Number(g[i]);
        m[j][i] = 0.9 * m[j][i] + 0.1 * gi;
        v[j][i] = 0.999 * v[j][i] + 0.001 * gi * gi;
        next[i] -= (lr * (m[j][i] / (1 - 0.9 ** t))) / (Math.sqrt(v[j][i] / (1 - 0.999 ** t)) + 1e-8);
      }
      copy_(p, new Tensor(next, p.shape, p.dtype));
    });
  };
}

function accuracy(p: Tensor, y: Tensor): number {
  let correct = 0;
  for (let i = 0; i < y.size; i++) if ((Number(p.dataSync()[i]) > 0.5 ? 1 : 0) === y.dataSync()[i]) correct++;
  return correct / y.size;
}

/** An LSTM reading the bits one by one, then a logistic unit on its last hidden state. */
class ParityLSTM extends Module {
  constructor(generator: Generator, hidden = 8) {
    super();
    this.registerModule('lstm', new LSTM(1, hidden, { batchFirst: true, generator }));
    this.registerModule('head', new Sequential(new Linear(hidden, 1, { generator }), new Sigmoid()));
  }
  forward(x: Tensor): Tensor {
    const [, [hN]] = (this.getSubmodule('lstm') as LSTM).call(x);
    return (this.getSubmodule('head') as Module).call(hN.squeeze(0));
  }
}

describe('LSTM learns the parity of 4-bit sequences, which a single-layer perceptron cannot', () => {
  const { x, y } = paritySet(4);

  it('a perceptron on the 4 bits stays at most 75% accurate', () => {
    const perceptron = new Sequential(new Linear(4, 1, { generator: new Generator(0) }), new Sigmoid());
    const flat = x.reshape([16, 4]);
    const step = adam(perceptron.parameters(), 0.05);
    for (let i = 0; i < 300; i++) {
      perceptron.zeroGrad();
      bce(perceptron.call(flat), y).backward();
      step();
    }
    expect(accuracy(noGrad(() => perceptron.call(flat)), y)).toBeLessThanOrEqual(0.75);
  });

  // Adam at lr 0.05 classifies all 16 correctly from step ~110 for seed 2 (110–340 over seeds 0..2); 300 steps leave a margin.
  it('an LSTM(1, 8) with a logistic head gets all 16 right', () => {
    const model = new ParityLSTM(new Generator(2));
    expect(accuracy(noGrad(() => model.call(x)), y)).toBeLessThan(1);
    const step = adam(model.parameters(), 0.05);
    for (let i = 0; i < 300; i++) {
      model.zeroGrad();
      bce(model.call(x), y).backward();
      step();
    }
    expect(accuracy(noGrad(() => model.call(x)), y)).toBe(1);
  });
});

describe('truncated backpropagation through time', () => {
  const g = () => ({ generator: new Generator(3), dtype: 'float64' as const });
  const sequence = randn([6, 2, 3], { generator: new Generator(4), dtype: 'float64' });
  const [first, second] = sequence.split(3, 0);

  it('detaching the state between chunks stops gradients at the chunk boundary', () => {
    const lstm = new LSTM(3, 4, g());
    const x1 = first.clone().requiresGrad_();
    const [out1, [h1, c1]] = lstm.call(x1);
    out1.sum().backward();
    const firstGrad = x1.grad!.toFlatArray();
    const weight = lstm.getParameter('weight_hh_l0')!;
    const afterFirst = weight.grad!.toFlatArray();

    lstm.zeroGrad();
    const [out2] = lstm.call(second, [h1.detach(), c1.detach()]);
    out2.sum().backward();
    expect(x1.grad!.toFlatArray()).toEqual(firstGrad); // nothing flowed back into the first chunk
    const truncated = weight.grad!.toFlatArray();

    // The second chunk's gradient is exactly that of the chunk alone from a constant initial state…
    const fresh = new LSTM(3, 4, g());
    const [outFresh] = fresh.call(second, [h1.detach().clone(), c1.detach().clone()]);
    outFresh.sum().backward();
    expect(fresh.getParameter('weight_hh_l0')!.grad!.toFlatArray()).toEqual(truncated);
    // …and differs from the untruncated gradient of the second chunk's loss over the whole sequence.
    const full = new LSTM(3, 4, g());
    const [outFull] = full.call(sequence);
    outFull.narrow(0, 3, 3).sum().backward();
    const fullGrad = full.getParameter('weight_hh_l0')!.grad!.toFlatArray();
    expect(Math.max(...fullGrad.map((v, i) => Math.abs(v - truncated[i])))).toBeGreaterThan(1e-6);
    expect(afterFirst).not.toEqual(truncated);
  });

  it('without detaching, the second backward runs into the released graph of the first chunk', () => {
    const lstm = new LSTM(3, 4, g());
    const [out1, [h1, c1]] = lstm.call(first);
    out1.sum().backward();
    const [out2] = lstm.call(second, [h1, c1]);
    expect(() => out2.sum().backward()).toThrow(/graph|released|retain/i);
  });
});

describe('recurrent layers: shapes, states and errors', () => {
  const g = { generator: new Generator(0) };

  it('returns outputs [T, N, D·H] and states [layers·D, N, H]; batchFirst swaps only the input and output', () => {
    const gru = new GRU(3, 5, { ...g, numLayers: 2, bidirectional: true });
    const [out, hN] = gru.call(zeros([4, 2, 3]));
    expect(out.shape).toEqual([4, 2, 10]);
    expect(hN.shape).toEqual([4, 2, 5]);
    const lstm = new LSTM(3, 5, { ...g, batchFirst: true });
    const [o, [h, c]] = lstm.call(zeros([2, 4, 3]));
    expect([o.shape, h.shape, c.shape]).toEqual([[2, 4, 5], [1, 2, 5], [1, 2, 5]]);
  });

  it('hN of a one-layer unidirectional network is the last output step', () => {
    const rnn = new RNN(2, 3, { ...g, nonlinearity: 'relu' });
    const [out, hN] = rnn.call(randn([5, 2, 2], g));
    expect(hN.squeeze(0).toFlatArray()).toEqual(out.narrow(0, 4, 1).squeeze(0).toFlatArray());
  });

  it('draws every parameter from U(±1/√hiddenSize) and names them as PyTorch', () => {
    const lstm = new LSTM(3, 16, { ...g, numLayers: 2, bidirectional: true });
    expect(lstm.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0 64x3', 'weight_hh_l0 64x16', 'bias_ih_l0 64', 'bias_hh_l0 64',
      'weight_ih_l0_reverse 64x3', 'weight_hh_l0_reverse 64x16', 'bias_ih_l0_reverse 64', 'bias_hh_l0_reverse 64',
      'weight_ih_l1 64x32', 'weight_hh_l1 64x16', 'bias_ih_l1 64', 'bias_hh_l1 64',
      'weight_ih_l1_reverse 64x32', 'weight_hh_l1_reverse 64x16', 'bias_ih_l1_reverse 64', 'bias_hh_l1_reverse 64',
    ]);
    const values = lstm.parameters().flatMap((p) => p.toFlatArray());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...values)).toBeGreaterThan(0.24);
    expect(Math.min(...values)).toBeLessThan(-0.24);
    expect(new RNN(2, 4, { ...g, bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('the same seed gives the same weights', () => {
    const a = new GRU(2, 3, { generator: new Generator(7) }).stateDict();
    const b = new GRU(2, 3, { generator: new Generator(7) }).stateDict();
    expect([...a.values()].map((t) => t.toFlatArray())).toEqual([...b.values()].map((t) => t.toFlatArray()));
  });

  it('dropout between layers applies in training only, reproducibly from the generator', () => {
    const make = () => new LSTM(2, 3, { numLayers: 2, dropout: 0.5, generator: new Generator(1) });
    const x = randn([3, 2, 2], { generator: new Generator(2) });
    const [a] = make().call(x);
    const [b] = make().call(x);
    expect(a.toFlatArray()).toEqual(b.toFlatArray());
    const model = make();
    const [trainOut] = model.call(x);
    const [evalOut] = model.eval().call(x);
    const [noDropout] = new LSTM(2, 3, { numLayers: 2, generator: new Generator(1) }).call(x);
    expect(evalOut.toFlatArray()).toEqual(noDropout.toFlatArray());
    expect(trainOut.toFlatArray()).not.toEqual(evalOut.toFlatArray());
    // The masks' generator is public, so a checkpoint can save its state and a resumed run replay them.
    const replay = make();
    const state = replay.generator!.getState();
    const [first] = replay.call(x);
    replay.generator!.setState(state);
    expect(replay.call(x)[0].toFlatArray()).toEqual(first.toFlatArray());
  });

  it('errors name the layer, the shape given and the shape expected', () => {
    const lstm = new LSTM(3, 4, g);
    expect(() => lstm.call(zeros([5, 2, 4]))).toThrow(/LSTM.*\[T, N, 3\].*\[5, 2, 4\]/);
    expect(() => lstm.call(zeros([5, 2, 3]), [zeros([1, 3, 4]), zeros([1, 2, 4])])).toThrow(/LSTM.*h0 of shape \[1, 2, 4\].*\[1, 3, 4\]/);
    expect(() => new GRU(3, 4, { ...g, batchFirst: true }).call(zeros([2, 5]))).toThrow(/GRU.*\[N, T, 3\]/);
    expect(() => new RNN(3, 4, { nonlinearity: 'sigmoid' as 'relu' })).toThrow(/RNN.*nonlinearity/);
    expect(() => new GRU(3, 4, { dropout: 1.5 })).toThrow(/GRU.*dropout/);
  });
});
