import { ValueError } from '@backprop/tensor';
import { checkOptionKeys } from '../options.js';
import { countInto, PAD_TOKEN, Vocabulary, type VocabularyOptions } from './vocabulary.js';

/** What `toJSON` gives and `tokenizerFromJSON` reads. */
export interface TokenizerJSON {
  type: 'char' | 'word' | 'bpe';
  tokens: string[];
  lowercase: boolean;
  /** BPE merges in the order learned. */
  merges?: [string, string][];
}

/** What every tokenizer does: text to ids and back, with `<pad>` = 0 and `<unk>` = 1. */
export interface Tokenizer {
  readonly vocabulary: Vocabulary;
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
  toJSON(): TokenizerJSON;
}

const WORD = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

/** Words and punctuation marks of `text`, as `WordTokenizer` and `BPETokenizer` split it. */
function words(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
}

function decodeIds(vocabulary: Vocabulary, ids: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let k = 0; k < ids.length; k++) if (ids[k] !== 0) out.push(vocabulary.token(ids[k]));
  return out;
}

/**
 * Characters as tokens (code points, so an emoji is one token), for character-level language models.
 *
 * @example
 * const tok = CharTokenizer.fit(['hello', 'world']);
 * tok.decode(tok.encode('low')); // 'low'
 */
export class CharTokenizer implements Tokenizer {
  constructor(
    readonly vocabulary: Vocabulary,
    readonly lowercase = false,
  ) {}

  /** Builds the vocabulary from the characters of `texts`. */
  static fit(texts: Iterable<string>, options: VocabularyOptions & { lowercase?: boolean } = {}): CharTokenizer {
    checkOptionKeys('CharTokenizer.fit', options, ['minFrequency', 'maxSize', 'lowercase']);
    const lowercase = options.lowercase ?? false;
    const counts = new Map<string, number>();
    for (const text of texts) for (const ch of lowercase ? text.toLowerCase() : text) countInto(counts, ch);
    return new CharTokenizer(Vocabulary.fromCounts('CharTokenizer.fit', counts, options), lowercase);
  }

  get vocabSize(): number {
    return this.vocabulary.size;
  }

  encode(text: string): number[] {
    return Array.from(this.lowercase ? text.toLowerCase() : text, (ch) => this.vocabulary.id(ch));
  }

  /** The text of `ids`, skipping padding. */
  decode(ids: ArrayLike<number>): string {
    return decodeIds(this.vocabulary, ids).join('');
  }

  toJSON(): TokenizerJSON {
    return { type: 'char', tokens: [...this.vocabulary.tokens], lowercase: this.lowercase };
  }
}

/**
 * Words and punctuation marks as tokens (letters, digits and `_` make words; other non-space characters
 * are tokens of their own), lower-cased by default, as a classic bag-of-words or embedding vocabulary.
 *
 * @example
 * const tok = WordTokenizer.fit(corpus, { maxSize: 10_000, minFrequency: 2 });
 * tok.encode('The cat sat.'); // [ids of 'the', 'cat', 'sat', '.']
 */
export class WordTokenizer implements Tokenizer {
  constructor(
    readonly vocabulary: Vocabulary,
    readonly lowercase = true,
  ) {}

  static fit(texts: Iterable<string>, options: VocabularyOptions & { lowercase?: boolean } = {}): WordTokenizer {
    checkOptionKeys('WordTokenizer.fit', options, ['minFrequency', 'maxSize', 'lowercase']);
    const lowercase = options.lowercase ?? true;
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of words(text, lowercase)) countInto(counts, w);
    return new WordTokenizer(Vocabulary.fromCounts('WordTokenizer.fit', counts, options), lowercase);
  }

  get vocabSize(): number {
    return this.vocabulary.size;
  }

  encode(text: string): number[] {
    return words(text, this.lowercase).map((w) => this.vocabulary.id(w));
  }

  /** The tokens of `ids` joined by spaces, skipping padding. */
  decode(ids: ArrayLike<number>): string {
    return decodeIds(this.vocabulary, ids).join(' ');
  }

  toJSON(): TokenizerJSON {
    return { type: 'word', tokens: [...this.vocabulary.tokens], lowercase: this.lowercase };
  }
}

/** Marks the last symbol of a word, as in Sennrich et al.'s BPE, so that decoding knows where spaces go. */
const END = '</w>';

/**
 * Byte-pair encoding over characters (Sennrich, Haddow and Birch, 2016, "Neural Machine Translation of Rare
 * Words with Subword Units"): starting from characters, `fit` merges the most frequent adjacent pair of
 * symbols within words (ties in code-point order), again and again until the vocabulary has `vocabSize`
 * tokens or no pair occurs twice. The last symbol of every word carries `</w>`. `encode` applies the merges
 * in the order learned, so frequent words become one token and rare ones split into known pieces.
 *
 * @example
 * const bpe = BPETokenizer.fit(corpus, { vocabSize: 500 });
 * bpe.decode(bpe.encode('lowest newer')); // 'lowest newer'
 */
