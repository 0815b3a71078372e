import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, randn, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { Linear, ReLU, Sequential, type Module } from '@backprop/layers';
import { expectClose } from '@backprop/test-utils';
import { loadModel, modelIOHandler, modelToBytes, saveModel } from '../src/index.js';

const model = () => new Sequential(new Linear(3, 4, { generator: new Generator(1) }), new ReLU(), new Linear(4, 2, { generator: new Generator(2) }));
const x = randn([5, 3], { generator: new Generator(3) });
const out = (m: unknown) => noGrad(() => (m as Module).call(x) as Tensor);

// A local server: GET serves what was POSTed to the same path (404 before), recording each POST's headers.
const stored = new Map<string, Buffer>();
const posts: { path: string; type: string | undefined; length: number }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (path === '/forbidden') {
          res.writeHead(403, 'Forbidden').end();
          return;
        }
        stored.set(path, Buffer.concat(chunks));
        posts.push({ path, type: req.headers['content-type'], length: Buffer.concat(chunks).length });
        res.writeHead(201).end();
      });
      return;
    }
    const body = stored.get(path);
    if (body) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('saveModel and loadModel with URLs', () => {
  it('http: saveModel POSTs the model file as application/octet-stream, loadModel fetches it', async () => {
    const m = model();
    await saveModel(m, `${base}/models/mlp`, { metadata: { classes: 2 } });
    expect(posts.at(-1)).toEqual({ path: '/models/mlp', type: 'application/octet-stream', length: modelToBytes(m, { metadata: { classes: 2 } }).length });
    const loaded = await loadModel(`${base}/models/mlp`);
    expect(loaded.metadata).toEqual({ classes: 2 });
    expectClose(out(loaded.model), out(m), 0, 0);
  });

  it('http: a failed request names the status and the URL, not a missing file', async () => {
    await expect(loadModel(`${base}/absent`)).rejects.toThrow(`${base}/absent: fetching the model failed: HTTP 404 Not Found`);
    await expect(saveModel(model(), `${base}/forbidden`)).rejects.toThrow(`${base}/forbidden: posting the model failed: HTTP 403 Forbidden`);
    await expect(loadModel('http://127.0.0.1:1/m')).rejects.toThrow(/^http:\/\/127\.0\.0\.1:1\/m: fetching the model failed \(/);
  });

  it('browser schemes say what they need outside a browser', async () => {
    await expect(loadModel('indexeddb://m')).rejects.toThrow('indexeddb:// needs IndexedDB, which this runtime lacks');
    await expect(saveModel(model(), 'localstorage://m')).rejects.toThrow('localstorage:// needs localStorage, which this runtime lacks');
    await expect(saveModel(model(), 'downloads://m')).rejects.toThrow('downloads:// needs a browser page (document)');
    await expect(loadModel('downloads://m')).rejects.toThrow('downloads:// can only save');
    await expect(loadModel('indexeddb://')).rejects.toThrow("indexeddb:// needs a model name after it, as in 'indexeddb://my-model'");
  });

  it('anything without one of the schemes is a file path, as before', async () => {
    expect(modelIOHandler('models/mlp.safetensors')).toBeUndefined();
    expect(modelIOHandler('C:\\models\\mlp.safetensors')).toBeUndefined();
    expect(modelIOHandler('file:///tmp/mlp.safetensors')).toBeUndefined();
    expect(modelIOHandler('HTTPS://example.com/m')).toBeDefined();
    await expect(loadModel('/nonexistent/dir/mlp.safetensors')).rejects.toThrow(/nonexistent/);
  });
});
