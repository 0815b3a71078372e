/**
 * Builds the examples gallery: for every example listed in README.md, runs it with its default budget,
 * renders its `figure(result)` to gallery/<name>.svg, and writes gallery/index.html linking each picture to
 * the example's source. The pictures and the page are committed; rerun this after changing an example.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example scripts/build-gallery.ts [name ...]
 * (with names, only those examples are rerun; the page always lists them all).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GALLERY_DIR, writeFigure, type Figure } from '../src/plot.js';

export interface GalleryEntry {
  name: string;
  /** The README's "what it shows" cell, as plain text. */
  description: string;
}

/** The rows of README.md's examples table: | [`name`](src/name.ts) | what it shows |. */
export function readmeEntries(readme: string): GalleryEntry[] {
  return [...readme.matchAll(/^\| \[`([\w-]+)`\]\(src\/\1\.ts\) \| (.+) \|$/gm)].map(([, name, description]) => ({
    name,
    description: description.replace(/`([^`]*)`/g, '$1'),
  }));
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function galleryHtml(entries: GalleryEntry[]): string {
  const cards = entries
    .map(
      ({ name, description }) => `  <section>
    <h2><a href="../src/${name}.ts">${name}</a></h2>
    <p>${escape(description)}</p>
    <a href="${name}.svg"><img src="${name}.svg" alt="${escape(name)}: ${escape(description)}"></a>
  </section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>backprop examples gallery</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; }
  section { margin: 2.5em 0; border-top: 1px solid #ddd; }
  img { max-width: 100%; }
</style>
</head>
<body>
<h1>backprop examples gallery</h1>
<p>One runnable program per topic, each using only the public API of the @backprop packages. Every picture is
drawn by the example itself (a Vega-Lite figure rendered to SVG); the heading links to its source. Rebuild with
<code>npx pnpm@10.34.8 --filter @backprop/examples run example scripts/build-gallery.ts</code>.</p>
${cards}
</body>
</html>
`;
}

interface ExampleModule {
  run: () => unknown;
  figure: (result: never) => Figure;
}

async function main(only: string[]): Promise<void> {
  const entries = readmeEntries(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  for (const { name } of entries) {
    if (only.length > 0 && !only.includes(name)) continue;
    const example = (await import(`../src/${name}.ts`)) as ExampleModule;
    if (typeof example.figure !== 'function') throw new Error(`build-gallery: src/${name}.ts exports no figure(result)`);
    const started = Date.now();
    const result = await example.run();
    console.log(`${name}: ${await writeFigure(name, example.figure(result as never))} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  writeFileSync(`${GALLERY_DIR}index.html`, galleryHtml(entries));
  console.log(`${GALLERY_DIR}index.html: ${entries.length} examples`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
