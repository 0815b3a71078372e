import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, resultOf, run, tempDir } from './helpers.js';

describe('--backend', () => {
  it('trains the default network on the wasm backend, and eval and predict run on it too', async () => {
    const dir = tempDir();
    const r = await run(['train', '--backend', 'wasm', '--epochs', '3', '--save', 'wasm.safetensors'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ backend: 'wasm', epochs: 3, testSamples: 359 });
    expect(result.test.accuracy).toBeGreaterThan(0.9);

    const e = await run(['eval', 'wasm.safetensors', '--backend', 'wasm', '--json'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(jsonLines(e.stdout)[0]).toMatchObject({ backend: 'wasm', accuracy: result.test.accuracy });
    writeFileSync(join(dir, 'one.json'), JSON.stringify([Array.from({ length: 64 }, (_, i) => i % 16)]));
    const p = await run(['predict', 'wasm.safetensors', '--input', 'one.json', '--backend', 'auto', '--json'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(jsonLines(p.stdout)[0]).toMatchObject({ backend: 'wasm' });
  });

  it('defaults to cpu, reports it, and refuses an unknown backend with exit code 2', async () => {
    const dir = tempDir();
    const r = await run(['train', '--epochs', '1', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(resultOf(r.stdout).backend).toBe('cpu');
    const bad = await run(['train', '--backend', 'gpu'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'gpu' is invalid. Allowed choices are cpu, wasm, auto.");
  });

  it('shares wasm matrix products among --threads threads, and refuses threads on cpu or a bad count', async () => {
    const dir = tempDir();
    const r = await run(['train', '--backend', 'wasm', '--threads', '2', '--epochs', '2', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ backend: 'wasm', threads: 2, epochs: 2 });
    expect(result.test.accuracy).toBeGreaterThan(0.8);
    const cpu = await run(['train', '--threads', '2', '--epochs', '1'], dir);
    expect(cpu.code).toBe(2);
    expect(cpu.stderr).toContain('--threads 2 needs the wasm backend (the cpu kernels run on one thread); add --backend wasm');
    const zero = await run(['train', '--backend', 'wasm', '--threads', '0'], dir);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("expected a positive integer, got '0'.");
  });
});
