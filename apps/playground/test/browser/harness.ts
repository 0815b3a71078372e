// What the browser tests share: build the site with Vite, serve it on 127.0.0.1 from a random free port,
// and drive Debian's chromium through playwright-core (which never downloads a browser of its own).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import siteConfig, { ISOLATION_HEADERS } from '../../vite.config.js';

export const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = join(APP_ROOT, 'test-results');

/** Where chromium is: `CHROMIUM_PATH`, else Debian's package. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails (never skips) when there is no browser, and says how to get one. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests: no chromium at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium) ` +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary. These tests do not skip.',
    );
  }
  return CHROMIUM;
}

/** Builds the site into a fresh temporary folder and returns it. */
export async function buildSite(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'backprop-playground-site-'));
  await build({ configFile: join(APP_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/**
 * Builds test/browser/fixtures/threads.html (a page that calls @backprop/backend-wasm directly, on its
 * main thread and in a worker) with the site's aliases and worker format, into a fresh temporary folder.
 */
export async function buildThreadsFixture(): Promise<string> {
  const root = join(APP_ROOT, 'test', 'browser', 'fixtures');
  const outDir = mkdtempSync(join(tmpdir(), 'backprop-threads-fixture-'));
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    resolve: siteConfig.resolve,
    worker: siteConfig.worker,
    build: { outDir, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(root, 'threads.html') } },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A static file server for `dir` on 127.0.0.1 and a free port, cross-origin isolated like `vite preview`. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { ...ISOLATION_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('browser tests: the server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    // The browser may keep connections open (keep-alive) after its pages close: end them, or close() waits on them.
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/**
 * Chromium with a fresh profile, headless, with the flags that work in containers and CI. With
 * `--enable-unsafe-webgpu`, headless chromium offers WebGPU: on a machine without a GPU its adapter is
 * SwiftShader, Vulkan on the CPU (slow: the webgpu tests train for seconds, not minutes).
 */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const executablePath = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'backprop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and uncaught exceptions of a page and its workers. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') errors.push(`worker console: ${message.text()}`);
    });
  });
  return errors;
}
