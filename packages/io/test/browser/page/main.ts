// The browser side of model-url-browser.test.ts: round-trips a model through each URL scheme with the
// real browser APIs (fetch, IndexedDB, localStorage, a download) and reports what came back.
import { Generator, randn, type Tensor } from '@backprop/tensor';
import { Linear, ReLU, Sequential, type Module } from '@backprop/layers';
// @backprop/io's own source (what the package builds from), so the page needs no build of it first.
import { loadModel, modelToBytes, saveModel } from '../../../src/index.js';

const x = randn([5, 3], { generator: new Generator(3) });
const out = (m: unknown): number[] => Array.from(((m as Module).call(x) as Tensor).dataSync(), Number);
const model = () => new Sequential(new Linear(3, 4, { generator: new Generator(1) }), new ReLU(), new Linear(4, 2, { generator: new Generator(2) }));
const message = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
};

async function roundTrips(origin: string) {
  const m = model();
  const want = out(m);
  const results: Record<string, unknown> = { want };
  for (const url of ['indexeddb://mlp', 'localstorage://mlp', `${origin}/upload/mlp`]) {
    await saveModel(m, url, { metadata: { url } });
    const loaded = await loadModel(url);
    results[url] = { got: out(loaded.model), metadata: loaded.metadata };
  }
  results.static = out((await loadModel(`${origin}/static/mlp.safetensors`)).model);
  results.fileBytes = modelToBytes(m).length;
  results.missingIndexedDb = await message(() => loadModel('indexeddb://missing'));
  results.missingLocalStorage = await message(() => loadModel('localstorage://missing'));
  results.missingHttp = await message(() => loadModel(`${origin}/nothing-here`));
  // 1500 × 1500 float32 weights: 9 MB, 12 MB of base64, over every browser's localStorage quota.
  results.quota = await message(() => saveModel(new Linear(1500, 1500, { generator: new Generator(4) }), 'localstorage://big'));
  return results;
}

async function download(): Promise<void> {
  await saveModel(model(), 'downloads://mlp');
}

Object.assign(globalThis, { roundTrips, download });
document.title = 'ready';