export class BPETokenizer implements Tokenizer {
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, number[]>();

  constructor(
    readonly vocabulary: Vocabulary,
    readonly merges: readonly (readonly [string, string])[],
    readonly lowercase = false,
  ) {
    this.ranks = new Map(merges.map(([a, b], k) => [`${a} ${b}`, k]));
  }

  static fit(texts: Iterable<string>, options: { vocabSize: number; lowercase?: boolean }): BPETokenizer {
    const op = 'BPETokenizer.fit';
    checkOptionKeys(op, options, ['vocabSize', 'lowercase']);
    const { vocabSize } = options;
    const lowercase = options.lowercase ?? false;
    const wordCounts = new Map<string, number>();
    for (const text of texts) for (const w of words(text, lowercase)) countInto(wordCounts, w);
    const entries = [...wordCounts.entries()].map(([w, count]) => ({ symbols: BPETokenizer.split(w), count }));
    const base = new Map<string, number>();
    for (const { symbols, count } of entries) for (const s of symbols) countInto(base, s, count);
    const symbols = Vocabulary.fromCounts(op, base).tokens.slice(2);
    if (!(Number.isInteger(vocabSize) && vocabSize >= 2 + symbols.length)) {
      throw new ValueError(op, `vocabSize must be an integer of at least ${2 + symbols.length} (the special tokens and every character), got ${vocabSize}`);
    }
    const merges: [string, string][] = [];
    while (2 + symbols.length + merges.length < vocabSize) {
      const pairs = new Map<string, number>();
      for (const { symbols: s, count } of entries) for (let k = 0; k + 1 < s.length; k++) countInto(pairs, `${s[k]} ${s[k + 1]}`, count);
      let best: string | null = null;
      let bestCount = 1;
      for (const [pair, c] of pairs) if (c > bestCount || (c === bestCount && best !== null && pair < best)) [best, bestCount] = [pair, c];
      if (best === null) break;
      const [a, b] = best.split(' ') as [string, string];
      merges.push([a, b]);
      for (const e of entries) e.symbols = BPETokenizer.mergeOnce(e.symbols, a, b);
    }
    const tokens = [PAD_TOKEN, '<unk>', ...symbols, ...merges.map(([a, b]) => a + b)];
    return new BPETokenizer(new Vocabulary([...new Set(tokens)]), merges, lowercase);
  }

  /** A word's characters with the end mark on the last. */
  private static split(word: string): string[] {
    const chars = Array.from(word);
    chars[chars.length - 1] += END;
    return chars;
  }

  private static mergeOnce(symbols: string[], a: string, b: string): string[] {
    const out: string[] = [];
    for (let k = 0; k < symbols.length; k++) {
      if (k + 1 < symbols.length && symbols[k] === a && symbols[k + 1] === b) {
        out.push(a + b);
        k++;
      } else out.push(symbols[k]);
    }
    return out;
  }

  get vocabSize(): number {
    return this.vocabulary.size;
  }

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let symbols = BPETokenizer.split(word);
    while (symbols.length > 1) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let k = 0; k + 1 < symbols.length; k++) {
        const rank = this.ranks.get(`${symbols[k]} ${symbols[k + 1]}`);
        if (rank !== undefined && rank < bestRank) [bestRank, bestAt] = [rank, k];
      }
      if (bestAt < 0) break;
      const [a, b] = this.merges[bestRank];
      symbols = BPETokenizer.mergeOnce(symbols, a, b);
    }
    const ids = symbols.map((s) => this.vocabulary.id(s));
    if (this.cache.size < 100_000) this.cache.set(word, ids);
    return ids;
  }

  encode(text: string): number[] {
    return words(text, this.lowercase).flatMap((w) => this.encodeWord(w));
  }

  /** The text of `ids`: pieces joined, a space after every word end, padding skipped. */
  decode(ids: ArrayLike<number>): string {
    return decodeIds(this.vocabulary, ids).join('').split(END).join(' ').trimEnd();
  }

  toJSON(): TokenizerJSON {
    return { type: 'bpe', tokens: [...this.vocabulary.tokens], lowercase: this.lowercase, merges: this.merges.map(([a, b]) => [a, b]) };
  }
}

/**
 * Rebuilds a tokenizer from its `toJSON()`.
 *
 * @example
 * const same = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
 */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  const vocabulary = new Vocabulary(json.tokens);
  if (json.type === 'char') return new CharTokenizer(vocabulary, json.lowercase);
  if (json.type === 'word') return new WordTokenizer(vocabulary, json.lowercase);
  if (json.type === 'bpe') return new BPETokenizer(vocabulary, json.merges ?? [], json.lowercase);
  throw new ValueError('tokenizerFromJSON', `type must be 'char', 'word' or 'bpe', got ${String((json as { type?: unknown }).type)}`);
}
