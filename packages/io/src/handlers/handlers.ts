/**
 * Where `saveModel`/`loadModel` put model files besides Node paths, chosen by the URL scheme:
 * `http(s)://` (fetch; POST to save), `indexeddb://name`, `localstorage://name` (base64) and
 * `downloads://name` (save only: the browser downloads the file). Anything else is a file path.
 */
import { ModelFileError } from '../errors.js';

/** Reads and writes a model file's bytes somewhere: what a URL scheme stands for. */
export interface ModelIOHandler {
  /** The model file's bytes. */
  load(): Promise<Uint8Array>;
  /** Stores the model file's bytes. */
  save(bytes: Uint8Array): Promise<void>;
}

/** The URL schemes `saveModel` and `loadModel` understand besides file paths. */
export const MODEL_URL_SCHEMES = ['http', 'https', 'indexeddb', 'localstorage', 'downloads'] as const;

/** IndexedDB database holding `indexeddb://` models. */
export const INDEXEDDB_DATABASE = 'backprop';
/** Object store of `INDEXEDDB_DATABASE` holding `indexeddb://name` models, keyed by name. */
export const INDEXEDDB_STORE = 'models';
/** localStorage key of `localstorage://name`: this prefix and the name. */
export const LOCALSTORAGE_PREFIX = 'backprop:model:';

function nameOf(url: string, scheme: string): string {
  const name = url.slice(scheme.length + 3);
  if (name === '') throw new ModelFileError(`${scheme}:// needs a model name after it, as in '${scheme}://my-model'`, url);
  return name;
}

function httpHandler(url: string): ModelIOHandler {
  return {
    async load() {
      let response: Response;
      try {
        response = await fetch(url);
      } catch (e) {
        throw new ModelFileError(`fetching the model failed (${(e as Error).message})`, url);
      }
      if (!response.ok) throw new ModelFileError(`fetching the model failed: HTTP ${response.status} ${response.statusText}`.trimEnd(), url);
      return new Uint8Array(await response.arrayBuffer());
    },
    async save(bytes) {
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes as BodyInit });
      } catch (e) {
        throw new ModelFileError(`posting the model failed (${(e as Error).message})`, url);
      }
      if (!response.ok) throw new ModelFileError(`posting the model failed: HTTP ${response.status} ${response.statusText}`.trimEnd(), url);
    },
  };
}

function database(url: string): Promise<IDBDatabase> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) throw new ModelFileError('indexeddb:// needs IndexedDB, which this runtime lacks (it is a browser API)', url);
  return new Promise((resolve, reject) => {
    const request = idb.open(INDEXEDDB_DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(INDEXEDDB_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new ModelFileError(`opening IndexedDB failed (${request.error?.message ?? 'unknown error'})`, url));
  });
}

function indexedDbHandler(url: string): ModelIOHandler {
  const name = nameOf(url, 'indexeddb');
  const run = async <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await database(url);
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction(INDEXEDDB_STORE, mode);
        const request = op(tx.objectStore(INDEXEDDB_STORE));
        // Resolve once the transaction commits, so a saved model is there for the next load.
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(new ModelFileError(`IndexedDB ${mode === 'readonly' ? 'read' : 'write'} failed (${tx.error?.message ?? 'unknown error'})`, url));
        tx.onabort = tx.onerror;
      });
    } finally {
      db.close();
    }
  };
  return {
    async load() {
      const value = await run('readonly', (store) => store.get(name) as IDBRequest<unknown>);
      if (value === undefined) throw new ModelFileError(`no model named '${name}' in IndexedDB (database '${INDEXEDDB_DATABASE}', store '${INDEXEDDB_STORE}')`, url);
      if (!(value instanceof ArrayBuffer)) throw new ModelFileError(`the IndexedDB entry '${name}' is not a model file (expected an ArrayBuffer)`, url);
      return new Uint8Array(value);
    },
    async save(bytes) {
      // An ArrayBuffer of exactly the file: a view's buffer may be larger.
      const copy = bytes.slice().buffer;
      await run('readwrite', (store) => store.put(copy, name));
    },
  };
}

/** Base64 in chunks: `String.fromCharCode(...bytes)` on a whole file would overflow the argument limit. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string, url: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new ModelFileError('the localStorage entry is not base64 (not a model saved by saveModel)', url);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function localStorageHandler(url: string): ModelIOHandler {
  const name = nameOf(url, 'localstorage');
  const key = LOCALSTORAGE_PREFIX + name;
  const storage = (): Storage => {
    const s = (globalThis as { localStorage?: Storage }).localStorage;
    if (!s) throw new ModelFileError('localstorage:// needs localStorage, which this runtime lacks (it is a browser API)', url);
    return s;
  };
  return {
    async load() {
      const text = storage().getItem(key);
      if (text === null) throw new ModelFileError(`no model named '${name}' in localStorage (key '${key}')`, url);
      return fromBase64(text, url);
    },
    async save(bytes) {
      const text = toBase64(bytes);
      const s = storage();
      try {
        s.setItem(key, text);
      } catch (e) {
        if ((e as Error).name !== 'QuotaExceededError') throw new ModelFileError(`localStorage refused the model (${(e as Error).message})`, url);
        throw new ModelFileError(
          `localStorage refused the model: ${bytes.length} bytes are ${text.length} characters of base64, over its quota ` +
            `(browsers allow about 5 MB per site); use indexeddb://${name} for larger models`,
          url,
        );
      }
    },
  };
}

function downloadsHandler(url: string): ModelIOHandler {
  const name = nameOf(url, 'downloads');
  const file = /\.[A-Za-z0-9]+$/.test(name) ? name : `${name}.safetensors`;
  return {
    async load() {
      throw new ModelFileError('downloads:// can only save; load a downloaded model with modelFromBlob (a file input) or from its URL', url);
    },
    async save(bytes) {
      const doc = (globalThis as { document?: Document }).document;
      if (!doc) throw new ModelFileError('downloads:// needs a browser page (document), which this runtime lacks', url);
      const href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
      const a = doc.createElement('a');
      a.href = href;
      a.download = file;
      a.style.display = 'none';
      doc.body.appendChild(a);
      a.click();
      a.remove();
      // Revoked later: revoking at once can cancel the download before the browser has read the blob.
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    },
  };
}

/**
 * The handler for a model URL (`https://…`, `indexeddb://name`, `localstorage://name`,
 * `downloads://name`), or `undefined` for a file path, which `saveModel`/`loadModel` treat as today.
 *
 * @example
 * const bytes = await modelIOHandler('indexeddb://digits')!.load();
 * modelIOHandler('models/digits.safetensors'); // undefined: a file path
 */
export function modelIOHandler(path: string): ModelIOHandler | undefined {
  const scheme = /^([a-z]+):\/\//i.exec(path)?.[1].toLowerCase();
  switch (scheme) {
    case 'http':
    case 'https':
      return httpHandler(path);
    case 'indexeddb':
      return indexedDbHandler(path);
    case 'localstorage':
      return localStorageHandler(path);
    case 'downloads':
      return downloadsHandler(path);
    default:
      // Any other string is a file path, exactly as before these schemes existed.
      return undefined;
  }
}
