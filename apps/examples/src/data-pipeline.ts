/**
 * Training from files instead of tensors in memory, the way data larger than memory is handled: a CSV is
 * streamed in chunks, unbatched into rows, shuffled through a bounded buffer, augmented with seeded noise
 * and batched again, every epoch afresh; the same rows are then converted once into shards, which train
 * with shard-and-row shuffling. Both reach the accuracy of training on tensors, while only a chunk, the
 * shuffle buffer and a batch (or one shard) are ever in memory.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/data-pipeline.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';
import { Generator, type Tensor } from '@backprop/tensor';
import { Linear, Sequential, Tanh } from '@backprop/layers';
import { Adam } from '@backprop/optim';
import { GaussianNoise, circle, readShards, streamCsv, writeShards } from '@backprop/datasets';
import { evaluate, fit } from '@backprop/train';

export interface DataPipelineOptions {
  rows?: number;
  epochs?: number;
  seed?: number;
}

export interface DataPipelineResult {
  /** Accuracy on a fresh test set after training from the streamed CSV and from the shards. */
  streamedAccuracy: number;
  shardedAccuracy: number;
  shards: number;
  /** Loss of the first and last epoch of the streamed run. */
  firstLoss: number;
  lastLoss: number;
}

const model = (seed: number) => {
  const generator = new Generator(seed);
  return new Sequential(new Linear(2, 16, { generator }), new Tanh(), new Linear(16, 16, { generator }), new Tanh(), new Linear(16, 2, { generator }));
};

export async function run(options: DataPipelineOptions = {}): Promise<DataPipelineResult> {
  const { rows = 2000, epochs = 12, seed = 0 } = options;
  const dir = await mkdtemp(join(tmpdir(), 'backprop-data-pipeline-'));
  try {
    // The "large" file: TensorFlow Playground's circle set, coordinates scaled to [-1, 1].
    const { x, y } = circle(rows, { noise: 0.05, seed });
    const xs = x.div(6).toArray() as number[][];
    const ys = y.toArray() as number[];
    const csv = join(dir, 'circle.csv');
    await writeFile(csv, 'x1,x2,label\n' + xs.map(([a, b], i) => `${a},${b},${ys[i]}`).join('\n') + '\n');
    const test = circle(500, { noise: 0.05, seed: seed + 1 });
    const testSet = { x: test.x.div(6), y: test.y };

    // Chunks of 4 KB, rows shuffled in a 500-row buffer, seeded noise on every row, new draws every epoch.
    const noise = new GaussianNoise(0.02, { seed });
    const streamed = streamCsv(csv, { labelColumn: 'label', labelDtype: 'int32', batchSize: 256, chunkSize: 4096 })
      .unbatch()
      .shuffle(500, { seed })
      .map(([xi, yi]): [Tensor, Tensor] => [noise.transform(xi), yi])
      .batch(32)
      .prefetch(2);
    const a = model(seed);
    const history = await fit(a, { loss: 'crossEntropy', optimizer: new Adam(a.parameters(), { lr: 0.02 }), data: streamed, epochs, seed });

    // Prepared once into shards of 400 rows, then read a shard at a time, shuffled anew every epoch.
    const shardDir = join(dir, 'shards');
    const { shards } = await writeShards(shardDir, streamCsv(csv, { labelColumn: 'label', labelDtype: 'int32', batchSize: 1000 }), { rowsPerShard: 400 });
    const b = model(seed);
    await fit(b, { loss: 'crossEntropy', optimizer: new Adam(b.parameters(), { lr: 0.02 }), data: readShards(shardDir, { batchSize: 32, shuffle: true, seed }), epochs, seed });

    return {
      streamedAccuracy: evaluate(a, testSet, { metrics: ['accuracy'] }).accuracy,
      shardedAccuracy: evaluate(b, testSet, { metrics: ['accuracy'] }).accuracy,
      shards,
      firstLoss: history.epochs[0].loss,
      lastLoss: history.epochs.at(-1)!.loss,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The picture for the gallery. */
export function figure(result: DataPipelineResult): Figure {
  return barFigure('Training from files: test accuracy', [
    { label: 'streamed CSV', value: result.streamedAccuracy },
    { label: `${result.shards} shards`, value: result.shardedAccuracy },
  ], 'accuracy');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await run());
}
