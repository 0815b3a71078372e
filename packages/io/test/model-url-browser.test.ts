// saveModel/loadModel's browser schemes in Debian's headless chromium (playwright-core, no browser
// download): a Vite-built page round-trips a model through IndexedDB, localStorage, an http server and
// a download, and loads a model file over http from this test's static server.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Generator, randn, type Tensor } from '@backprop/tensor';
import { Linear, ReLU, Sequential, type Module } from '@backprop/layers';
import { modelFromBytes, modelToBytes } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NODE_ONLY = join(HERE, 'browser', 'node-only.ts');

// The page's model, rebuilt here: same layers and seeds.
const model = () => new Sequential(new Linear(3, 4, { generator: new Generator(1) }), new ReLU(), new Linear(4, 2, { generator: new Generator(2) }));
const x = randn([5, 3], { generator: new Generator(3) });
const out = (m: unknown): number[] => Array.from(((m as Module).call(x) as Tensor).dataSync(), Number);

let site = '';
let profile = '';
let server: Server;
let origin = '';
let context: BrowserContext;
let page: Page;
const uploads = new Map<string, Buffer>();
const errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH (these tests do not skip)`);
  site = mkdtempSync(join(tmpdir(), 'backprop-io-page-'));
  await build({
    configFile: false,
    root: join(HERE, 'browser', 'page'),
    base: './',
    logLevel: 'warn',
    resolve: {
      alias: Object.fromEntries(['node:fs/promises', 'node:path'].map((m) => [m, NODE_ONLY])),
    },
    build: { outDir: site, emptyOutDir: true, target: 'es2022' },
  });
  const fixture = Buffer.from(modelToBytes(model()));
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path.startsWith('/upload/')) {
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          uploads.set(path, Buffer.concat(chunks));
          res.writeHead(201).end();
        });
      } else if (uploads.has(path)) res.writeHead(200).end(uploads.get(path));
      else res.writeHead(404).end();
      return;
    }
    if (path === '/static/mlp.safetensors') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fixture);
      return;
    }
    const file = normalize(join(site, path === '/' ? 'index.html' : path));
    if (!file.startsWith(site) || !existsSync(file)) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
  profile = mkdtempSync(join(tmpdir(), 'backprop-io-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.title === 'ready');
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  for (const dir of [site, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('model URLs in chromium', () => {
  it('round-trips a model through indexeddb://, localstorage:// and http(s)://, and loads one over http', async () => {
    const r = (await page.evaluate((o) => (globalThis as unknown as { roundTrips: (o: string) => Promise<unknown> }).roundTrips(o), origin)) as Record<string, unknown>;
    const want = out(model());
    expect(r.want).toEqual(want);
    for (const url of ['indexeddb://mlp', 'localstorage://mlp', `${origin}/upload/mlp`]) {
      expect(r[url]).toEqual({ got: want, metadata: { url } });
    }
    expect(r.static).toEqual(want);
    // The POSTed body is the model file itself.
    expect(uploads.get('/upload/mlp')).toEqual(Buffer.from(modelToBytes(model(), { metadata: { url: `${origin}/upload/mlp` } })));
    expect(r.missingIndexedDb).toBe("ModelFileError: indexeddb://missing: no model named 'missing' in IndexedDB (database 'backprop', store 'models')");
    expect(r.missingLocalStorage).toBe("ModelFileError: localstorage://missing: no model named 'missing' in localStorage (key 'backprop:model:missing')");
    expect(r.missingHttp).toBe(`ModelFileError: ${origin}/nothing-here: fetching the model failed: HTTP 404 Not Found`);
    expect(r.quota).toMatch(/^ModelFileError: localstorage:\/\/big: localStorage refused the model: 9\d{6} bytes are 12\d{6} characters of base64, over its quota \(.*\); use indexeddb:\/\/big for larger models$/);
    expect(errors).toEqual([]);
  }, 60_000);

  it('downloads://name downloads the model file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => (globalThis as unknown as { download: () => Promise<void> }).download())]);
    expect(download.suggestedFilename()).toBe('mlp.safetensors');
    const bytes = readFileSync((await download.path())!);
    expect(out(modelFromBytes(bytes).model)).toEqual(out(model()));
  }, 60_000);
});
