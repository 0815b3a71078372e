// The built site in a real browser: Debian's chromium driven by playwright-core. Time limits are generous
// ceilings (a slow CI machine passes), never speed assertions.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, RESULTS, buildSite, buildThreadsFixture, launch, requireChromium, serve, watchErrors } from './harness.js';

// axe-core from npm, injected into pages for the accessibility checks.
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let site: string;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Awaited<ReturnType<typeof launch>>;

// Without chromium nothing is built, and every test below fails (none is skipped) with the message that
// says how to install it.
const haveChromium = existsSync(CHROMIUM);

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(RESULTS, { recursive: true });
  site = await buildSite();
  server = await serve(site);
  browser = await launch();
});

it('has a chromium to run the site in', () => {
  expect(requireChromium()).toBe(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

async function open(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
  requireChromium();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + path);
  return { page, errors };
}

const numberOf = async (page: Page, selector: string, attribute = 'data-value'): Promise<number> =>
  Number(await page.locator(selector).getAttribute(attribute));

/**
 * Trains one epoch, then plays until the training loss is below half of that epoch's and pauses (waiting
 * for the worker to stop); returns the loss after the first epoch.
 */
async function trainUntilLossHalves(page: Page): Promise<number> {
  await page.click('#step');
  await expect.poll(() => numberOf(page, '#epoch', 'data-epoch'), { timeout: 30_000 }).toBe(1);
  const afterOne = await numberOf(page, '#train-loss');
  await page.click('#play');
  await page.waitForFunction(
    (start) => Number(document.querySelector('#train-loss')?.getAttribute('data-value')) < start / 2,
    afterOne,
    { timeout: 60_000, polling: 100 },
  );
  await page.click('#play');
  await expect.poll(() => page.getAttribute('#play', 'data-worker-playing')).toBe('false');
  return afterOne;
}

/** Resolves when the page has drawn the first snapshot from its worker. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#test-loss')?.getAttribute('data-value') !== null, null, { timeout: 30_000 });
}

describe('playground page', () => {
  it('trains XOR from the controls until the test loss is below 0.1, staying responsive', async () => {
    const { page, errors } = await open(browser.context, '');
    await ready(page);
    await page.click('#dataset-xor');
    await page.selectOption('#optimizer', 'adam');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('dataset=xor');
    expect(await page.evaluate(() => location.hash)).toContain('optimizer=adam');
    await page.click('#play');
    expect(await page.getAttribute('#play', 'data-playing')).toBe('true');

    // The main thread keeps painting while the worker trains.
    const frameGap = await page.evaluate(() => new Promise<number>((done) => {
      const start = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
    }));
    expect(frameGap).toBeLessThan(1000);

    await page.waitForFunction(() => Number(document.querySelector('#test-loss')?.getAttribute('data-value')) < 0.1, null, { timeout: 60_000, polling: 100 });
    const reached = await numberOf(page, '#test-loss');
    expect(reached).toBeLessThan(0.1);
    // Pausing stops the epochs. (The loss is not checked again: a few more Adam steps may bump it.)
    await page.click('#play');
    expect(await page.getAttribute('#play', 'data-playing')).toBe('false');
    expect(await numberOf(page, '#epoch', 'data-epoch')).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    const pausedAt = await numberOf(page, '#epoch', 'data-epoch');
    await page.waitForTimeout(500);
    expect(await numberOf(page, '#epoch', 'data-epoch')).toBe(pausedAt);
    expect(await page.locator('#status').textContent()).toMatch(/^Epoch \d+\. Test loss \d+\.\d{3}, training loss \d+\.\d{3}\.$/);
    await page.screenshot({ path: join(RESULTS, 'playground-xor.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains XOR on the wasm backend picked in the select, and keeps the choice in the URL', async () => {
    const { page, errors } = await open(browser.context, '#dataset=xor&optimizer=adam');
    await ready(page);
    expect(await page.locator('#backend').inputValue()).toBe('cpu');
    await page.selectOption('#backend', 'wasm');
    // data-active is set from the worker's answer: wasm only once useWasmBackend succeeded there.
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('wasm');
    expect(await page.evaluate(() => location.hash)).toContain('backend=wasm');

    const afterOne = await trainUntilLossHalves(page);
    expect(await numberOf(page, '#train-loss')).toBeLessThan(afterOne / 2);

    // A reload asks the new worker for wasm again, from the URL alone.
    await page.reload();
    await ready(page);
    expect(await page.locator('#backend').inputValue()).toBe('wasm');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('wasm');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains XOR on webgpu, on the adapter the page names, and carries the network back to cpu', async () => {
    const { page, errors } = await open(browser.context, '#dataset=xor&optimizer=adam&lr=0.1&batch=30');
    await ready(page);
    expect(await page.locator('#backend option[value="webgpu"]').isDisabled()).toBe(false);
    // The adapter the page itself is given: the worker must name the same one.
    const expected = await page.evaluate(async () => {
      const adapter = await (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info: { vendor: string; architecture: string; description: string } }> } }).gpu.requestAdapter();
      return adapter.info.description || [adapter.info.vendor, adapter.info.architecture].filter(Boolean).join(' ');
    });
    await page.selectOption('#backend', 'webgpu');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('webgpu');
    expect(await page.evaluate(() => location.hash)).toContain('backend=webgpu');
    expect(await page.getAttribute('#backend', 'data-adapter')).toBe(expected);
    expect(await page.locator('#backend-status').textContent()).toBe(`Running on webgpu, adapter: ${expected}.`);

    const t0 = Date.now();
    const afterOne = await trainUntilLossHalves(page);
    // The worker's snapshots say where the parameters live: in the GPU's buffers.
    expect(await page.getAttribute('#backend-status', 'data-device')).toBe('webgpu');
    const epochs = await numberOf(page, '#epoch', 'data-epoch');
    const loss = await numberOf(page, '#train-loss');
    console.log(`browser test: XOR on webgpu (${expected}): training loss ${afterOne.toFixed(3)} after epoch 1, ${loss.toFixed(3)} after ${epochs} epochs, ${Date.now() - t0} ms`);
    expect(loss).toBeLessThan(afterOne / 2);

    // Back to cpu: the weights come back from the GPU (every edge keeps its weight), so the epoch and the
    // loss stay, and training goes on.
    const edgeWeights = () => page.$$eval('svg.edges path.edge', (edges) => edges.map((e) => (e as SVGPathElement).dataset.weight).join());
    const onGpu = await edgeWeights();
    await page.selectOption('#backend', 'cpu');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('cpu');
    await expect.poll(() => page.getAttribute('#backend-status', 'data-device')).toBe('cpu');
    // The cpu snapshot is drawn on the next frame.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await edgeWeights()).toBe(onGpu);
    expect(await page.getAttribute('#backend', 'data-adapter')).toBeNull();
    expect(await numberOf(page, '#epoch', 'data-epoch')).toBe(epochs);
    await page.click('#step');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(epochs + 1);
    expect(await numberOf(page, '#train-loss')).toBeLessThan(afterOne / 2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows webgpu disabled, with the reason, where the browser gives no adapter', async () => {
    requireChromium();
    for (const path of ['#dataset=xor&backend=webgpu', 'digits.html#backend=webgpu']) {
      const page = await browser.context.newPage();
      const errors = watchErrors(page);
      // The page's navigator.gpu without an adapter, as on a machine WebGPU cannot use.
      await page.addInitScript(() => {
        const gpu = (navigator as unknown as { gpu?: { requestAdapter: () => Promise<null> } }).gpu;
        if (gpu) gpu.requestAdapter = () => Promise.resolve(null);
      });
      await page.goto(server.url + path);
      const option = page.locator('#backend option[value="webgpu"]');
      await expect.poll(() => option.isDisabled()).toBe(true);
      expect(await option.textContent()).toBe('webgpu (unavailable)');
      expect(await page.locator('#backend-note').isVisible()).toBe(true);
      expect(await page.locator('#backend-note').textContent()).toBe('webgpu is unavailable: navigator.gpu gives no adapter (no GPU that WebGPU can use).');
      // A link asking for webgpu opens on cpu.
      await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('cpu');
      expect(await page.locator('#backend').inputValue()).toBe('cpu');
      expect(await page.evaluate(() => location.hash)).toContain('backend=cpu');
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('bundles backend-webgpu for the browser without the Node-only webgpu package', () => {
    requireChromium();
    const assets = join(site, 'assets');
    const chunks = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8'));
    expect(chunks.some((code) => code.includes('useWebGpuBackend'))).toBe(true);
    // No chunk imports the `webgpu` package (Dawn, a Node addon): in a browser the backend uses navigator.gpu.
    expect(chunks.filter((code) => /(?:from|import\s*\()\s*["']webgpu["']/.test(code))).toEqual([]);
  });

  it('is cross-origin isolated, so wasm trains on several threads, which the page reports', async () => {
    const { page, errors } = await open(browser.context, '#dataset=xor&optimizer=adam');
    await ready(page);
    // The server's COOP and COEP headers: without them SharedArrayBuffer is gone and wasm has one thread.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('#backend-status').textContent()).toBe('Running on cpu, 1 thread.');
    await page.selectOption('#backend', 'wasm');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('wasm');
    const threads = Number(await page.getAttribute('#backend', 'data-threads'));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(threads).toBe(Math.min(cores, 4));
    expect(threads).toBeGreaterThan(1);
    expect(await page.locator('#backend-status').textContent()).toBe(`Running on wasm, ${threads} threads.`);
    console.log(`browser test: the playground's worker runs wasm on ${threads} threads (${cores} cores)`);

    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#test-loss')?.getAttribute('data-value')) < 0.1, null, { timeout: 60_000, polling: 100 });
    await page.click('#play');
    expect(await numberOf(page, '#test-loss')).toBeLessThan(0.1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('re-initializes the network when it changes, and keeps the change in the URL', async () => {
    const { page, errors } = await open(browser.context, '#dataset=circle&layers=4,2&optimizer=adam&lr=0.03');
    await ready(page);
    await page.click('#step');
    await page.click('#step');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(2);
    const lossBefore = await numberOf(page, '#train-loss');

    await page.click('#add-neuron-0');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(0);
    expect(await page.locator('.hidden-layer').first().locator('canvas.node').count()).toBe(5);
    expect(await page.evaluate(() => location.hash)).toContain('layers=5,2');
    expect(await numberOf(page, '#train-loss')).not.toBe(lossBefore);

    await page.click('#add-layer');
    await expect.poll(() => page.locator('.hidden-layer').count()).toBe(3);
    await page.click('#feature-x1x2');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('features=x1,x2,x1x2');
    // One edge per weight: 3 features × 5 + 5 × 2 + 2 × 2 + 2 × 1.
    await expect.poll(() => page.locator('svg.edges path.edge').count()).toBe(3 * 5 + 5 * 2 + 2 * 2 + 2 * 1);
    await page.selectOption('#activation', 'relu');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(0);

    // A reload restores the whole configuration from the URL.
    await page.reload();
    await ready(page);
    expect(await page.locator('#activation').inputValue()).toBe('relu');
    expect(await page.locator('#optimizer').inputValue()).toBe('adam');
    expect(await page.locator('.hidden-layer').count()).toBe(3);
    expect(await page.isChecked('#feature-x1x2')).toBe(true);
    expect(await page.getAttribute('#dataset-circle', 'aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works from the keyboard alone', async () => {
    const { page, errors } = await open(browser.context, '#dataset=gaussian');
    await ready(page);
    await page.focus('#step');
    await page.keyboard.press('Enter');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(1);
    // Tab order reaches the selects and sliders; arrow keys change them.
    await page.focus('#noise');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('noise=5');
    await page.focus('#play');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#play', 'data-playing')).toBe('true');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#play', 'data-playing')).toBe('false');
    // Every form control has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')].filter((el) => (el as HTMLInputElement).labels?.length === 0).map((el) => el.id),
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 390 px wide phone screen without sideways scrolling', async () => {
    requireChromium();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const errors = watchErrors(page);
    await page.goto(`${server.url}#dataset=spiral&features=x1,x2,x1sq,x2sq,sinx1,sinx2&layers=8,8,6&optimizer=adam&lr=0.01&test=1`);
    await ready(page);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#epoch')?.getAttribute('data-epoch')) >= 20, null, { timeout: 60_000 });
    await page.click('#play');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const outputWidth = await page.locator('#output-canvas').evaluate((el) => el.getBoundingClientRect().width);
    expect(outputWidth).toBeGreaterThan(250);
    await page.screenshot({ path: join(RESULTS, 'playground-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

type AxeWindow = { axe: { run(context?: unknown, options?: unknown): Promise<{ violations: { id: string; impact: string }[] }> } };

/** axe-core's serious and critical violations on the page, with label-content-name-mismatch (off by default) run too. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (window as unknown as AxeWindow).axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } } });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

describe('playground layout and accessibility', () => {
  it('shows the whole default network at 1024 px, with nothing clipped', async () => {
    requireChromium();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    const errors = watchErrors(page);
    await page.goto(server.url);
    await ready(page);
    const fits = await page.evaluate(() => {
      const scroll = document.querySelector('.network-scroll')!.getBoundingClientRect();
      const output = document.querySelector('.output-col canvas.node')!.getBoundingClientRect();
      const features = document.querySelector('.net-col.features')!.getBoundingClientRect();
      return { scrollLeft: scroll.left, scrollRight: scroll.right, outputRight: output.right, featuresLeft: features.left };
    });
    console.log(`browser test: network at 1024 px: ${JSON.stringify(fits)}`);
    expect(fits.outputRight).toBeLessThanOrEqual(fits.scrollRight);
    expect(fits.featuresLeft).toBeGreaterThanOrEqual(fits.scrollLeft);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: join(RESULTS, 'playground-1024.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the output map on a phone\'s first screen, right below Play', async () => {
    requireChromium();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const errors = watchErrors(page);
    await page.goto(server.url);
    await ready(page);
    const rects = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect().toJSON() as DOMRect;
      return { play: box('#play'), output: box('#output-canvas') };
    });
    console.log(`browser test: at 390 px, Play's bottom is at ${rects.play.bottom} px and the output map spans ${rects.output.top}-${rects.output.bottom} px`);
    expect(rects.output.top).toBeGreaterThan(rects.play.bottom);
    expect(rects.output.bottom).toBeLessThanOrEqual(844);
    expect(rects.output.width).toBeGreaterThan(250);
    await page.screenshot({ path: join(RESULTS, 'playground-390-first-screen.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hovered neuron in the large map, a hovered edge\'s weight and a neuron\'s bias, and edits a clicked weight', async () => {
    const { page, errors } = await open(browser.context, '#dataset=circle&layers=4,2');
    await ready(page);
    await page.click('#step');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(1);
    const canvasImage = () => page.locator('#output-canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    expect(await page.getAttribute('#output-canvas', 'data-showing')).toBe('output');
    const outputImage = await canvasImage();

    // A neuron: its map replaces the output, and the card shows its bias.
    await page.hover('.hidden-layer canvas.node[data-layer="0"][data-index="1"]');
    await expect.poll(() => page.getAttribute('#output-canvas', 'data-showing')).toBe('neuron-0-1');
    expect(await canvasImage()).not.toBe(outputImage);
    const biasText = (await page.locator('#edge-card .card-text').textContent())!;
    expect(biasText).toMatch(/^layer 1, neuron 2: bias -?\d+\.\d{3}$/);
    // Every neuron shows its bias as a small square too (4 + 2 hidden, 1 output), the same value.
    expect(await page.locator('.neuron .bias[data-bias]').count()).toBe(7);
    const bias = Number(await page.locator('.hidden-layer .neuron').nth(1).locator('.bias').getAttribute('data-bias'));
    expect(biasText.endsWith(`bias ${bias.toFixed(3)}`)).toBe(true);
    expect(await page.getAttribute('#output-canvas', 'aria-label')).toMatch(/layer 1, neuron 2/);
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getAttribute('#output-canvas', 'data-showing')).toBe('output');
    expect(await page.locator('#edge-card').isHidden()).toBe(true);

    // An edge: hovering shows its weight, clicking edits it, and the network uses the new one.
    const hit = page.locator('svg.edges path.edge-hit[data-edge="1-1-2"]');
    const box = (await hit.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const card = await page.locator('#edge-card .card-text').textContent();
    const edge = /from (.+) to (.+)\. Click to edit\.$/.exec(card ?? '');
    expect(card).toMatch(/^Weight -?\d+\.\d{3} from /);
    expect(edge).not.toBeNull();
    // Whichever edge is under the pointer (they cross), the card names it and edits that one.
    const hovered = await page.locator('svg.edges path.edge.hovered').getAttribute('data-edge');
    const lossBefore = await numberOf(page, '#train-loss');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('weight-input');
    expect(await page.locator('label[for="weight-input"]').textContent()).toBe(`Weight from ${edge![1]} to ${edge![2]}`);
    await page.fill('#weight-input', '3.5');
    await page.press('#weight-input', 'Enter');
    await expect.poll(() => page.getAttribute(`svg.edges path.edge[data-edge="${hovered}"]`, 'data-weight')).toBe('3.5');
    expect(await numberOf(page, '#train-loss')).not.toBe(lossBefore);
    expect(await numberOf(page, '#epoch', 'data-epoch')).toBe(1);
    expect(await page.locator('#edge-card').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('discretizes the output, switches the problem type, draws the loss scale and the data set thumbnails', async () => {
    const { page, errors } = await open(browser.context, '#dataset=circle&optimizer=adam');
    await ready(page);
    // Share of the output map's pixels in its two commonest colours: all but the points when discretized.
    const twoColourShare = () =>
      page.locator('#output-canvas').evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const counts = new Map<number, number>();
        for (let i = 0; i < data.length; i += 4) {
          const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const top = [...counts.values()].sort((a, b) => b - a);
        return (top[0] + (top[1] ?? 0)) / (data.length / 4);
      });
    for (let i = 0; i < 3; i++) await page.click('#step');
    await expect.poll(() => numberOf(page, '#epoch', 'data-epoch')).toBe(3);
    const smooth = await twoColourShare();
    await page.check('#discretize');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('discretize=1');
    await expect.poll(() => page.getAttribute('#output-canvas', 'data-showing')).toBe('output-discretized');
    const sharp = await twoColourShare();
    console.log(`browser test: the two commonest colours cover ${(smooth * 100).toFixed(0)}% of the output map, ${(sharp * 100).toFixed(0)}% discretized`);
    expect(sharp).toBeGreaterThan(0.8);
    expect(smooth).toBeLessThan(0.5);

    // The loss chart's scale: a round top at or above the largest loss, and the epoch count.
    const top = Number(await page.locator('#loss-max').textContent());
    expect(top).toBeGreaterThanOrEqual(await numberOf(page, '#train-loss'));
    expect([1, 2, 2.5, 5]).toContain(Number((top / 10 ** Math.floor(Math.log10(top))).toFixed(6)));
    expect(await page.locator('#loss-epochs').textContent()).toBe('epoch 3');
    expect(await page.getAttribute('#loss-chart', 'aria-label')).toContain(`over 3 epochs, on a scale from 0 to ${top}`);

    // Thumbnails: every data set button shows its points; only the chosen problem type's are offered.
    await expect.poll(() => page.locator('.dataset-button canvas.thumbnail[data-drawn="true"]').count()).toBe(6);
    expect(await page.locator('.dataset-button:visible').count()).toBe(4);
    expect(await page.getAttribute('#dataset-circle', 'aria-pressed')).toBe('true');
    expect(await page.locator('#dataset-circle').textContent()).toBe('Circle');
    await page.selectOption('#problem', 'regression');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('dataset=plane');
    expect(await page.locator('.dataset-button:visible').count()).toBe(2);
    await page.click('#dataset-multigaussian');
    await expect.poll(() => page.getAttribute('#dataset-multigaussian', 'aria-pressed')).toBe('true');
    expect(await page.locator('#problem').inputValue()).toBe('regression');
    await page.selectOption('#problem', 'classification');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('dataset=circle');
    await page.screenshot({ path: join(RESULTS, 'playground-controls.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pauses a large network within its epoch, right away', async () => {
    const { page, errors } = await open(browser.context, '#dataset=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&layers=8,8,8,8,8,8&batch=1&ratio=90&optimizer=adam&lr=0.001');
    await ready(page);
    await page.click('#play');
    await page.waitForFunction(() => Number(document.querySelector('#epoch')?.getAttribute('data-epoch')) >= 2, null, { timeout: 60_000, polling: 50 });
    // Two epochs' time, and the snapshots in between: they come from inside epochs, not only at their ends.
    const { epochMs, insideEpoch } = await page.evaluate(() => {
      const epoch = document.querySelector('#epoch')!;
      const from = Number(epoch.getAttribute('data-epoch'));
      const t0 = performance.now();
      let inside = 0;
      return new Promise<{ epochMs: number; insideEpoch: number }>((done) => {
        const watch = new MutationObserver(() => {
          if (Number(epoch.getAttribute('data-points-into-epoch')) > 0) inside++;
          if (Number(epoch.getAttribute('data-epoch')) >= from + 2) {
            watch.disconnect();
            done({ epochMs: (performance.now() - t0) / 2, insideEpoch: inside });
          }
        });
        watch.observe(epoch, { attributes: true, attributeFilter: ['data-epoch', 'data-points-into-epoch'] });
      });
    });
    expect(insideEpoch).toBeGreaterThan(0);
    // Pause halfway through an epoch; the worker says it stopped, then nothing moves.
    await page.waitForTimeout(epochMs / 2);
    const paused = await page.evaluate(() => {
      const play = document.querySelector<HTMLButtonElement>('#play')!;
      const t0 = performance.now();
      return new Promise<{ ms: number; points: number }>((done) => {
        const watch = new MutationObserver(() => {
          if (play.dataset.workerPlaying === 'false') {
            watch.disconnect();
            done({ ms: performance.now() - t0, points: Number(document.querySelector('#epoch')!.getAttribute('data-points-into-epoch')) });
          }
        });
        watch.observe(play, { attributes: true });
        play.click();
      });
    });
    console.log(`browser test: a 7-8-8-8-8-8-8-1 network with batches of 1 takes ${epochMs.toFixed(0)} ms an epoch; pausing took ${paused.ms.toFixed(1)} ms, ${paused.points} points into the epoch`);
    // A generous ceiling for a loaded CI machine; the worker yields every 8 ms.
    expect(paused.ms).toBeLessThan(Math.max(100, epochMs / 4));
    // The epoch counter is drawn on the next frame.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const epoch = await numberOf(page, '#epoch', 'data-epoch');
    const points = await numberOf(page, '#epoch', 'data-points-into-epoch');
    await page.waitForTimeout(300);
    expect(await numberOf(page, '#epoch', 'data-epoch')).toBe(epoch);
    expect(await numberOf(page, '#epoch', 'data-points-into-epoch')).toBe(points);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const width of [1440, 1024, 390]) {
    for (const path of ['', 'digits.html']) {
      it(`${path || 'the playground'} has no serious or critical accessibility violations at ${width} px`, async () => {
        requireChromium();
        const page = await browser.context.newPage();
        await page.setViewportSize({ width, height: 900 });
        const errors = watchErrors(page);
        await page.goto(server.url + path);
        if (path === '') await ready(page);
        else await page.waitForFunction(() => Number(document.querySelector('#training-status')?.getAttribute('data-epoch')) >= 1, null, { timeout: 60_000 });
        expect(await axeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }
});

describe('graph explorer page', () => {
  const gradients = (page: Page) =>
    page.$$eval('#grad-rows tr', (rows) =>
      rows.map((r) => ({
        name: (r as HTMLTableRowElement).dataset.variable,
        stepped: (r.querySelector('.stepped') as HTMLElement).dataset.value,
        complete: (r.querySelector('.stepped') as HTMLElement).dataset.complete,
        autograd: Number((r.querySelector('.autograd') as HTMLElement).dataset.value),
        finite: Number((r.querySelector('.finite') as HTMLElement).dataset.value),
      })),
    );

  it('steps forward, then backward node by node, ending at the gradients autograd computes', async () => {
    const { page, errors } = await open(browser.context, 'graph.html');
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#preset', 'net-221');
    expect(await page.getAttribute('#phase', 'data-phase')).toBe('forward');
    // Before the backward pass, no gradient is shown.
    expect((await gradients(page)).every((g) => g.stepped === '')).toBe(true);
    let forward = 0;
    while ((await page.getAttribute('#phase', 'data-phase')) === 'forward') {
      await page.click('#step');
      forward++;
      expect(await page.locator('#explain').textContent()).toMatch(/^Forward: v\d+ = /);
    }
    expect(forward).toBe(await page.locator('#graph .node-op').count());
    expect(await page.locator('#step').textContent()).toBe('Backward step');
    const seen = new Set<string>();
    while ((await page.getAttribute('#phase', 'data-phase')) === 'backward') {
      await page.click('#step');
      const text = (await page.locator('#explain').textContent())!;
      expect(text).toMatch(/^Backward at (v\d+) = .*: ∂f\/∂\1 = /);
      const at = /^Backward at (v\d+)/.exec(text)![1];
      // Reverse topological order: each node is visited once.
      expect(seen.has(at)).toBe(false);
      seen.add(at);
      // The current node carries a complete gradient when the step runs.
      expect(await page.getAttribute(`#graph [data-name="${at}"]`, 'data-grad-complete')).toBe('true');
    }
    expect(await page.getAttribute('#phase', 'data-phase')).toBe('done');
    const rows = await gradients(page);
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row.complete, row.name).toBe('true');
      expect(Number(row.stepped)).toBeCloseTo(row.autograd, 10);
      expect(Number(row.stepped)).toBeCloseTo(row.finite, 5);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes a typed expression and new values, and names a mistake', async () => {
    const { page, errors } = await open(browser.context, 'graph.html');
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#expression', 'x * (y +');
    await page.press('#expression', 'Enter');
    expect(await page.locator('#expression-error').textContent()).toMatch(/ends where a value was expected/);
    expect(await page.getAttribute('#expression', 'aria-invalid')).toBe('true');
    await page.fill('#expression', 'x * x * y');
    await page.press('#expression', 'Enter');
    await page.fill('#var-x', '3');
    await page.fill('#var-y', '-2');
    await page.click('#finish');
    const rows = await gradients(page);
    // f = x²y: ∂f/∂x = 2xy = −12, ∂f/∂y = x² = 9.
    expect(rows.map((r) => [r.name, Number(r.stepped)])).toEqual([['x', -12], ['y', 9]]);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const width of [1440, 1024, 390]) {
    it(`has no serious or critical accessibility violations at ${width} px, and no sideways scrolling`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      const errors = watchErrors(page);
      await page.goto(`${server.url}graph.html`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.click('#step');
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(violations).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(RESULTS, `graph-${width}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('text page', () => {
  it('trains a character LSTM in a worker until the loss falls, and samples from it live, the same text for the same seed', async () => {
    const { page, errors } = await open(browser.context, 'textgen.html');
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#train');
    // Uniform guessing over this text's characters is about 3.3 nats; the model must get well below it.
    await page.waitForFunction(() => Number(document.querySelector('#train-status')?.getAttribute('data-loss') ?? 99) < 2.2, null, { timeout: 90_000, polling: 200 });
    await page.click('#pause');
    expect(await page.locator('#pause').textContent()).toBe('Resume');
    const sampled = async () => {
      const before = await page.locator('#sample-text').getAttribute('data-sampled');
      await page.click('#sample');
      await page.waitForFunction((prev) => document.querySelector('#sample-text')?.getAttribute('data-sampled') !== prev, before, { timeout: 30_000 });
      return (await page.locator('#sample-text').getAttribute('data-sampled'))!;
    };
    const first = await sampled();
    expect(first).toHaveLength(160);
    const text = await page.inputValue('#text');
    expect([...first].every((ch) => text.includes(ch))).toBe(true);
    await page.fill('#seed', '2');
    const other = await sampled();
    await page.fill('#seed', '1');
    expect(await sampled()).toBe(first);
    expect(other).not.toBe(first);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run();
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(RESULTS, 'textgen.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('text page on the accelerated backends', () => {
  it('trains the character LSTM on wasm, from the URL, until the loss falls, and samples', async () => {
    const { page, errors } = await open(browser.context, 'textgen.html#backend=wasm');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#backend').inputValue()).toBe('wasm');
    await page.click('#train');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('wasm');
    await page.waitForFunction(() => Number(document.querySelector('#train-status')?.getAttribute('data-loss') ?? 99) < 2.2, null, { timeout: 90_000, polling: 200 });
    await page.click('#sample');
    await page.waitForFunction(() => (document.querySelector('#sample-text')?.getAttribute('data-sampled') ?? '').length === 160, null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches to webgpu, names the adapter, trains there and samples', async () => {
    const { page, errors } = await open(browser.context, 'textgen.html');
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#train');
    await page.selectOption('#backend', 'webgpu');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('webgpu');
    expect(await page.evaluate(() => location.hash)).toContain('backend=webgpu');
    const adapter = (await page.getAttribute('#backend', 'data-adapter'))!;
    expect(await page.locator('#backend-status').textContent()).toBe(`Running on webgpu, adapter: ${adapter}.`);
    // SwiftShader is slow: a few steps whose loss is a number, then a sample read back from the GPU.
    await page.waitForFunction(() => Number(document.querySelector('#train-status')?.getAttribute('data-steps') ?? 0) >= 3, null, { timeout: 90_000, polling: 200 });
    expect(Number.isFinite(Number(await page.getAttribute('#train-status', 'data-loss')))).toBe(true);
    await page.click('#pause');
    await page.click('#sample');
    await page.waitForFunction(() => (document.querySelector('#sample-text')?.getAttribute('data-sampled') ?? '').length === 160, null, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('digits page', () => {
  it('trains in the browser, then reads a drawn digit', async () => {
    const { page, errors } = await open(browser.context, 'digits.html');
    // A few epochs are enough to read a clear zero.
    await page.waitForFunction(() => Number(document.querySelector('#training-status')?.getAttribute('data-epoch')) >= 3, null, { timeout: 60_000 });
    const box = (await page.locator('#draw').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // An ellipse: a zero.
    await page.mouse.move(cx + box.width * 0.22, cy);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++) {
      const a = (i / 40) * 2 * Math.PI;
      await page.mouse.move(cx + box.width * 0.22 * Math.cos(a), cy + box.height * 0.33 * Math.sin(a));
    }
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('#prediction')?.getAttribute('data-digit') !== null, null, { timeout: 10_000 });
    expect(await page.getAttribute('#prediction', 'data-digit')).toBe('0');
    const best = await page.locator('#bars li.best').getAttribute('data-digit');
    expect(best).toBe('0');
    // The first layer's filters and this drawing's feature maps are drawn, and some maps respond to the ink.
    await page.waitForFunction(() => document.querySelector('#feature-maps')?.getAttribute('data-tiles') === '16', null, { timeout: 10_000 });
    expect(await page.getAttribute('#filters', 'data-tiles')).toBe('16');
    expect(await numberOf(page, '#feature-maps', 'data-active')).toBeGreaterThan(0);
    expect(await page.getAttribute('#feature-maps', 'aria-label')).toMatch(/of them respond/);

    await page.waitForFunction(() => document.querySelector('#training-status')?.getAttribute('data-done') === 'true', null, { timeout: 60_000 });
    expect(await page.locator('#training-status').textContent()).toMatch(/Trained: \d+\.\d% of the 180/);
    const accuracy = Number((await page.locator('#training-status').textContent())!.match(/(\d+\.\d)%/)![1]);
    expect(accuracy).toBeGreaterThan(85);
    // The kept weights are the best epoch's, and the page says which: its accuracy is the best one.
    const perEpoch = (await page.getAttribute('#training-status', 'data-accuracies'))!.split(',').map(Number);
    expect(perEpoch).toHaveLength(10);
    const bestEpoch = perEpoch.indexOf(Math.max(...perEpoch)) + 1;
    console.log(`browser test: digits test accuracy by epoch ${perEpoch.map((a) => (a * 100).toFixed(1)).join(', ')}; kept epoch ${bestEpoch}`);
    expect(await numberOf(page, '#training-status', 'data-best-epoch')).toBe(bestEpoch);
    expect(await numberOf(page, '#training-status', 'data-accuracy')).toBe(Math.max(...perEpoch));
    expect(await page.locator('#training-status').textContent()).toContain(`with the weights of epoch ${bestEpoch}, the best of the 10.`);
    await page.screenshot({ path: join(RESULTS, 'digits.png'), fullPage: true });

    // Without a mouse: a test digit from the data set is classified too.
    await page.focus('#sample');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#draw').getAttribute('aria-label')).toMatch(/labelled \d/);
    await page.waitForFunction(() => document.querySelector('#prediction')?.getAttribute('data-digit') !== null, null, { timeout: 10_000 });
    // The true label is shown next to what the network reads.
    const truth = (await page.getAttribute('#sample-label', 'data-label'))!;
    expect(await page.getAttribute('#draw', 'aria-label')).toContain(`labelled ${truth}`);
    const read = (await page.getAttribute('#prediction', 'data-digit'))!;
    await expect.poll(() => page.locator('#sample-label').textContent()).toBe(
      `This test digit is labelled ${truth}: ${read === truth ? 'the network reads it correctly' : `the network reads ${read}`}.`,
    );
    expect(await page.locator('#sample-label').isVisible()).toBe(true);
    await page.click('#clear');
    expect(await page.locator('#sample-label').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('digits page on webgpu', () => {
  it('trains on the GPU, above chance after one epoch, and reads a test digit', async () => {
    const { page, errors } = await open(browser.context, 'digits.html#backend=webgpu');
    await expect.poll(() => page.getAttribute('#backend', 'data-active'), { timeout: 30_000 }).toBe('webgpu');
    expect(await page.locator('#backend').inputValue()).toBe('webgpu');
    const adapter = (await page.getAttribute('#backend', 'data-adapter'))!;
    expect(adapter.length).toBeGreaterThan(0);
    expect(await page.locator('#backend-status').textContent()).toBe(`Running on webgpu, adapter: ${adapter}.`);
    const t0 = Date.now();
    // One epoch is 51 steps of 32 digits: seconds even on SwiftShader.
    await page.waitForFunction(() => Number(document.querySelector('#training-status')?.getAttribute('data-epoch')) >= 1, null, { timeout: 120_000 });
    const first = Number((await page.getAttribute('#training-status', 'data-accuracies'))!.split(',')[0]);
    console.log(`browser test: digits on webgpu (${adapter}): test accuracy ${(first * 100).toFixed(1)}% after one epoch, ${Date.now() - t0} ms`);
    // Chance is 10%.
    expect(first).toBeGreaterThan(0.5);
    await page.click('#sample');
    await page.waitForFunction(() => document.querySelector('#prediction')?.getAttribute('data-digit') !== null, null, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#feature-maps')?.getAttribute('data-tiles') === '16', null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('backend-wasm threads in the browser', () => {
  let fixture: string;
  let fixtureServer: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    if (!haveChromium) return;
    fixture = await buildThreadsFixture();
    fixtureServer = await serve(fixture);
  });

  afterAll(async () => {
    await fixtureServer?.close();
    if (fixture) rmSync(fixture, { recursive: true, force: true });
  });

  it('splits a large product over Web Workers, from the page (spinning) and from a worker (sleeping)', async () => {
    requireChromium();
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(fixtureServer.url + 'threads.html');
    await page.waitForFunction(() => (window as unknown as { threadResults?: unknown[] }).threadResults?.length === 2, null, { timeout: 60_000 });
    const results = await page.evaluate(() => (window as unknown as { threadResults: unknown[] }).threadResults);
    console.log(`browser test: backend-wasm threads in chromium: ${JSON.stringify(results)}`);
    const byPlace = Object.fromEntries((results as { where: string; maxDiff: number }[]).map((r) => [r.where, r]));
    for (const where of ['page', 'worker']) {
      expect(byPlace[where]).toMatchObject({ where, isolated: true, threads: 3, mismatches: 0 });
      expect(byPlace[where].maxDiff).toBeLessThan(1e-3);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
