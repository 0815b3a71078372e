import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '@backprop/tensor';
import { Adam } from '@backprop/optim';
import { DataLoader, GaussianNoise, Pipeline, TensorDataset, circle, loadIris, streamCsv } from '@backprop/datasets';
import { evaluate, fit, predict, type DataInput } from '../src/index.js';
import { mlp } from './helpers.js';

const set = () => {
  const { x, y } = circle(200, { noise: 0, seed: 4 });
  return { x: x.div(6), y };
};

async function trainOn(data: DataInput, epochs = 40, extra: Record<string, unknown> = {}, sizes = [2, 16, 2]) {
  const model = mlp(sizes, 3, 'tanh');
  const history = await fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters(), { lr: 0.02 }), data, epochs, seed: 0, ...extra });
  return { model, history };
}

describe('fit reads every input form', () => {
  const { x, y } = set();
  const batches = (size: number): [Tensor, Tensor][] => [...new DataLoader(new TensorDataset(x, y), { batchSize: size })] as [Tensor, Tensor][];

  const forms: [string, () => DataInput][] = [
    ['a DataLoader', () => new DataLoader(new TensorDataset(x, y), { batchSize: 16, shuffle: true, seed: 1 })],
    ['a map-style Dataset (batched with batchSize, shuffled with seed)', () => new TensorDataset(x, y)],
    ['an array of [x, y] batches', () => batches(16)],
    ['a Pipeline (async, shuffled per epoch, prefetched)', () => Pipeline.from(new TensorDataset(x, y)).shuffle(200, { seed: 2 }).batch(16).prefetch(2)],
    [
      'an async iterable of { x, y } batches that starts afresh each epoch',
      () => ({
        async *[Symbol.asyncIterator]() {
          for (const [xb, yb] of batches(20)) yield { x: xb, y: yb };
        },
      }),
    ],
  ];
  for (const [name, make] of forms) {
    it(`trains through ${name}`, async () => {
      const { model, history } = await trainOn(make());
      expect(history.epochs).toHaveLength(40);
      expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss);
      expect(evaluate(model, { x, y }, { metrics: ['accuracy'] }).accuracy).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('trains from a CSV file streamed in chunks, reading it again every epoch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bp-fit-csv-'));
    try {
      const path = join(dir, 'circle.csv');
      const xs = x.toArray() as number[][];
      const ys = y.toArray() as number[];
      await writeFile(path, 'x1,x2,label\n' + xs.map((r, i) => `${r[0]},${r[1]},${ys[i]}`).join('\n'));
      const data = streamCsv(path, { labelColumn: 'label', labelDtype: 'int32', batchSize: 16, chunkSize: 512 });
      const { model, history } = await trainOn(data);
      expect(history.epochs).toHaveLength(40);
      expect((await evaluate(model, data, { metrics: ['accuracy'] })).accuracy).toBeGreaterThanOrEqual(0.9);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells callbacks the batches per epoch when the input knows them, NaN for a stream', async () => {
    const stepsSeen = async (data: DataInput) => {
      let steps = -1;
      await trainOn(data, 1, { batchSize: 50, callbacks: [{ onTrainBegin: (ctx: { stepsPerEpoch: number }) => void (steps = ctx.stepsPerEpoch) }] });
      return steps;
    };
    expect(await stepsSeen({ x, y })).toBe(4);
    expect(await stepsSeen(new TensorDataset(x, y))).toBe(4);
    expect(await stepsSeen(new DataLoader(new TensorDataset(x, y), { batchSize: 64 }))).toBe(4);
    expect(await stepsSeen(batches(100))).toBe(2);
    expect(await stepsSeen(Pipeline.from(new TensorDataset(x, y)).batch(50))).toBeNaN();
  });

  it('says when a one-shot iterator runs out after the first epoch, and what to pass instead', async () => {
    const once = (function* () {
      yield* batches(50);
    })();
    await expect(trainOn(once, 2)).rejects.toThrow(/data is an iterator that epoch 1 used up.*pass something that iterates afresh/);
    await expect(trainOn(x as never)).rejects.toThrow(/fit: data: expected \{ x: Tensor, y: Tensor \}, a Dataset, a DataLoader .*got a tensor of shape \[200, 2\]/);
    await expect(trainOn([[x]] as never)).rejects.toThrow(/fit: data: batch 1 is an array of 1 element; expected \[x, y\] or \{ x, y \}/);
  });

  it('applies a seeded transform to every training batch, with new draws every epoch', async () => {
    let calls = 0;
    const noisy = () => {
      const noise = new GaussianNoise(0.05, { seed: 3 });
      return (xb: Tensor) => {
        calls++;
        return noise.transform(xb);
      };
    };
    const a = await trainOn({ x, y }, 3, { transform: noisy(), batchSize: 50 });
    expect(calls).toBe(3 * 4);
    const b = await trainOn({ x, y }, 3, { transform: noisy(), batchSize: 50 });
    const plain = await trainOn({ x, y }, 3, { batchSize: 50 });
    expect(b.history.epochs).toEqual(a.history.epochs);
    expect(plain.history.epochs[0].loss).not.toBe(a.history.epochs[0].loss);
  });
});

