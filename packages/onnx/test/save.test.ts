import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, randn } from '@backprop/tensor';
import { Linear, Sequential, Sigmoid } from '@backprop/layers';
import { exportOnnx, saveOnnx } from '../src/index.js';
import { expectClose, forwardEval, runOrt } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('saveOnnx', () => {
  it('writes the exported bytes atomically (no temporary file left) and the file runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-onnx-'));
    dirs.push(dir);
    const model = new Sequential(new Linear(3, 2, { generator: new Generator(5) }), new Sigmoid());
    const path = join(dir, 'model.onnx');
    await saveOnnx(model, path, { inputShape: [1, 3] });
    expect(await readdir(dir)).toEqual(['model.onnx']);
    const bytes = new Uint8Array(await readFile(path));
    expect(bytes).toEqual(exportOnnx(model, { inputShape: [1, 3] }));
    const x = randn([4, 3], { generator: new Generator(6) });
    expectClose((await runOrt(bytes, x)).data, forwardEval(model, x).dataSync() as Float32Array);
  });

  it('writes nothing when the export fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-onnx-'));
    dirs.push(dir);
    await expect(saveOnnx(new Linear(3, 2), join(dir, 'bad.onnx'), { inputShape: [1, 4] })).rejects.toThrow(/linear/);
    expect(await readdir(dir)).toEqual([]);
  });
});
