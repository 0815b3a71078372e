import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { saveModel } from '@backprop/io';
import { Linear } from '@backprop/layers';
import { Generator } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES, errorLine, jsonLines, run, tempDir, writeConfig } from './helpers.js';

ort.env.logLevel = 'error';

const softmax = (row: number[]) => {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};

/** Runs an .onnx file on `rows` (raw samples, as predict reads them) reshaped to `[rows, ...sampleShape]`; returns one output row per sample. */
async function runOnnx(path: string, rows: number[][], sampleShape: number[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, ...sampleShape]);
  const out = (await session.run({ input })).output;
  const width = out.dims[1];
  const data = Array.from(out.data as Float32Array);
  return rows.map((_, i) => data.slice(i * width, (i + 1) * width));
}

/** The class probabilities `backprop predict` gives for `rows`. */
async function predictProbabilities(dir: string, model: string, rows: unknown[], extra: string[] = []): Promise<number[][]> {
  writeFileSync(join(dir, 'samples.json'), JSON.stringify(rows));
  const r = await run(['predict', model, '--input', 'samples.json', '--json', ...extra], dir);
  expect(r.code, r.stderr).toBe(0);
  return jsonLines(r.stdout).map((p) => p.probabilities as number[]);
}

function expectRowsClose(actual: number[][], expected: number[][], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - expected[i][j]), `sample ${i}, output ${j}`).toBeLessThan(tolerance)));
}

describe('backprop export <model> --onnx', () => {
  const dir = tempDir();
  const IRIS_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.3, 1.3]];
  beforeAll(async () => {
    const config = writeConfig(dir, 'iris.json', { data: 'iris', epochs: 5, optimizer: { name: 'Adam', lr: 0.01 } });
    const r = await run(['train', config, '--save', 'iris.safetensors'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes an ONNX file that gives the outputs of backprop predict (standardization included), for any batch size', async () => {
    const r = await run(['export', 'iris.safetensors', '--onnx', 'iris.onnx', '--no-json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(dir, 'iris.onnx')}\n`);
    const onnx = await runOnnx(join(dir, 'iris.onnx'), IRIS_ROWS, [4]);
    expectRowsClose(onnx.map(softmax), await predictProbabilities(dir, 'iris.safetensors', IRIS_ROWS));
  });

  it('takes --input-shape, --opset and --static-batch, and reports them with --json', async () => {
    const r = await run(['export', 'iris.safetensors', '--onnx', 'static.onnx', '--input-shape', '3,4', '--opset', '13', '--static-batch', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { event: 'export', model: 'iris.safetensors', onnx: join(dir, 'static.onnx'), inputShape: [3, 4], opset: 13, dynamicBatch: false, standardized: true },
    ]);
    const onnx = await runOnnx(join(dir, 'static.onnx'), IRIS_ROWS, [4]);
    expectRowsClose(onnx.map(softmax), await predictProbabilities(dir, 'iris.safetensors', IRIS_ROWS));
    // A static batch of 3 refuses another batch size.
    await expect(runOnnx(join(dir, 'static.onnx'), IRIS_ROWS.slice(0, 2), [4])).rejects.toThrow();
  });

  it('exports the CNN and the LSTM example configs', async () => {
    const digits = [Array.from({ length: 64 }, (_, i) => (i * 7) % 17), Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 12 : 1))];
    const cnn = await run(['train', join(EXAMPLES, 'digits-cnn.json'), '--epochs', '1', '--save', 'cnn.safetensors'], dir);
    expect(cnn.code, cnn.stderr).toBe(0);
    const cnnExport = await run(['export', 'cnn.safetensors', '--onnx', 'cnn.onnx'], dir);
    expect(cnnExport.code, cnnExport.stderr).toBe(0);
    expectRowsClose((await runOnnx(join(dir, 'cnn.onnx'), digits, [1, 8, 8])).map(softmax), await predictProbabilities(dir, 'cnn.safetensors', digits));

    const bits = [[0, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]];
    const lstm = await run(['train', join(EXAMPLES, 'parity-lstm.json'), '--epochs', '2', '--save', 'lstm.safetensors'], dir);
    expect(lstm.code, lstm.stderr).toBe(0);
    const lstmExport = await run(['export', 'lstm.safetensors', '--onnx', 'lstm.onnx', '--json'], dir);
    expect(lstmExport.code, lstmExport.stderr).toBe(0);
    expect(jsonLines(lstmExport.stdout)[0]).toMatchObject({ inputShape: [1, 4, 1], standardized: false });
    const sequences = bits.map((b) => b.map((v) => [v]));
    expectRowsClose((await runOnnx(join(dir, 'lstm.onnx'), bits, [4, 1])).map(softmax), await predictProbabilities(dir, 'lstm.safetensors', sequences));
  });

  it('exports a model file written without the CLI when given --input-shape', async () => {
    await saveModel(new Linear(3, 2, { generator: new Generator(0) }), join(dir, 'plain.safetensors'));
    const without = await run(['export', 'plain.safetensors', '--onnx', 'plain.onnx'], dir);
    expect(without.code, without.stderr).toBe(2);
    expect(errorLine(without.stderr)).toBe('backprop: plain.safetensors does not store its input shape (backprop train writes it); pass --input-shape, batch first, e.g. --input-shape 1,64');
    const r = await run(['export', 'plain.safetensors', '--onnx', 'plain.onnx', '--input-shape', '1,3'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect((await runOnnx(join(dir, 'plain.onnx'), [[1, 2, 3]], [3]))[0]).toHaveLength(2);
  });

  it('names a layer without an ONNX rule (a plugin can add one), and refuses missing files and bad flags with exit code 2', async () => {
    const plugin = ['--plugin', join(FIXTURES, 'scale-plugin.mjs')];
    const config = writeConfig(dir, 'scale.json', { data: 'iris', epochs: 1, model: [{ type: 'Scale', features: 4 }, { type: 'Linear', inFeatures: 4, outFeatures: 3 }] });
    expect((await run(['train', config, '--save', 'scale.safetensors', ...plugin], dir)).code).toBe(0);
    const noRule = await run(['export', 'scale.safetensors', '--onnx', 'scale.onnx', ...plugin], dir);
    expect(noRule.code, noRule.stderr).toBe(2);
    expect(noRule.stderr).toMatch(/^backprop: cannot export scale\.safetensors to ONNX: no ONNX export rule for layer type "Scale" \(at "0" in the model\)/);

    // A plugin's register() gets the CLI's registerOnnxExporter, so its rule is the one export uses.
    const withRule = await run(['export', 'scale.safetensors', '--onnx', 'scale.onnx', ...plugin, '--plugin', join(FIXTURES, 'scale-onnx-plugin.mjs')], dir);
    expect(withRule.code, withRule.stderr).toBe(0);
    expectRowsClose((await runOnnx(join(dir, 'scale.onnx'), IRIS_ROWS, [4])).map(softmax), await predictProbabilities(dir, 'scale.safetensors', IRIS_ROWS, plugin));

    const missing = await run(['export', 'nope.safetensors', '--onnx', 'x.onnx'], dir);
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr)).toBe('backprop: model file nope.safetensors does not exist');
    const opset = await run(['export', 'iris.safetensors', '--onnx', 'x.onnx', '--opset', '12'], dir);
    expect(opset.code).toBe(2);
    expect(errorLine(opset.stderr)).toBe('backprop: --opset must be from 13 to 21, got 12');
    for (const shape of ['1,0', '1;4', '']) {
      const bad = await run(['export', 'iris.safetensors', '--onnx', 'x.onnx', '--input-shape', shape], dir);
      expect(bad.code, shape).toBe(2);
      expect(bad.stderr).toContain('expected positive integers separated by commas');
    }
    const wrongShape = await run(['export', 'iris.safetensors', '--onnx', 'x.onnx', '--input-shape', '1,5'], dir);
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toMatch(/^backprop: cannot export iris\.safetensors to ONNX with input shape \[1, 5\]: /);
    expect((await run(['export', 'iris.safetensors'], dir)).code).toBe(2); // --onnx is required
  });
});

