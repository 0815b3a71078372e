import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES, resultOf, run, tempDir, writeConfig } from './helpers.js';

describe('backprop train <config>', () => {
  it('trains a CNN on the digits as [N, 1, 8, 8]', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'cnn.json', {
      model: [
        { type: 'Conv2d', inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1 },
        { type: 'ReLU' },
        { type: 'MaxPool2d', kernelSize: 2 },
        { type: 'Flatten' },
        { type: 'Linear', inFeatures: 64, outFeatures: 10 },
      ],
      data: { name: 'digits', shape: [1, 8, 8] },
      optimizer: { name: 'Adam', lr: 0.01 },
      epochs: 3,
    });
    const r = await run(['train', config, '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(resultOf(r.stdout).test.accuracy).toBeGreaterThan(0.85);
  });

  it('trains an LSTM on the parity of bit sequences (the shipped example)', async () => {
    const r = await run(['train', join(EXAMPLES, 'parity-lstm.json'), '--json'], tempDir());
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    const result = resultOf(r.stdout);
    expect(result.data).toBe('parity sequences (length 4)');
    expect(result.test.accuracy).toBeGreaterThan(0.9);
  });

  it('trains a regression on a synthetic set with a schedule, clipping, validation and early stopping', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'plane.json', {
      data: { synthetic: 'plane', n: 200, noise: 0.1, seed: 3 },
      optimizer: { name: 'SGD', lr: 0.05, momentum: 0.9 },
      schedule: { name: 'StepLR', stepSize: 2, gamma: 0.5 },
      clipGradNorm: 1,
      validationSplit: 0.2,
      earlyStopping: { patience: 1 },
      metrics: ['mae', 'r2'],
      epochs: 6,
    });
    const r = await run(['train', config], dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const epochs = lines.filter((l) => l.event === 'epoch');
    expect(epochs[0]).toHaveProperty('valLoss');
    expect(epochs[0]).toHaveProperty('r2');
    // StepLR halves the rate every two epochs; each line shows the rate that epoch used.
    expect(epochs.slice(0, 3).map((e) => e.lr)).toEqual([0.05, 0.05, 0.025]);
    expect(resultOf(r.stdout)).toMatchObject({ task: 'regression' });
  });

  it('loads plugin layers with --plugin and fails with a hint without it', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'plugin.json', {
      model: [{ type: 'Scale', features: 4 }, { type: 'Linear', inFeatures: 4, outFeatures: 3 }],
      data: 'iris',
      epochs: 2,
    });
    const ok = await run(['train', config, '--plugin', join(FIXTURES, 'scale-plugin.mjs')], dir);
    expect(ok.stderr).toBe('');
    expect(ok.code, ok.stderr).toBe(0);
    const missing = await run(['train', config], dir);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('$.model.layers[0]: unknown layer type "Scale"');
    expect(missing.stderr).toContain('--plugin');
  });
});
