import { TensorError } from '@backprop/tensor';
import { ChecksumError } from '../errors.js';

/** Where a loader reads bytes from: a local path or `file:` URL, an http(s) URL, or bytes already in memory. */
export type ByteSource = string | URL | Uint8Array | ArrayBuffer;

/** Options of loaders that read a `ByteSource`. */
export interface SourceOptions {
  /** Folder where downloads are kept and reused (Node only); without it URLs are fetched every time. */
  cacheDir?: string;
  /** Expected SHA-256 (hex) of the bytes as read or downloaded (before gunzip); a mismatch is a `ChecksumError`. */
  sha256?: string;
}

const isHttp = (s: string | URL): boolean => /^https?:\/\//i.test(String(s));

/** Hex SHA-256 through WebCrypto, which Node 20 and browsers both provide. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function verify(op: string, bytes: Uint8Array, name: string, expected: string | undefined): Promise<Uint8Array> {
  if (expected === undefined) return bytes;
  const actual = await sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) throw new ChecksumError(op, name, expected.toLowerCase(), actual);
  return bytes;
}

/**
 * The bytes of `source`, checked against `options.sha256`. Paths are read with `node:fs`, imported only
 * here so that the package loads in browsers; URLs are fetched with the global `fetch` and, with `cacheDir`,
 * kept on disk after their digest has been checked.
 */
export async function readSource(op: string, source: ByteSource, options: SourceOptions = {}): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return verify(op, source, 'the given bytes', options.sha256);
  if (source instanceof ArrayBuffer) return verify(op, new Uint8Array(source), 'the given bytes', options.sha256);
  if (isHttp(source)) return fetchCached(op, String(source), options);
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(source));
  } catch (e) {
    throw new TensorError(op, `cannot read ${source}: ${(e as Error).message}`);
  }
  return verify(op, bytes, String(source), options.sha256);
}

async function fetchCached(op: string, url: string, options: SourceOptions): Promise<Uint8Array> {
  const cachePath = options.cacheDir === undefined ? null : await cacheFile(options.cacheDir, url);
  if (cachePath) {
    const { readFile } = await import('node:fs/promises');
    const cached = await readFile(cachePath).then((b) => new Uint8Array(b), () => null);
    // A cached file with the wrong digest (an interrupted or tampered copy) is fetched again.
    if (cached && (options.sha256 === undefined || (await sha256Hex(cached)) === options.sha256.toLowerCase())) return cached;
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new TensorError(op, `cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new TensorError(op, `fetching ${url} failed: HTTP ${response.status} ${response.statusText}`);
  const bytes = await verify(op, new Uint8Array(await response.arrayBuffer()), url, options.sha256);
  if (cachePath) await writeAtomically(cachePath, bytes);
  return bytes;
}

/**
 * The cache file of a URL: its last path segment, prefixed with a digest of the whole URL because
 * different sets share file names (MNIST and Fashion-MNIST both have `train-images-idx3-ubyte.gz`).
 */
async function cacheFile(cacheDir: string, url: string): Promise<string> {
  const { join } = await import('node:path');
  const base = new URL(url).pathname.split('/').pop()?.replace(/[^\w.-]/g, '_') || 'download';
  const prefix = (await sha256Hex(new TextEncoder().encode(url))).slice(0, 12);
  return join(cacheDir, `${prefix}-${base}`);
}

/** Writes through a temporary file and a rename, so an interrupted download never leaves a partial cache file. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const { mkdir, rename, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}