describe('backprop export <model> --pytorch', () => {
  const dir = tempDir();
  const IRIS_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.3, 1.3]];
  beforeAll(async () => {
    const config = writeConfig(dir, 'iris.json', { data: 'iris', epochs: 5, optimizer: { name: 'Adam', lr: 0.01 } });
    const r = await run(['train', config, '--save', 'iris.safetensors'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes a torch module, its weights and the standardization, which in PyTorch give predict\'s outputs', async () => {
    const r = await run(['export', 'iris.safetensors', '--format', 'pytorch', '--out', 'torch', '--name', 'iris', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const [event] = jsonLines(r.stdout);
    expect(event).toEqual({
      event: 'export', model: 'iris.safetensors', format: 'pytorch',
      module: join(dir, 'torch', 'iris.py'), weights: join(dir, 'torch', 'iris.safetensors'), standardize: join(dir, 'torch', 'iris.standardize.json'),
    });
    // Debian's python3-torch (CI installs it): build the module, load the weights, standardize, run.
    const script = [
      'import json, sys, torch',
      `sys.path.insert(0, ${JSON.stringify(join(dir, 'torch'))})`,
      'import iris',
      'm = iris.build(); m.load_state_dict(iris.load_safetensors(sys.argv[1])); m.eval()',
      's = json.load(open(sys.argv[2]))',
      `x = torch.tensor(${JSON.stringify(IRIS_ROWS)}) * torch.tensor(s["scale"]) + torch.tensor(s["shift"])`,
      'print(json.dumps(torch.softmax(m(x), dim=1).tolist()))',
    ].join('\n');
    const py = spawnSync('/usr/bin/python3', ['-c', script, event.weights as string, event.standardize as string], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    expectRowsClose(JSON.parse(py.stdout) as number[][], await predictProbabilities(dir, 'iris.safetensors', IRIS_ROWS));
  });

  it('needs exactly one destination, and names a bad format', async () => {
    const both = await run(['export', 'iris.safetensors', '--onnx', 'a.onnx', '--pytorch', 'b'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --onnx <file>, --pytorch <dir>, or --format onnx\|pytorch with --out <path>/);
    const bad = await run(['export', 'iris.safetensors', '--format', 'keras', '--out', 'x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be onnx or pytorch, got 'keras'/);
  });
});
