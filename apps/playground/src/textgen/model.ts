// A character-level language model for the text page: an embedding, a one-layer LSTM and a linear
// read-out predict the next character; it trains on random windows of the text with Adam and writes new
// text one character at a time, drawing each from its softmax (at a temperature) with `multinomial` and a
// seeded Generator, so the same seed writes the same text. Values are read asynchronously, so the same
// code runs on cpu, wasm and webgpu. No DOM: the worker and the tests use it alike.
import { noGrad } from '@backprop/autograd';
import { Embedding, LSTM, Linear } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, multinomial, randint, softmax, tensor, type Tensor } from '@backprop/tensor';

/** The text the page starts with: a short rhyme, repetitive enough for a small model to learn in seconds. */
export const DEFAULT_TEXT = `twinkle, twinkle, little star, how I wonder what you are.
up above the world so high, like a diamond in the sky.
twinkle, twinkle, little star, how I wonder what you are.
when the blazing sun is gone, when he nothing shines upon,
then you show your little light, twinkle, twinkle, all the night.
`;

export interface CharModelOptions {
  hidden?: number;
  window?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export class CharModel {
  readonly vocabulary: string;
  private readonly ids: Int32Array;
  private readonly embedding: Embedding;
  private readonly lstm: LSTM;
  private readonly head: Linear;
  private readonly optimizer: Adam;
  private readonly generator: Generator;
  private readonly window: number;
  private readonly batchSize: number;
  /** Optimizer steps taken so far. */
  steps = 0;

  constructor(text: string, { hidden = 64, window = 32, batchSize = 16, lr = 0.01, seed = 0 }: CharModelOptions = {}) {
    if (text.length < window + 2) throw new Error(`the text needs at least ${window + 2} characters to train on, got ${text.length}`);
    this.vocabulary = [...new Set(text)].sort().join('');
    this.ids = Int32Array.from(text, (ch) => this.vocabulary.indexOf(ch));
    this.generator = new Generator(seed);
    const g = this.generator;
    this.embedding = new Embedding(this.vocabulary.length, 16, { generator: g });
    this.lstm = new LSTM(16, hidden, { batchFirst: true, generator: g });
    this.head = new Linear(hidden, this.vocabulary.length, { generator: g });
    this.optimizer = new Adam([...this.embedding.parameters(), ...this.lstm.parameters(), ...this.head.parameters()], { lr });
    this.window = window;
    this.batchSize = batchSize;
  }

  /** Logits [N, T, V] for ids [N, T], and the LSTM state to continue from. */
  private forward(ids: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [out, next] = this.lstm.call(this.embedding.call(ids), state);
    return [this.head.call(out), next];
  }

  /** One Adam step on a batch of random windows; resolves to its loss in nats per character. */
  async trainStep(): Promise<number> {
    const { batchSize: n, window: t } = this;
    const starts = randint(0, this.ids.length - t - 1, [n], { generator: this.generator, dtype: 'int32' }).dataSync();
    const input = new Int32Array(n * t);
    const target = new Int32Array(n * t);
    starts.forEach((start, b) => {
      input.set(this.ids.subarray(start, start + t), b * t);
      target.set(this.ids.subarray(start + 1, start + t + 1), b * t);
    });
    this.optimizer.zeroGrad();
    const [logits] = this.forward(tensor(input, [n, t], 'int32'));
    const loss = crossEntropy(logits.reshape([n * t, this.vocabulary.length]), tensor(target, [n * t], 'int32'));
    loss.backward();
    this.optimizer.step();
    this.steps++;
    return (await loss.read())[0];
  }

  /** `length` characters after `prompt`, drawn at `temperature` from a generator seeded with `seed`. */
  async sample(prompt: string, length: number, temperature: number, seed: number): Promise<string> {
    const known = [...prompt].filter((ch) => this.vocabulary.includes(ch)).join('') || this.vocabulary[0];
    const sampler = new Generator(seed);
    const V = this.vocabulary.length;
    let text = '';
    let [logits, state] = noGrad(() => this.forward(tensor(Int32Array.from(known, (ch) => this.vocabulary.indexOf(ch)), [1, known.length], 'int32')));
    for (let i = 0; i < length; i++) {
      const probabilities = noGrad(() => softmax(logits.narrow(1, logits.shape[1] - 1, 1).reshape([V]).div(temperature), -1));
      // Drawn on the host from the probabilities read back, so a GPU's values take one asynchronous read.
      const next = multinomial(tensor(await probabilities.read(), [V]), 1, false, { generator: sampler }).item();
      text += this.vocabulary[next];
      [logits, state] = noGrad(() => this.forward(tensor([[next]], 'int32'), state));
    }
    return text;
  }
}
