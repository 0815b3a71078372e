import { TensorError } from '@backprop/tensor';

/**
 * Where a streaming reader reads bytes from, chunk by chunk: a local path or `file:` URL (Node), an
 * http(s) URL (fetched; the body streams), a web `ReadableStream`, a `Blob`/`File`, or any (async)
 * iterable of byte chunks, such as a Node `Readable`. Gzipped bytes (by their magic number) are
 * decompressed on the way, with `DecompressionStream`, which Node 20 and browsers both have.
 */
export type StreamSource = string | URL | ReadableStream<Uint8Array> | Blob | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Options of the streaming readers' byte source. */
export interface StreamSourceOptions {
  /** Bytes per read from a file (default 1 MiB); the memory a reader holds is a few chunks plus one batch. */
  chunkSize?: number;
}

const isHttp = (s: string | URL): boolean => /^https?:\/\//i.test(String(s));

async function* fromReadable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // An early exit (take, a thrown error) cancels the read so that the file or connection closes.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* rawChunks(op: string, source: StreamSource, chunkSize: number): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string' || source instanceof URL) {
    if (isHttp(source)) {
      let response: Response;
      try {
        response = await fetch(String(source));
      } catch (e) {
        throw new TensorError(op, `cannot fetch ${String(source)}: ${(e as Error).message}`);
      }
      if (!response.ok || !response.body) throw new TensorError(op, `fetching ${String(source)} failed: HTTP ${response.status} ${response.statusText}`);
      return yield* fromReadable(response.body);
    }
    const { createReadStream } = await import('node:fs');
    const stream = createReadStream(source, { highWaterMark: chunkSize });
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (e) {
      throw new TensorError(op, `cannot read ${String(source)}: ${(e as Error).message}`);
    } finally {
      stream.destroy();
    }
    return;
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) return yield* fromReadable(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return yield* fromReadable(source.stream() as ReadableStream<Uint8Array>);
  if (Symbol.asyncIterator in source || Symbol.iterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield chunk;
    return;
  }
  throw new TensorError(op, `cannot read from ${String(source)}; expected a path, a URL, a ReadableStream, a Blob or an iterable of byte chunks`);
}

/** Chunks as a web stream, to pipe through `DecompressionStream`. */
function toReadable(chunks: AsyncIterator<Uint8Array>, first: Uint8Array): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const r = await chunks.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** The bytes of `source`, chunk by chunk, gunzipped when they start with the gzip magic number. */
export async function* byteChunks(op: string, source: StreamSource, options: StreamSourceOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new TensorError(op, `chunkSize must be a positive integer, got ${chunkSize}`);
  const raw = rawChunks(op, source, chunkSize);
  let first = await raw.next();
  while (!first.done && first.value.length === 0) first = await raw.next();
  if (first.done) return;
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    // The magic number may in principle straddle chunks; files and fetches deliver far more than 2 bytes first.
    const stream = toReadable(raw, head).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
    return yield* fromReadable(stream);
  }
  yield head;
  yield* raw;
}
