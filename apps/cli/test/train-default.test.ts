import { describe, expect, it } from 'vitest';
import { jsonLines, resultOf, run, tempDir } from './helpers.js';

describe('backprop train (no arguments)', () => {
  it('trains the default MLP on the digits to at least 97% test accuracy and prints it as JSON lines', async () => {
    const r = await run(['train'], tempDir());
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    const epochs = lines.filter((l) => l.event === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(epochs[0]).toMatchObject({ epochs: 25, lr: 0.001 });
    expect(epochs[24].loss).toBeLessThan(epochs[0].loss);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ task: 'classification', data: 'digits', epochs: 25, testSamples: 359 });
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
