// The runner must tell a passing block from a failing one, or the README suite could not fail.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../src/extract.js';
import { runModule, toModule } from '../src/run.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const block = (code: string) => extractBlocks(`# t\n\n\`\`\`ts\n${code}\n\`\`\`\n`)[0];

describe('runModule', () => {
  it('runs TypeScript with top-level await against the built packages, exit 0', async () => {
    const source = await toModule(block("import { tensor } from '@backprop/tensor';\nconst n: number = await Promise.resolve(tensor([1, 2]).sum().item());\nconsole.log(n);"), 'X.md');
    const result = await runModule(source, packageDir, 'run-test-pass', 20_000);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('3');
  });

  it('reports a throwing block as a non-zero exit, with the README line in the stack', async () => {
    const source = await toModule(block("import { tensor } from '@backprop/tensor';\ntensor([1, 2]).add(tensor([1, 2, 3]));"), 'packages/x/README.md');
    const result = await runModule(source, packageDir, 'run-test-fail', 20_000);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/packages\/x\/README\.md:5/);
  });

  it('kills a block that does not finish in time', async () => {
    const result = await runModule('setInterval(() => {}, 1000);\n', packageDir, 'run-test-hang', 500);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });
});
