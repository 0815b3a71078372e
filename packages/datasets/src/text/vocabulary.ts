import { ValueError } from '@backprop/tensor';

/**
 * The padding token, id 0, so that zero-padding is padding.
 *
 * @example
 * tok.vocabulary.id(PAD_TOKEN); // 0
 */
export const PAD_TOKEN = '<pad>';
/**
 * The token for anything outside the vocabulary, id 1.
 *
 * @example
 * tok.vocabulary.token(1) === UNK_TOKEN; // true
 */
export const UNK_TOKEN = '<unk>';

/** Options for building a vocabulary from counts. */
export interface VocabularyOptions {
  /** Keep tokens seen at least this often (default 1). */
  minFrequency?: number;
  /** At most this many tokens, the two special ones included (default: all). */
  maxSize?: number;
}

/**
 * Tokens and their ids: `<pad>` = 0, `<unk>` = 1, then the rest most frequent first, ties in code-point order,
 * so the same text always gives the same ids. The tokenizers build one; `new Vocabulary(tokens)` restores a saved list.
 *
 * @example
 * const v = new Vocabulary(['<pad>', '<unk>', 'the', 'cat']);
 * v.id('cat'); // 3
 * v.id('dog'); // 1 (<unk>)
 */
export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    if (tokens[0] !== PAD_TOKEN || tokens[1] !== UNK_TOKEN) throw new ValueError('Vocabulary', `must start with ${PAD_TOKEN} and ${UNK_TOKEN}`);
    this.tokens = [...tokens];
    this.ids = new Map(this.tokens.map((t, k) => [t, k]));
    if (this.ids.size !== this.tokens.length) throw new ValueError('Vocabulary', 'has a token twice');
  }

  /** From token counts, most frequent first. */
  static fromCounts(op: string, counts: Map<string, number>, options: VocabularyOptions = {}, reserved: readonly string[] = []): Vocabulary {
    const minFrequency = options.minFrequency ?? 1;
    if (!(Number.isInteger(minFrequency) && minFrequency >= 1)) throw new ValueError(op, `minFrequency must be a positive integer, got ${minFrequency}`);
    const maxSize = options.maxSize ?? Infinity;
    if (!(maxSize >= 2)) throw new ValueError(op, `maxSize must be at least 2 (${PAD_TOKEN} and ${UNK_TOKEN}), got ${maxSize}`);
    const ranked = [...counts.entries()]
      .filter(([t, c]) => c >= minFrequency && t !== PAD_TOKEN && t !== UNK_TOKEN && !reserved.includes(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([t]) => t);
    return new Vocabulary([PAD_TOKEN, UNK_TOKEN, ...reserved, ...ranked].slice(0, maxSize));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or 1 (`<unk>`). */
  id(token: string): number {
    return this.ids.get(token) ?? 1;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new ValueError('Vocabulary', `id ${id} is outside [0, ${this.tokens.length})`);
    return t;
  }
}

export function countInto(counts: Map<string, number>, token: string, by = 1): void {
  counts.set(token, (counts.get(token) ?? 0) + by);
}
