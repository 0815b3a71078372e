/**
 * A character-level language model: an embedding, a one-layer LSTM and a linear read-out predict the
 * next character of a short rhyme shipped below. It trains briefly on random windows of the text with
 * Adam and cross-entropy, then writes new text one character at a time, drawing each from the model's
 * softmax with `multinomial` under a seeded `Generator`, so the same seed writes the same text.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/char-lm.ts
 */
import { Generator, multinomial, randint, softmax, tensor, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';
import { noGrad } from '@backprop/autograd';
import { Embedding, LSTM, Linear } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';

/** The training text: a small rhyme written for this example (repetitive, so a tiny model learns it). */
export const TEXT = `the cat sat on the mat, the dog sat on the log.
the cat ran to the hat, the dog ran to the fog.
a bird sang on the tree, a bee sang to the sea.
the cat and the dog and the bird and the bee
sat on the mat by the log near the tree by the sea.
`;

export interface CharLmOptions {
  /** Optimizer steps. */
  steps?: number;
  /** Windows per batch and characters per window. */
  batchSize?: number;
  window?: number;
  hidden?: number;
  lr?: number;
  /** Seed of initialization and batch sampling. */
  seed?: number;
  /** Seeds of the generators that sample text, one sample each, and how many characters to write after the prompt. */
  sampleSeeds?: number[];
  sampleLength?: number;
  /** Softmax temperature of sampling (1 samples the model's own distribution). */
  temperature?: number;
  prompt?: string;
}

export interface CharLmResult {
  /** Mean cross-entropy (nats per character) of the first and of the last 10 steps. */
  firstLoss: number;
  lastLoss: number;
  /** Per sample seed: the prompt and the characters the model wrote after it. */
  samples: string[];
  vocabulary: string;
}

/** The next-character model: characters → embedding → LSTM → logits over the vocabulary. */
class CharModel {
  readonly embedding: Embedding;
  readonly lstm: LSTM;
  readonly head: Linear;

  constructor(vocabulary: number, hidden: number, generator: Generator) {
    this.embedding = new Embedding(vocabulary, 16, { generator });
    this.lstm = new LSTM(16, hidden, { batchFirst: true, generator });
    this.head = new Linear(hidden, vocabulary, { generator });
  }

  parameters(): Tensor[] {
    return [...this.embedding.parameters(), ...this.lstm.parameters(), ...this.head.parameters()];
  }

  /** Logits [N, T, V] for character ids [N, T], and the LSTM state to continue from. */
  step(ids: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [out, next] = this.lstm.call(this.embedding.call(ids), state);
    return [this.head.call(out), next];
  }
}

export function run(options: CharLmOptions = {}): CharLmResult {
  const {
    steps = 120, batchSize = 16, window = 24, hidden = 48, lr = 0.02, seed = 0, sampleSeeds = [1], sampleLength = 80,
    temperature = 0.8, prompt = 'the ',
  } = options;
  const vocabulary = [...new Set(TEXT)].sort().join('');
  const ids = Int32Array.from(TEXT, (ch) => vocabulary.indexOf(ch));
  const generator = new Generator(seed);
  const model = new CharModel(vocabulary.length, hidden, generator);
  const optimizer = new Adam(model.parameters(), { lr });

  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    // Random windows of the text; each position's target is the character after it.
    const starts = randint(0, ids.length - window - 1, [batchSize], { generator, dtype: 'int32' }).dataSync();
    const input = new Int32Array(batchSize * window);
    const target = new Int32Array(batchSize * window);
    starts.forEach((start, b) => {
      input.set(ids.subarray(start, start + window), b * window);
      target.set(ids.subarray(start + 1, start + window + 1), b * window);
    });
    optimizer.zeroGrad();
    const [logits] = model.step(tensor(input, [batchSize, window], 'int32'));
    const loss = crossEntropy(logits.reshape([batchSize * window, vocabulary.length]), tensor(target, [batchSize * window], 'int32'));
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }

  // Sampling: feed the prompt, then one drawn character at a time, carrying the LSTM state along.
  const write = (sampleSeed: number): string => noGrad(() => {
    const sampler = new Generator(sampleSeed);
    let text = prompt;
    let [logits, state] = model.step(tensor(Int32Array.from(prompt, (ch) => vocabulary.indexOf(ch)), [1, prompt.length], 'int32'));
    for (let i = 0; i < sampleLength; i++) {
      const last = logits.narrow(1, logits.shape[1] - 1, 1).reshape([vocabulary.length]);
      const next = multinomial(softmax(last.div(temperature), -1), 1, false, { generator: sampler }).item();
      text += vocabulary[next];
      [logits, state] = model.step(tensor([[next]], 'int32'), state);
    }
    return text;
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { firstLoss: mean(losses.slice(0, 10)), lastLoss: mean(losses.slice(-10)), samples: sampleSeeds.map(write), vocabulary };
}

/** The picture for the gallery. */
export function figure(result: CharLmResult): Figure {
  return barFigure(`Character LSTM: ${JSON.stringify(result.samples[0].slice(0, 40))}…`, [
    { label: 'loss, first 10 steps', value: result.firstLoss },
    { label: 'loss, last 10 steps', value: result.lastLoss },
    { label: 'chance: ln(vocabulary)', value: Math.log(result.vocabulary.length) },
  ], 'cross-entropy (nats per character)');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(run());
}
