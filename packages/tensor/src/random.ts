import { ValueError } from './errors.js';
import { noteRandomDraw } from './compile/hooks.js';

/** splitmix32: spreads a 32-bit seed over the generator's state, so that nearby seeds give unrelated streams. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator's complete state, plain data so that checkpoints can store it as JSON. */
export interface GeneratorState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator: **xoshiro128\*\*** (Blackman and Vigna, 2018) over four 32-bit words,
 * seeded through splitmix32. Uniform doubles use 53 bits from two draws; normals use the Box–Muller
 * transform, keeping the second value for the next call. All arithmetic is 32-bit integer math, so the same
 * seed gives the same numbers on every platform.
 *
 * @example
 * const g = new Generator(42);
 * randn([2, 2], { generator: g }); // same numbers on every run
 */
export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Reseeds; any integer (negative and large seeds are reduced to 32 bits). */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new ValueError('Generator.manualSeed', `seed must be a finite number, got ${seed}`);
    const next = splitmix32(Math.floor(seed) % 4294967296);
    for (let i = 0; i < 4; i++) this.s[i] = next();
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spareNormal = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    noteRandomDraw();
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high), without modulo bias. */
  integer(low: number, high: number): number {
    const range = high - low;
    if (!(range > 0) || range > 4294967296) {
      throw new ValueError('Generator.integer', `needs low < high with a range of at most 2^32, got [${low}, ${high})`);
    }
    const limit = 4294967296 - (4294967296 % range);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return low + (x % range);
  }

  getState(): GeneratorState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spareNormal: this.spareNormal };
  }

  setState(state: GeneratorState): this {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new ValueError('Generator.setState', 'expected a state from getState(): { s: [4 numbers], spareNormal }');
    }
    this.s.set(state.s);
    this.spareNormal = state.spareNormal;
    return this;
  }

  /** An independent copy with the same state. */
  clone(): Generator {
    return new Generator().setState(this.getState());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const defaultGenerator = new Generator(0);

/** The generator random functions use when none is given; seeded with 0 until `manualSeed`. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** Reseeds the default generator, as `torch.manual_seed`. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
