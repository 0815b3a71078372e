/**
 * Bengio et al.'s neural probabilistic language model (2003): the n − 1 previous words are looked up in a
 * shared embedding table, their vectors concatenated, passed through a tanh hidden layer, and a softmax
 * over the vocabulary predicts the next word. The corpus comes from a known second-order Markov source,
 * so the best achievable perplexity is known too; the model should fall far below the uniform baseline
 * (perplexity = vocabulary size) and approach the source's own.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/neural-language-model.ts
 */
import { Generator, permutation, tensor, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { Embedding, Linear } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';

export interface LanguageModelOptions {
  vocabulary?: number;
  /** The context: n − 1 previous words (the source is second-order, so 2 suffices). */
  context?: number;
  embeddingDim?: number;
  hidden?: number;
  trainWords?: number;
  testWords?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export interface LanguageModelResult {
  /** exp(mean negative log-likelihood) of the held-out words: before training, after, and of the source itself. */
  initialPerplexity: number;
  perplexity: number;
  sourcePerplexity: number;
  /** The vocabulary size: the perplexity of guessing uniformly. */
  uniformPerplexity: number;
}

/**
 * A second-order Markov source: after the words (a, b), the next word is one of three successors fixed per
 * pair, with probabilities 0.7, 0.2 and 0.1.
 */
function markovSource(generator: Generator, vocabulary: number) {
  const successors = Array.from({ length: vocabulary * vocabulary }, () => [0, 1, 2].map(() => generator.integer(0, vocabulary)));
  const probabilities = [0.7, 0.2, 0.1];
  const next = (a: number, b: number): number => {
    const u = generator.random();
    const pick = u < probabilities[0] ? 0 : u < probabilities[0] + probabilities[1] ? 1 : 2;
    return successors[a * vocabulary + b][pick];
  };
  // The source's own probability of `w` after (a, b), for its perplexity (successors may repeat).
  const probability = (a: number, b: number, w: number): number =>
    successors[a * vocabulary + b].reduce((p, s, k) => (s === w ? p + probabilities[k] : p), 0);
  return { next, probability };
}

function generate(source: ReturnType<typeof markovSource>, generator: Generator, vocabulary: number, length: number): number[] {
  const words = [generator.integer(0, vocabulary), generator.integer(0, vocabulary)];
  while (words.length < length) words.push(source.next(words[words.length - 2], words[words.length - 1]));
  return words;
}

/** Every window of `context` words and the word after it. */
function windows(words: number[], context: number): { contexts: Int32Array; targets: Int32Array } {
  const count = words.length - context;
  const contexts = new Int32Array(count * context);
  const targets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < context; j++) contexts[i * context + j] = words[i + j];
    targets[i] = words[i + context];
  }
  return { contexts, targets };
}

/** The model of the paper without its optional direct input-to-output connections. */
class NeuralLanguageModel {
  readonly embedding: Embedding;
  readonly hidden: Linear;
  readonly output: Linear;

  constructor(vocabulary: number, readonly context: number, embeddingDim: number, hidden: number, generator: Generator) {
    this.embedding = new Embedding(vocabulary, embeddingDim, { generator });
    this.hidden = new Linear(context * embeddingDim, hidden, { generator });
    this.output = new Linear(hidden, vocabulary, { generator });
  }

  /** Logits of the next word, [B, V], for contexts [B, n − 1]. */
  forward(contexts: Tensor): Tensor {
    const x = this.embedding.call(contexts); // [B, n − 1, m]
    const concatenated = x.reshape([contexts.shape[0], -1]); // [B, (n − 1)·m]
    return this.output.call(this.hidden.call(concatenated).tanh());
  }

  parameters(): Tensor[] {
    return [...this.embedding.parameters(), ...this.hidden.parameters(), ...this.output.parameters()];
  }
}

export function run(options: LanguageModelOptions = {}): LanguageModelResult {
  const {
    vocabulary = 16, context = 2, embeddingDim = 8, hidden = 48, trainWords = 6000, testWords = 1500, epochs = 6, batchSize = 64,
    lr = 0.01, seed = 0,
  } = options;
  const generator = new Generator(seed);
  const source = markovSource(generator, vocabulary);
  const train = windows(generate(source, generator, vocabulary, trainWords), context);
  const testText = generate(source, generator, vocabulary, testWords);
  const test = windows(testText, context);
  const model = new NeuralLanguageModel(vocabulary, context, embeddingDim, hidden, generator);
  const optimizer = new Adam(model.parameters(), { lr });

  const testContexts = tensor(test.contexts, [test.targets.length, context], 'int32');
  const testTargets = tensor(test.targets, [test.targets.length], 'int32');
  const perplexity = () => Math.exp(noGrad(() => crossEntropy(model.forward(testContexts), testTargets)).item());
  const initialPerplexity = perplexity();

  const examples = train.targets.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(examples, { generator }).dataSync();
    for (let start = 0; start < examples; start += batchSize) {
      const rows = order.subarray(start, start + batchSize);
      const contexts = new Int32Array(rows.length * context);
      rows.forEach((r, i) => contexts.set(train.contexts.subarray(r * context, (r + 1) * context), i * context));
      const targets = Int32Array.from(rows, (r) => train.targets[r]);
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(tensor(contexts, [rows.length, context], 'int32')), tensor(targets, [rows.length], 'int32'));
      loss.backward();
      optimizer.step();
    }
  }

  // The source's perplexity on the same text, from its third word on.
  let sourceNll = 0;
  for (let i = 2; i < testText.length; i++) sourceNll -= Math.log(source.probability(testText[i - 2], testText[i - 1], testText[i]));
  return {
    initialPerplexity,
    perplexity: perplexity(),
    sourcePerplexity: Math.exp(sourceNll / (testText.length - 2)),
    uniformPerplexity: vocabulary,
  };
}

/** The picture for the gallery. */
export function figure(result: LanguageModelResult): Figure {
  return barFigure('Neural probabilistic language model: held-out perplexity', [
    { label: 'uniform guess', value: result.uniformPerplexity },
    { label: 'before training', value: result.initialPerplexity },
    { label: 'after training', value: result.perplexity },
    { label: 'the source itself', value: result.sourcePerplexity },
  ], 'perplexity');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(run());
