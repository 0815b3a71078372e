import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ones } from '@backprop/tensor';
import { decodeSafetensors, encodeSafetensors, ModelFileError, readFileBytes, writeFileAtomic } from '../src/index.js';

const CHILD = join(__dirname, 'children', 'save-loop.mjs');

function killMidSave(path: string, afterVersions: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path, '300000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter(Boolean).length;
      if (seen >= afterVersions) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
}

describe('atomic saves', () => {
  it('leaves a complete, readable file however often the writer is killed mid-save', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-atomic-'));
    const path = join(dir, 'model.safetensors');
    await writeFileAtomic(path, encodeSafetensors({ w: ones([300000]) }, { version: '0' }));
    for (let round = 0; round < 12; round++) {
      await killMidSave(path, 1 + (round % 3), (round * 7) % 23);
      const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
      const w = tensors.get('w')!;
      const version = Number(metadata.version);
      // Every element holds the same version number: the file is one whole save, not a torn mixture.
      expect(w.dataSync()[0]).toBe(version);
      expect(w.dataSync()[w.size - 1]).toBe(version);
      expect(w.size).toBe(300000);
    }
    // The next save sweeps up the temporary files that killed writers left behind.
    await writeFileAtomic(path, encodeSafetensors({ w: ones([3]) }));
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  }, 120_000);
  it('names a missing file', async () => {
    await expect(readFileBytes('/nonexistent/dir/model.safetensors')).rejects.toThrow(ModelFileError);
    await expect(readFileBytes('/nonexistent/dir/model.safetensors')).rejects.toThrow(/model.safetensors: no such file/);
  });
  it('reports an unwritable destination without leaving a partial file', async () => {
    await expect(writeFileAtomic('/nonexistent/dir/model.safetensors', new Uint8Array(4))).rejects.toThrow(/could not write the file/);
  });
});
