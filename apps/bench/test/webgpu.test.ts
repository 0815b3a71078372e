import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESULT_PREFIX, type LibraryResult } from '../src/types.js';

// The webgpu column as the harness runs it: a child process of the built bench (dist/child.js).
const child = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'child.js');

function runColumn(env: NodeJS.ProcessEnv): LibraryResult {
  const res = spawnSync(process.execPath, [child, 'backprop-webgpu', '--quick', '--only', 'matmul-128,mlp-infer-1'], { encoding: 'utf8', env, timeout: 120_000 });
  const line = res.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error(`the webgpu column printed no result (exit ${res.status}):\n${res.stderr}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as LibraryResult;
}

describe('the webgpu column', () => {
  it('says "no adapter" in every cell where WebGPU has none', () => {
    const r = runColumn({ ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    for (const cell of Object.values(r.results)) expect(cell).toEqual({ unavailable: expect.stringMatching(/^no adapter: /) });
  });

  it("measures on the adapter there is, naming it (SwiftShader here: labelled as not a GPU's speed)", () => {
    const r = runColumn({ ...process.env, VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json', LD_LIBRARY_PATH: '/usr/lib/chromium' });
    const cell = r.results['matmul-128'];
    expect('value' in cell ? cell.value : cell.unavailable).toBeGreaterThan(0);
    expect(r.notes['all workloads']).toMatch(/SwiftShader, a CPU emulation: not a GPU speed/);
  });
});
