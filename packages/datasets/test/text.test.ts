import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BPETokenizer, CharTokenizer, DataLoader, SequenceWindows, Vocabulary, WordTokenizer, padSequences, readTextFolder, tokenizerFromJSON,
} from '../src/index.js';

const corpus = ['low lower lowest', 'new newer newest', 'wide wider widest', 'low new wide'];

describe('tokenizers', () => {
  it('CharTokenizer ranks characters by frequency, pads with 0 and maps unknowns to 1', () => {
    const tok = CharTokenizer.fit(['aab', 'ac']);
    expect(tok.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'a', 'b', 'c']);
    expect(tok.encode('abz')).toEqual([2, 3, 1]);
    expect(tok.decode([2, 4, 0, 0])).toBe('ac');
    expect(CharTokenizer.fit(['😀a😀']).encode('😀')).toEqual([2]);
  });

  it('WordTokenizer splits words and punctuation, lower-cases, and honours minFrequency and maxSize', () => {
    const tok = WordTokenizer.fit(['The cat sat.', 'the dog sat!', 'the end'], { minFrequency: 2 });
    expect(tok.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'the', 'sat']);
    expect(tok.encode('THE bird sat.')).toEqual([2, 1, 3, 1]);
    expect(tok.decode(tok.encode('the sat'))).toBe('the sat');
    expect(WordTokenizer.fit(corpus, { maxSize: 4 }).vocabSize).toBe(4);
    expect(() => WordTokenizer.fit(corpus, { maxsize: 4 } as never)).toThrow(/unknown option "maxsize"; did you mean "maxSize"/);
  });

  it('BPETokenizer learns the frequent merges first and round-trips text, splitting unseen words into pieces', () => {
    const bpe = BPETokenizer.fit(corpus, { vocabSize: 40 });
    expect(bpe.vocabSize).toBeLessThanOrEqual(40);
    // Five pairs occur 4 times (i d, l o, n e, w e, w i); the tie goes to the first in code-point order.
    expect(bpe.merges[0]).toEqual(['i', 'd']);
    expect(bpe.merges.length).toBeGreaterThan(5);
    expect(bpe.decode(bpe.encode('lowest newer'))).toBe('lowest newer');
    expect(bpe.encode('low')).toHaveLength(1);
    const unseen = bpe.encode('lowidest');
    expect(unseen.length).toBeGreaterThan(1);
    expect(unseen).not.toContain(1);
    expect(bpe.decode(unseen)).toBe('lowidest');
    // Deterministic: the same corpus gives the same merges, and JSON restores the same encoder.
    expect(BPETokenizer.fit(corpus, { vocabSize: 40 }).merges).toEqual(bpe.merges);
    const restored = tokenizerFromJSON(JSON.parse(JSON.stringify(bpe.toJSON())));
    expect(restored.encode('lowest wider newest')).toEqual(bpe.encode('lowest wider newest'));
    expect(() => BPETokenizer.fit(corpus, { vocabSize: 3 })).toThrow(/vocabSize must be an integer of at least/);
  });

  it('Vocabulary keeps <pad> = 0 and <unk> = 1', () => {
    expect(() => new Vocabulary(['a', 'b'])).toThrow(/must start with <pad> and <unk>/);
    expect(new Vocabulary(['<pad>', '<unk>', 'x']).id('y')).toBe(1);
  });
});

describe('sequences', () => {
  it('padSequences pads and truncates at either end and returns the kept lengths', () => {
    const { ids, lengths } = padSequences([[5, 6, 7], [8]]);
    expect(ids.toArray()).toEqual([[5, 6, 7], [8, 0, 0]]);
    expect(lengths.toArray()).toEqual([3, 1]);
    expect(padSequences([[1, 2, 3, 4], [9]], { maxLength: 3, padding: 'pre', truncating: 'pre', value: -1 }).ids.toArray()).toEqual([[2, 3, 4], [-1, -1, 9]]);
    expect(() => padSequences([[1]], { padding: 'middle' as never })).toThrow(/padding must be 'pre' or 'post'/);
  });

  it('SequenceWindows gives next-token windows that batch in a DataLoader', () => {
    const ds = new SequenceWindows([0, 1, 2, 3, 4, 5, 6], 3, 2);
    expect(ds.length).toBe(2);
    const [x, y] = ds.get(1);
    expect([x.toArray(), y.toArray()]).toEqual([[2, 3, 4], [3, 4, 5]]);
    const [[xb, yb]] = [...new DataLoader(ds, { batchSize: 2 })];
    expect(xb.shape).toEqual([2, 3]);
    expect(yb.dtype).toBe('int32');
    expect(() => new SequenceWindows([1, 2], 2)).toThrow(/needs at least 3 ids/);
  });

  it('readTextFolder labels files by folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bp-text-'));
    try {
      await mkdir(join(root, 'pos'));
      await mkdir(join(root, 'neg'));
      await writeFile(join(root, 'pos', '1.txt'), 'great film');
      await writeFile(join(root, 'neg', '2.txt'), 'dull');
      await writeFile(join(root, 'neg', '1.txt'), 'awful');
      const { texts, labels, classes } = await readTextFolder(root);
      expect(classes).toEqual(['neg', 'pos']);
      expect(texts).toEqual(['awful', 'dull', 'great film']);
      expect(labels).toEqual([0, 0, 1]);
      await expect(readTextFolder(root, { classes: ['neutral'] })).rejects.toThrow(/class folder 'neutral' is not in/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
