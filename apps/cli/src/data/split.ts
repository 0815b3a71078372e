import { trainTestSplit } from '@backprop/datasets';
import type { ArrayData } from '@backprop/train';
import { ConfigError, messageOf } from '../errors.js';
import type { LoadedData } from './load-data.js';

/**
 * The train/test split of `backprop train`: seeded, stratified for classification, so that `eval`
 * without `--data` finds the very same test samples again.
 */
export function splitData(data: LoadedData, testSplit: number, seed: number): { train: ArrayData; test: ArrayData | null } {
  if (testSplit === 0) return { train: { x: data.x, y: data.y }, test: null };
  const n = data.x.shape[0];
  let s;
  try {
    s = trainTestSplit(data.x, data.y, { testSize: testSplit, stratify: data.task === 'classification', seed });
  } catch (e) {
    throw new ConfigError('$.testSplit', `cannot split ${n} samples: ${messageOf(e)}`);
  }
  const kept = s.xTrain.shape[0];
  const held = s.xTest.shape[0];
  if (kept === 0 || held === 0) {
    const fix = kept === 0 ? 'use a smaller fraction such as 0.2' : 'use a larger fraction, or 0 for no test split';
    throw new ConfigError('$.testSplit', `${testSplit} of ${n} samples leaves ${kept} for training and ${held} for testing; ${fix}`);
  }
  return { train: { x: s.xTrain, y: s.yTrain }, test: { x: s.xTest, y: s.yTest } };
}
