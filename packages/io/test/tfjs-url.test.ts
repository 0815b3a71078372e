import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { expectClose } from '@backprop/test-utils';
import { loadTfjsModelFromUrl } from '../src/index.js';

// The tfjs fixtures over http, from a local static server (shards resolve relative to the model.json).
const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tfjs');
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = normalize(join(DIR, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)));
    if (file.startsWith(DIR) && existsSync(file) && !file.endsWith('.expected.json')) res.writeHead(200).end(readFileSync(file));
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('loadTfjsModelFromUrl', () => {
  it("fetches the model.json and its shards and gives tfjs's outputs", async () => {
    const e = JSON.parse(readFileSync(join(DIR, 'cnn.expected.json'), 'utf8')) as { input: { shape: number[]; values: number[] }; output: { shape: number[]; values: number[] } };
    const model = await loadTfjsModelFromUrl(`${base}/cnn.json`);
    const y = noGrad(() => model.call(tensor(Float32Array.from(e.input.values), e.input.shape)) as Tensor);
    expectClose(y, tensor(Float32Array.from(e.output.values), e.output.shape), 1e-4, 1e-5);
    // A model.json in a sub-folder: its shard URLs resolve next to it.
    expect((await loadTfjsModelFromUrl(`${base}/activations/relu.json`)).children().length).toBeGreaterThan(0);
  });

  it('names the URL and status of a failed fetch', async () => {
    await expect(loadTfjsModelFromUrl(`${base}/absent.json`)).rejects.toThrow(`fetching the model.json ${base}/absent.json failed: HTTP 404 Not Found`);
    await expect(loadTfjsModelFromUrl(`${base}/cnn.group1-shard1of2.bin`)).rejects.toThrow('not valid JSON');
  });
});
