// GPU allocations are slow to create and invisible to the garbage collector, so released buffers are kept
// by size and handed out again: a training loop whose shapes repeat allocates nothing new after its first
// step. The pool is capped so that a change of shapes does not keep the old ones forever.

/** Buffer usage flags, as the WebGPU spec numbers them (Node's Dawn binding has no globals by default). */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;

/** Usage of every tensor and parameter buffer: bound to shaders, copied to and from. */
export const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
/** Usage of the staging buffers results are read back through. */
export const READBACK_USAGE = USAGE.MAP_READ | USAGE.COPY_DST;

/** Counts of a pool, for leak tests and for `webgpuMemoryInfo()`. */
export interface PoolStats {
  /** Buffers created since the backend started (grows only while shapes are new). */
  created: number;
  /** Buffers handed out and not yet returned. */
  inUse: number;
  /** Buffers waiting in the pool to be reused, and their bytes. */
  pooled: number;
  pooledBytes: number;
}

/** Sizes are rounded up to 16 bytes (every buffer a multiple of 4 and non-empty), which is also the pool key. */
export function bucketBytes(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 16) * 16);
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Buffers this pool created: a buffer of another device (an earlier backend's) is never pooled here. */
  private readonly owned = new WeakSet<GPUBuffer>();
  private created = 0;
  private inUse = 0;
  private pooledCount = 0;
  private pooledBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    /** Most bytes the pool keeps for reuse; a released buffer beyond it is destroyed. */
    private readonly capBytes: number,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = bucketBytes(bytes);
    this.inUse++;
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.pooledCount--;
      this.pooledBytes -= size;
      return reused;
    }
    this.created++;
    const buffer = this.device.createBuffer({ size, usage: this.usage });
    this.owned.add(buffer);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    if (!this.owned.has(buffer)) {
      buffer.destroy();
      return;
    }
    this.inUse--;
    const size = buffer.size;
    if (this.pooledBytes + size > this.capBytes) {
      buffer.destroy();
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buffer);
    this.pooledCount++;
    this.pooledBytes += size;
  }

  stats(): PoolStats {
    return { created: this.created, inUse: this.inUse, pooled: this.pooledCount, pooledBytes: this.pooledBytes };
  }

  /** Destroys every pooled buffer (when the backend is replaced). */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledCount = 0;
    this.pooledBytes = 0;
  }
}
