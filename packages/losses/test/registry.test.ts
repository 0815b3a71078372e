import { Generator, ValueError, randint, randn, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropy, listLosses, lossFromConfig } from '../src/index.js';

describe('lossFromConfig and listLosses', () => {
  it('lists every loss', () => {
    expect(listLosses()).toEqual([
      'mseLoss', 'l1Loss', 'huberLoss', 'smoothL1Loss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits',
      'hingeLoss', 'multiMarginLoss', 'crossEntropy', 'nllLoss', 'klDiv', 'poissonNllLoss',
    ]);
  });

  it('builds each listed loss from its name alone', () => {
    for (const name of listLosses()) expect(typeof lossFromConfig({ name })).toBe('function');
  });

  it('passes the options to the loss', () => {
    const generator = new Generator(3);
    const logits = randn([5, 4], { generator, dtype: 'float64' });
    const labels = randint(0, 4, [5], { generator, dtype: 'int32' });
    const fromConfig = lossFromConfig({ name: 'crossEntropy', labelSmoothing: 0.1, reduction: 'sum' })(logits, labels);
    expect(fromConfig.item()).toBe(crossEntropy(logits, labels, { labelSmoothing: 0.1, reduction: 'sum' }).item());
    expect(fromConfig.item()).not.toBe(crossEntropy(logits, labels, { reduction: 'sum' }).item());
  });

  it('an unknown name lists the known ones, and suggests the camelCase spelling of a PyTorch name', () => {
    expect(() => lossFromConfig({ name: 'focal' })).toThrow(/lossFromConfig: unknown loss 'focal'; known losses: mseLoss, l1Loss, .*klDiv, poissonNllLoss$/);
    expect(() => lossFromConfig({ name: 'cross_entropy' })).toThrow("unknown loss 'cross_entropy' (did you mean 'crossEntropy'?)");
    expect(() => lossFromConfig({ name: 'MSELoss' })).toThrow("(did you mean 'mseLoss'?)");
  });

  it('a bad option field is named before any training step', () => {
    expect(() => lossFromConfig({ name: 'huberLoss', beta: 0.5 })).toThrow(
      new ValueError('lossFromConfig', "huberLoss: unknown option 'beta'; the options are reduction, delta"),
    );
    expect(() => lossFromConfig({ name: 'crossEntropy', labelSmoothing: '0.1' })).toThrow(
      "lossFromConfig: crossEntropy: option 'labelSmoothing' must be a finite number, got '0.1'",
    );
  });

  it('a config without a name', () => {
    expect(() => lossFromConfig({ reduction: 'sum' } as never)).toThrow("lossFromConfig: expected an object with a string 'name', got name undefined");
    expect(() => lossFromConfig(null as never)).toThrow('got null');
  });

  it('checks ranges when the loss runs, as a direct call does', () => {
    const loss = lossFromConfig({ name: 'huberLoss', delta: -1 });
    expect(() => loss(zeros([2]), zeros([2]))).toThrow('huberLoss: delta must be positive, got -1');
  });
});
