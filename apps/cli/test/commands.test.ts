import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, jsonLines, resultOf, run, tempDir, writeConfig } from './helpers.js';

const IRIS = { data: 'iris', epochs: 30, optimizer: { name: 'Adam', lr: 0.01 }, seed: 1 };

describe('eval, predict and summary of a saved model', () => {
  const dir = tempDir();
  let trained: Record<string, any>;
  beforeAll(async () => {
    const r = await run(['train', writeConfig(dir, 'iris.json', IRIS), '--save', 'iris.safetensors'], dir);
    expect(r.code, r.stderr).toBe(0);
    trained = resultOf(r.stdout);
  });

  it('eval without --data scores the test split used in training, with a confusion matrix', async () => {
    const r = await run(['eval', 'iris.safetensors', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const [e] = jsonLines(r.stdout);
    expect(e.samples).toBe(trained.testSamples);
    expect(e.accuracy).toBe(trained.test.accuracy);
    expect(e.loss).toBeCloseTo(trained.test.loss, 6);
    expect(e.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(e.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(trained.testSamples);
    const human = await run(['eval', 'iris.safetensors', '--data', 'iris', '--no-json'], dir);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('confusion matrix');
    expect(human.stdout).toMatch(/setosa\s+\d+\s+\d+\s+\d+/);
  });

  it('eval refuses data whose samples do not fit the model, naming both shapes', async () => {
    const r = await run(['eval', 'iris.safetensors', '--data', 'digits'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('labels up to 9 but the model knows 3 classes');
    const moons = await run(['eval', 'iris.safetensors', '--data', '{"synthetic": "blobs", "classes": 3}'], dir);
    expect(moons.code, moons.stderr).toBe(2);
    expect(moons.stderr).toContain('the model takes samples of shape [4] (4 values) but the data has samples of shape [2] (2 values)');
  });

  it('predict reads CSV (columns by name) and JSON, and prints class names and probabilities', async () => {
    writeFileSync(join(dir, 'flowers.csv'), 'species,sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\nx,5.1,3.5,1.4,0.2\nx,6.7,3.0,5.2,2.3\n');
    const csv = await run(['predict', 'iris.safetensors', '--input', 'flowers.csv', '--json'], dir);
    expect(csv.stderr).toBe('');
    const predictions = jsonLines(csv.stdout);
    expect(predictions.map((p) => [p.event, p.sample])).toEqual([['prediction', 0], ['prediction', 1]]);
    expect(predictions.map((p: any) => p.label)).toEqual(['setosa', 'virginica']);
    expect(predictions[0].probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    writeFileSync(join(dir, 'flowers.json'), JSON.stringify([[5.1, 3.5, 1.4, 0.2]]));
    const json = await run(['predict', 'iris.safetensors', '--input', 'flowers.json', '--no-json'], dir);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toMatch(/^0\s+setosa\s+\d+\.\d%$/m);
  });

  it('summary prints the layer table of a model file and of a config', async () => {
    const file = await run(['summary', 'iris.safetensors', '--json'], dir);
    const s = jsonLines(file.stdout)[0];
    expect(s.inputShape).toEqual([4]);
    expect(s.totalParams).toBe(4 * 128 + 128 + 128 * 3 + 3);
    const config = await run(['summary', 'iris.json', '--no-json'], dir);
    expect(config.stdout).toMatch(/0 \(Linear\)\s+\[1, 128\]\s+640/);
    expect(config.stdout).toContain('Total params: 1,027');
  });
});

describe('gradcheck', () => {
  it('passes for a correct network and reports every parameter', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'tiny.json', { data: 'iris', model: [{ type: 'Linear', inFeatures: 4, outFeatures: 5 }, { type: 'Tanh' }, { type: 'Linear', inFeatures: 5, outFeatures: 3 }] });
    const r = await run(['gradcheck', config, '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const g = jsonLines(r.stdout)[0];
    expect(g.ok).toBe(true);
    expect(g.parameters.map((p: any) => p.parameter)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const p of g.parameters) expect(p.relativeError).toBeLessThan(1e-4);
  });

  it('fails with exit code 1 naming the parameter whose gradient is wrong', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'broken.json', {
      data: 'iris',
      model: [{ type: 'Scale', features: 4, wrongGradient: true }, { type: 'Linear', inFeatures: 4, outFeatures: 3 }],
    });
    const r = await run(['gradcheck', config, '--plugin', join(FIXTURES, 'scale-plugin.mjs'), '--no-json'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/0\.scale\s+\[4\]\s+\S+\s+\S+\s+FAIL/);
    expect(r.stderr).toMatch(/^backprop: gradient check failed for 0\.scale: 0\.scale at \[\d\] has analytic/);
  });
});

describe('datasets, --help and --version', () => {
  it('lists what can be loaded and generated', async () => {
    const r = await run(['datasets', '--json'], tempDir());
    const names = jsonLines(r.stdout)[0].datasets.map((d: any) => d.config);
    expect(names).toContain('{"name": "digits"}');
    expect(names).toContain('{"synthetic": "multiGaussian"}');
    expect(names).toContain('{"sequence": "parity"}');
  });

  it('every command has --help (exit 0), and --version prints the package version', async () => {
    const dir = tempDir();
    for (const command of ['train', 'eval', 'predict', 'summary', 'gradcheck', 'export', 'datasets']) {
      const r = await run([command, '--help'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Usage: backprop ${command}`);
    }
    const v = await run(['--version'], dir);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