describe('evaluate and predict read every input form', () => {
  it('evaluate takes loss names and gives the same numbers for tensors, a DataLoader, a Dataset and a Pipeline', async () => {
    const { x, y } = set();
    const { model } = await trainOn({ x, y }, 5);
    const reference = evaluate(model, { x, y }, { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(reference.loss).toBeGreaterThan(0);
    const ds = new TensorDataset(x, y);
    expect(await evaluate(model, new DataLoader(ds, { batchSize: 64 }), { loss: 'crossEntropy', metrics: ['accuracy'] })).toEqual(reference);
    expect(evaluate(model, [...new DataLoader(ds, { batchSize: 64 })] as [Tensor, Tensor][], { loss: 'crossEntropy', metrics: ['accuracy'] })).toEqual(reference);
    expect(evaluate(model, ds, { loss: { name: 'crossEntropy' }, metrics: ['accuracy'], batchSize: 7 }).accuracy).toBe(reference.accuracy);
    const streamed = await evaluate(model, Pipeline.from(ds).batch(33), { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(streamed.accuracy).toBe(reference.accuracy);
    expect(streamed.loss).toBeCloseTo(reference.loss, 5);

    const direct = predict(model, x).toArray();
    expect((await predict(model, new DataLoader(new TensorDataset(x), { batchSize: 30 }))).toArray()).toEqual(direct);
    expect((await predict(model, new DataLoader(ds, { batchSize: 30 }))).toArray()).toEqual(direct);
    expect(predict(model, ds, { batchSize: 30 }).toArray()).toEqual(direct);
    expect((await predict(model, Pipeline.from(ds).batch(64))).toArray()).toEqual(direct);
  });
});

describe('validation as a fraction', () => {
  const iris = () => {
    const { x, y } = loadIris(); // sorted by class: the last 20% is all class 2
    return { x: x.div(8), y };
  };
  const run = (extra: Record<string, unknown>) => trainOn(iris() as DataInput, 1, { validation: 0.2, metrics: ['accuracy'], ...extra }, [4, 16, 3]);

  /** A metric counting the distinct classes among the targets it saw: fit logs it for training and validation. */
  const classesSeen = () => {
    const seen = new Set<number>();
    return {
      name: 'classes',
      reset: () => seen.clear(),
      update: (_: Tensor, target: Tensor) => target.dataSync().forEach((v) => seen.add(v)),
      result: () => seen.size,
    };
  };

  it('is drawn at random with the seed by default, and the history says so', async () => {
    const { history } = await run({ metrics: [classesSeen()] });
    expect(history.validationSplit).toEqual({ fraction: 0.2, samples: 30, method: 'random' });
    // Held out at random, the validation part has every species; the tail of Iris has only the last.
    expect(history.epochs[0]).toMatchObject({ classes: 3, valClasses: 3 });
    const tail = await run({ metrics: [classesSeen()], validationSplit: { shuffle: false } });
    expect(tail.history.epochs[0]).toMatchObject({ classes: 3, valClasses: 1 });
    // The same seed holds out the same samples: the same validation loss.
    expect((await run({})).history.epochs[0].valLoss).toBe(history.epochs[0].valLoss);
  });

  it('takes the tail with validationSplit: { shuffle: false } and keeps class shares with stratify', async () => {
    const { y } = iris();
    const labels = y.toArray() as number[];
    expect(new Set(labels.slice(120))).toEqual(new Set([2]));
    const tail = await run({ validationSplit: { shuffle: false } });
    expect(tail.history.validationSplit).toEqual({ fraction: 0.2, samples: 30, method: 'tail' });
    const stratified = await run({ validationSplit: { stratify: true } });
    expect(stratified.history.validationSplit).toEqual({ fraction: 0.2, samples: 30, method: 'stratified' });
    await expect(run({ validationSplit: { stratify: true, shuffle: false } })).rejects.toThrow(/stratify needs shuffle: true/);
    await expect(trainOn(iris() as DataInput, 1, { validationSplit: { shuffle: false } }, [4, 16, 3])).rejects.toThrow(/validationSplit applies to validation given as a fraction/);
  });

  it('is refused for streams, which cannot be split before reading', async () => {
    const { x, y } = set();
    await expect(trainOn(Pipeline.from(new TensorDataset(x, y)).batch(10), 1, { validation: 0.2 })).rejects.toThrow(
      /validation as a fraction \(0.2\) needs data as tensors or a Dataset/,
    );
  });
});

describe('unknown options', () => {
  it('fit, evaluate and predict name the unknown option and the closest valid one', async () => {
    const { x, y } = set();
    const model = mlp([2, 4, 2], 0);
    await expect(fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters()), data: { x, y }, epochs: 1, epoch: 3 } as never)).rejects.toThrow(
      /unknown option "epoch"; did you mean "epochs"\?/,
    );
    await expect(fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters()), data: { x, y }, epochs: 1, validation: 0.2, validationSplit: { shufle: false } } as never)).rejects.toThrow(
      /unknown option "shufle" in validationSplit; did you mean "shuffle"\?/,
    );
    expect(() => evaluate(model, { x, y }, { metric: ['accuracy'] } as never)).toThrow(/evaluate: unknown option "metric"; did you mean "metrics"\?/);
    expect(() => predict(model, x, { batchsize: 2 } as never)).toThrow(/predict: unknown option "batchsize"; did you mean "batchSize"\?/);
    expect(() => evaluate(model, { x, y }, { loss: 'crossEntrpy' })).toThrow(/crossEntrpy/);
  });
});
