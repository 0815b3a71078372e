import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorEvent, errorLine, run, tempDir, writeConfig, type RunResult } from './helpers.js';

/** Exit code 2, one sentence on stderr (no stack, nothing "unexpected"), and the JSON error line too. */
function expectUsageError(r: RunResult, sentence: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const line = errorLine(r.stderr);
  if (typeof sentence === 'string') expect(line).toBe(`backprop: ${sentence}`);
  else expect(line).toMatch(sentence);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect(errorEvent(r.stderr)).toMatchObject({ event: 'error', exitCode: 2, message: line.replace(/^backprop: /, '') });
}

async function train(config: unknown, extra: string[] = [], dir = tempDir()): Promise<RunResult> {
  return run(['train', writeConfig(dir, 'config.json', config), ...extra], dir);
}

/** An IDX file (MNIST's format) of unsigned bytes with the given dimensions. */
function idx(path: string, dims: number[]): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(path, Buffer.concat([header, Buffer.alloc(dims.reduce((a, b) => a * b, 1), 1)]));
}

describe('configs that used to train on nonsense or fail late are refused up front', () => {
  it('a class-label loss on regression targets', async () => {
    const r = await train({ data: { synthetic: 'plane', n: 50 }, loss: 'crossEntropy' });
    expectUsageError(r, /^backprop: \$\.loss: crossEntropy needs integer class labels 0\.\.C−1 as targets, but the data has real-valued \(regression\) targets/);
    expectUsageError(await train({ data: { synthetic: 'plane', n: 50 }, loss: { name: 'nllLoss' } }), /^backprop: \$\.loss: nllLoss needs integer class labels/);
  });

  it('a testSplit that leaves no training (or no test) samples', async () => {
    expectUsageError(await train({ data: 'iris', testSplit: 0.99 }), '$.testSplit: 0.99 of 150 samples leaves 0 for training and 150 for testing; use a smaller fraction such as 0.2');
    expectUsageError(await train({ data: 'iris', testSplit: 0.001 }), /^backprop: \$\.testSplit: 0\.001 of 150 samples leaves 150 for training and 0 for testing/);
  });

  it('early stopping or a plateau schedule watching a log that is never written', async () => {
    expectUsageError(
      await train({ data: 'iris', earlyStopping: { monitor: 'valLoss' } }),
      '$.earlyStopping.monitor: "valLoss" is logged only with validation data; set "validationSplit" (e.g. 0.1) or watch "loss"',
    );
    expectUsageError(
      await train({ data: 'iris', validationSplit: 0.2, schedule: { name: 'ReduceLROnPlateau', monitor: 'valF1' } }),
      '$.schedule.monitor: "valF1" is not logged; the logs are "loss", "accuracy", "valLoss", "valAccuracy"',
    );
  });

  it('a model with no layers', async () => {
    expectUsageError(await train({ data: 'iris', model: [] }), '$.model: expected at least one layer, got []');
    expectUsageError(await train({ data: 'iris', model: { type: 'Sequential', layers: [] } }), '$.model.layers: expected at least one layer, got []');
  });

  it('IDX images and labels that do not pair up', async () => {
    const dir = tempDir();
    idx(join(dir, 'images.idx'), [20, 2, 2]);
    idx(join(dir, 'labels.idx'), [15]);
    const r = await train({ data: { idx: { images: 'images.idx', labels: 'labels.idx' } } }, [], dir);
    expectUsageError(r, `$.data.idx: ${join(dir, 'images.idx')} holds 20 images but ${join(dir, 'labels.idx')} holds 15 labels; they must pair up one to one`);
  });

  it('a number too large for JSON (1e400) is named as such, not as null', async () => {
    expectUsageError(await train('{"data": "iris", "epochs": 1e400}'), '$.epochs: expected a finite number, got Infinity (a number too large to represent, such as 1e400)');
  });

  it('a config that starts with a byte-order mark trains', async () => {
    const r = await train(`\uFEFF${JSON.stringify({ data: 'iris', epochs: 1 })}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('--save and --checkpoint destinations are checked before training', () => {
  const config = { data: 'iris', epochs: 1 };

  it('a missing folder, a folder, something that is not a file', async () => {
    const dir = tempDir();
    expectUsageError(await train(config, ['--save', 'nowhere/model.safetensors'], dir), `--save: cannot write ${join(dir, 'nowhere', 'model.safetensors')}: the folder ${join(dir, 'nowhere')} does not exist`);
    mkdirSync(join(dir, 'out'));
    expectUsageError(await train(config, ['--save', 'out'], dir), `--save: cannot write ${join(dir, 'out')}: it is a folder; give a file name inside it, e.g. ${join(dir, 'out', 'model.safetensors')}`);
    expectUsageError(await train({ ...config, checkpoint: 'out' }, [], dir), /^backprop: \$\.checkpoint: cannot write .*out: it is a folder/);
    expectUsageError(await train(config, ['--checkpoint', '/dev/null'], dir), '--checkpoint: cannot write /dev/null: it exists and is not a regular file');
  });

  it('a place that cannot be written: no epoch runs', async () => {
    // sysfs refuses new files even to root, where a read-only folder would not stop root.
    const r = await train(config, ['--save', '/sys/model.safetensors']);
    expectUsageError(r, /^backprop: --save: cannot write \/sys\/model\.safetensors: (permission denied|the file system is read-only)$/);
    expect(r.stdout).not.toContain('"event":"epoch"');
    const dir = tempDir();
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const locked = await train(config, ['--save', 'locked/model.safetensors'], dir);
    // Root may write anywhere; everyone else is refused before training.
    if (process.getuid?.() !== 0) expectUsageError(locked, /cannot write .*locked\/model\.safetensors: permission denied$/);
    else expect(locked.code, locked.stderr).toBe(0);
  });
});

describe('predict refuses input it used to misread', () => {
  const dir = tempDir();
  beforeAll(async () => {
    const r = await run(['train', writeConfig(dir, 'iris.json', { data: 'iris', epochs: 2 }), '--save', 'iris.safetensors'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('samples of another shape with the same number of values', async () => {
    writeFileSync(join(dir, 'square.json'), JSON.stringify([[[1, 2], [3, 4]]]));
    const r = await run(['predict', 'iris.safetensors', '--input', 'square.json'], dir);
    expectUsageError(r, 'the model takes samples of shape [4] (4 values) but square.json has samples of shape [2, 2] (4 values)');
  });

  it('an empty input and a binary one', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    expectUsageError(await run(['predict', 'iris.safetensors', '--input', 'empty.csv'], dir), 'input file empty.csv is empty; expected samples as CSV rows or a JSON array');
    expectUsageError(await run(['predict', 'iris.safetensors', '--input', '-'], dir, '  \n'), 'stdin is empty; expected samples as CSV rows or a JSON array');
    writeFileSync(join(dir, 'noise.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x01]));
    expectUsageError(await run(['predict', 'iris.safetensors', '--input', 'noise.csv'], dir), 'input file noise.csv is not a text file (it holds binary data); expected samples as CSV rows or a JSON array');
  });

  it('summary, eval and --resume of a file that is no model file', async () => {
    writeFileSync(join(dir, 'table.csv'), 'a,b\n1,2\n');
    expectUsageError(await run(['summary', 'table.csv'], dir), 'table.csv is neither a model file (a .safetensors file from backprop train --save) nor a training config (.json)');
    expectUsageError(await run(['eval', 'table.csv'], dir), 'table.csv is not a model file (a .safetensors file written by backprop train --save or --checkpoint)');
    expectUsageError(await run(['train', '--resume', 'table.csv'], dir), `${join(dir, 'table.csv')} is not a checkpoint (a .safetensors file written by backprop train --save or --checkpoint)`);
  });
});
