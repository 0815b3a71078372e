// Every package README promises "install + a ten-line example that runs": this runs each one.
// See README.md in this package for the rules (fragments, the known-broken list).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findReadmes } from '../src/extract.js';
import { KNOWN_BROKEN } from '../src/known-broken.js';
import { describeFailure, runModule, toModule } from '../src/run.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDir, '../..');
const readmes = findReadmes(root);
const BLOCK_TIMEOUT_MS = 20_000;

describe.concurrent('README examples', () => {
  for (const readme of readmes) {
    for (const block of readme.blocks) {
      const name = `${readme.packageName} README block ${block.index}`;
      const where = `${readme.path}:${block.line}`;
      const broken = KNOWN_BROKEN.find((k) => k.packageName === readme.packageName && k.block === block.index && k.hash === block.hash);

      if (block.notRunnable) {
        it(`${name} (marked not-runnable: transpiles)`, async () => {
          await expect(toModule(block, readme.path)).resolves.toBeTypeOf('string');
        });
        continue;
      }

      it(name, { timeout: BLOCK_TIMEOUT_MS + 10_000 }, async () => {
        const problems: string[] = [];
        if (!block.importsBackprop) {
          problems.push(
            `${where} imports nothing from @backprop/*, so it cannot run alone: ` +
              'make it a complete example, or put <!-- not-runnable --> on the line before its fence',
          );
        }
        // "install + an example that runs": the README's own install command must bring every package
        // the example imports (in this workspace they would all resolve anyway).
        const notInstalled = block.imports.filter((p) => !readme.installs.includes(p));
        if (notInstalled.length > 0) {
          problems.push(
            `${where} imports ${notInstalled.join(', ')}, which the README's install command ` +
              `(${readme.installs.length > 0 ? `npm i ${readme.installs.join(' ')}` : 'none found'}) does not install`,
          );
        }
        if (block.importsBackprop) {
          const result = await runModule(await toModule(block, readme.path), packageDir, name, BLOCK_TIMEOUT_MS);
          if (result.exitCode !== 0 || result.timedOut) problems.push(`${where}: ${describeFailure(name, result, BLOCK_TIMEOUT_MS)}`);
        }
        if (broken) {
          expect(problems, `${name} (${where}) now passes: remove its entry from src/known-broken.ts`).not.toEqual([]);
        } else if (problems.length > 0) {
          expect.fail(problems.join('\n\n'));
        }
      });
    }
  }
});

describe('README coverage', () => {
  for (const readme of readmes.filter((r) => r.path.startsWith('packages/'))) {
    it(`${readme.packageName} README has a runnable block`, () => {
      expect(readme.exists, `${readme.path} is missing`).toBe(true);
      const runnable = readme.blocks.filter((b) => !b.notRunnable && b.importsBackprop);
      expect(runnable.length, `${readme.path} has no unmarked \`\`\`ts/\`\`\`js block that imports @backprop/*`).toBeGreaterThan(0);
    });
  }

  it('every known-broken entry still matches a README block', () => {
    const stale = KNOWN_BROKEN.filter(
      (k) => !readmes.some((r) => r.packageName === k.packageName && r.blocks.some((b) => b.index === k.block && b.hash === k.hash && !b.notRunnable)),
    );
    expect(stale.map((k) => `${k.packageName} block ${k.block} (${k.hash})`), 'the README changed: remove these entries from src/known-broken.ts').toEqual([]);
  });
});
