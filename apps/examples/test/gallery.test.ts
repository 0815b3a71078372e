import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { galleryHtml, readmeEntries } from '../scripts/build-gallery.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const entries = readmeEntries(read('README.md'));

describe('the examples gallery', () => {
  it('reads every example of the README table', () => {
    const names = entries.map((e) => e.name);
    for (const topic of ['perceptron', 'xor-mlp', 'initialization', 'optimizers', 'lr-schedules', 'second-order', 'regularization', 'cnn-digits', 'residual', 'rnn-gradients', 'long-memory', 'embeddings']) {
      expect(names).toContain(topic);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(entries.map((e) => e.name))('has a picture of %s, drawn by its figure(), on the index page', async (name) => {
    expect(existsSync(new URL(`../src/${name}.ts`, import.meta.url))).toBe(true);
    const example = (await import(`../src/${name}.ts`)) as { run?: unknown; figure?: unknown };
    expect(typeof example.run).toBe('function');
    expect(typeof example.figure).toBe('function');
    expect(read(`gallery/${name}.svg`)).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    const index = read('gallery/index.html');
    expect(index).toContain(`<img src="${name}.svg"`);
    expect(index).toContain(`<a href="../src/${name}.ts">${name}</a>`);
  });

  it('index.html is the page the script builds from the README (rebuild it after editing the table)', () => {
    expect(read('gallery/index.html')).toBe(galleryHtml(entries));
  });
});
