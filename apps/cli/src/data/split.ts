import { trainTestSplit } from '@backprop/datasets';
import type { ArrayData } from '@backprop/train';
import { UsageError, messageOf } from '../errors.js';
import type { LoadedData } from './load-data.js';

/**
 * The train/test split of `backprop train`: seeded, stratified for classification, so that `eval`
 * without `--data` finds the very same test samples again.
 */
export function splitData(data: LoadedData, testSplit: number, seed: number): { train: ArrayData; test: ArrayData | null } {
  if (testSplit === 0) return { train: { x: data.x, y: data.y }, test: null };
  try {
    const s = trainTestSplit(data.x, data.y, { testSize: testSplit, stratify: data.task === 'classification', seed });
    return { train: { x: s.xTrain, y: s.yTrain }, test: { x: s.xTest, y: s.yTest } };
  } catch (e) {
    throw new UsageError(`$.testSplit: cannot split ${data.x.shape[0]} samples: ${messageOf(e)}`);
  }
}
