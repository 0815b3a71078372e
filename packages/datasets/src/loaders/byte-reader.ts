import { DataFormatError } from '../errors.js';

/** Reads exact byte counts from a stream of chunks, holding only what has been read and not yet taken. */
export class ByteReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** Bytes read and not yet taken. */
  get available(): number {
    return this.buffer.length;
  }

  /** Reads until at least `n` bytes are available or the stream ends; returns whether `n` are. */
  async fill(n: number): Promise<boolean> {
    while (this.buffer.length < n && !this.ended) {
      const r = await this.chunks.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      if (this.buffer.length === 0) {
        this.buffer = r.value;
        continue;
      }
      const joined = new Uint8Array(this.buffer.length + r.value.length);
      joined.set(this.buffer);
      joined.set(r.value, this.buffer.length);
      this.buffer = joined;
    }
    return this.buffer.length >= n;
  }

  /** The next `n` bytes (which `fill` has made available). */
  take(n: number): Uint8Array {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** Exactly `n` bytes, or a `DataFormatError` saying what was being read. */
  async read(op: string, n: number, what: string): Promise<Uint8Array> {
    if (!(await this.fill(n))) throw new DataFormatError(op, `the data ends inside ${what}: needed ${n} bytes, got ${this.buffer.length}`);
    return this.take(n);
  }

  /** Whether the stream has ended with nothing left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
