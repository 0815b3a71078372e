/**
 * Figures for the examples: each example describes its picture as a Vega-Lite spec (data + marks +
 * encodings) and this module renders it to SVG with Vega in Node, headless (no browser, no canvas), so
 * the gallery is drawn by a charting library rather than by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification of one example's picture. */
export type Figure = TopLevelSpec;

/** Where the committed pictures live: apps/examples/gallery/. */
export const GALLERY_DIR = fileURLToPath(new URL('../gallery/', import.meta.url));

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: Figure): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders `spec` and writes it to `<dir>/<name>.svg`; returns the file's path. */
export async function writeFigure(name: string, spec: Figure, dir = GALLERY_DIR): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}${dir.endsWith('/') ? '' : '/'}${name}.svg`;
  writeFileSync(path, `${await renderSvg(spec)}\n`);
  return path;
}


/** A bar per measurement (e.g. before and after training), for examples whose result is a few numbers. */
export function barFigure(title: string, bars: { label: string; value: number }[], axisTitle: string): Figure {
  return {
    title,
    width: 360,
    height: 40 + 28 * bars.length,
    data: { values: bars.map((b) => ({ ...b, text: Number.isInteger(b.value) ? String(b.value) : b.value.toPrecision(3) })) },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null },
      x: { field: 'value', type: 'quantitative', title: axisTitle },
    },
    layer: [{ mark: 'bar', encoding: { color: { field: 'label', type: 'nominal', legend: null } } }, { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'text' } } }],
  };
}
