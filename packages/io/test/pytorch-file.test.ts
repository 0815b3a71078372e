import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchNorm1d, Linear, Sequential } from '@backprop/layers';
import { tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { ModelFileError, loadPytorchStateDict, readPytorchFile } from '../src/index.js';

// Files written by torch.save itself: tooling/fixtures/io/gen_pt_files.py.
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'pytorch');
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  files: Record<string, Record<string, { shape: number[]; dtype: string; values: number[] }>>;
};
const OUR_DTYPE: Record<string, string> = {
  float32: 'float32', float64: 'float64', float16: 'float32', bfloat16: 'float32',
  int64: 'int32', int32: 'int32', int16: 'int32', int8: 'int32', uint8: 'int32', bool: 'bool',
};

function expectTensors(name: string, tensors: Map<string, Tensor>): void {
  for (const [key, want] of Object.entries(expected.files[name])) {
    const t = tensors.get(key);
    expect(t, `${name}: ${key}`).toBeDefined();
    expect(t!.shape).toEqual(want.shape);
    expect(t!.dtype).toBe(OUR_DTYPE[want.dtype]);
    expect(t!.toFlatArray().map(Number)).toEqual(want.values);
  }
}

describe('reading PyTorch .pt files', () => {
  it('reads a state_dict with int64 counters, exactly', () => {
    const { tensors } = readPytorchFile(file('mlp.pt'));
    expect([...tensors.keys()]).toEqual(Object.keys(expected.files['mlp.pt']));
    expectTensors('mlp.pt', tensors);
  });

  it('loads into a model that then computes what torch computed', async () => {
    const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new Linear(3, 2));
    model.loadStateDict(await loadPytorchStateDict(join(dir, 'mlp.pt')));
    model.eval();
    const probe = JSON.parse(readFileSync(join(dir, 'mlp.json'), 'utf8')) as { input: number[][]; output: number[][] };
    const out = model.call(tensor(probe.input)).toArray() as number[][];
    out.flat().forEach((v, i) => expect(v).toBeCloseTo(probe.output.flat()[i], 5));
  });

  it('follows offsets and strides of shared, sliced and transposed storage', () => {
    expectTensors('layouts.pt', readPytorchFile(file('layouts.pt')).tensors);
  });

  it('converts every storage type: float64, half and bfloat16, the integers and bool', () => {
    expectTensors('dtypes.pt', readPytorchFile(file('dtypes.pt')).tensors);
  });

  it('walks checkpoint-style containers and keeps their plain values', () => {
    const { tensors, object } = readPytorchFile(file('containers.pt'));
    expectTensors('containers.pt', tensors);
    const root = object as Map<string, unknown>;
    expect(root.get('epoch')).toBe(3);
    expect(root.get('lr')).toBe(0.1);
    expect(root.get('tags')).toEqual(['a', 'b']);
    expect((root.get('nested') as Map<string, unknown>).get('none')).toBeNull();
    expect((root.get('nested') as Map<string, unknown>).get('flag')).toBe(true);
  });

  it('refuses a pickle that would run code, naming the callable, and runs nothing', () => {
    expect(() => readPytorchFile(file('evil.pt'), 'evil.pt')).toThrow(ModelFileError);
    expect(() => readPytorchFile(file('evil.pt'), 'evil.pt')).toThrow(/evil\.pt: .*'posix\.system'.*refusing/);
  });

  it('says what to do with a legacy non-zip file, and with something else', () => {
    expect(() => readPytorchFile(file('legacy.pt'))).toThrow(/legacy \(pre-1\.6, non-zip\) torch\.save file/);
    expect(() => readPytorchFile(new TextEncoder().encode('{"a": 1}'))).toThrow(/not a PyTorch \.pt\/\.pth file/);
  });

  it('rejects truncated and corrupted files with a ModelFileError, never another exception', () => {
    const bytes = file('mlp.pt');
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 1000; trial++) {
      const copy = bytes.slice(0, trial % 3 === 0 ? Math.floor(next() * bytes.length) : bytes.length);
      for (let k = 0; k < 4; k++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
      try {
        readPytorchFile(copy);
      } catch (err) {
        if (!(err instanceof ModelFileError)) throw new Error(`trial ${trial}: ${(err as Error).stack}`);
      }
    }
  });
});
