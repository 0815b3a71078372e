import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError, loadCsv, parseCsv } from '../src/index.js';

const IRIS_LIKE = 'sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n\n6.3,6.0,virginica\n5.0,1.5,setosa\n';

describe('parseCsv', () => {
  it('reads numeric features and a category label with sorted class names', () => {
    const { x, y, featureNames, classNames } = parseCsv(IRIS_LIKE, { labelColumn: 'species' });
    expect(x.shape).toEqual([4, 2]);
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.dataSync())).toEqual([5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 5.0, 1.5].map(Math.fround));
    expect(featureNames).toEqual(['sepal', 'petal']);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(y?.dtype).toBe('int32');
    expect(y?.toArray()).toEqual([0, 1, 2, 0]);
  });

  it('gives int32 labels for whole numbers and float32 targets otherwise; works without a header', () => {
    expect(parseCsv('a,b\n1,0\n2,1\n', { labelColumn: 'b' }).y?.dtype).toBe('int32');
    const reg = parseCsv('1;0.5\r\n2;1.5\r\n', { header: false, delimiter: ';', labelColumn: 1 });
    expect(reg.y?.dtype).toBe('float32');
    expect(reg.y?.toArray()).toEqual([0.5, 1.5]);
    expect(reg.featureNames).toEqual(['column 0']);
  });

  it('codes category features, ignores columns and reads quoted fields', () => {
    const text = 'id,colour,size,"note, quoted"\n1,red,2,"say ""hi"""\n2,blue,3,x\n';
    const { x, featureNames, categories } = parseCsv(text, { columns: { id: 'ignore', colour: 'category', 'note, quoted': 'ignore' } });
    expect(featureNames).toEqual(['colour', 'size']);
    expect(categories).toEqual({ colour: ['blue', 'red'] });
    expect(x.toArray()).toEqual([[1, 2], [0, 3]]);
  });

  it('names the line (1-based, counting the header and blank lines) of a ragged row', () => {
    const ragged = 'a,b,c\n1,2,3\n\n4,5\n';
    expect(() => parseCsv(ragged)).toThrow('parseCsv: line 4 has 2 fields, expected 3 as in the header');
    const error = (() => {
      try {
        parseCsv(ragged);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as DataFormatError).line).toBe(4);
    expect(() => parseCsv('1,2\n3,4,5\n', { header: false })).toThrow(/line 2 has 3 fields, expected 2 as in line 1/);
  });

  it('names the line, column and value of a non-numeric field', () => {
    expect(() => parseCsv('a,b\n1,2\n3,oops\n')).toThrow("parseCsv: line 3, column 'b': 'oops' is not a number");
    expect(() => parseCsv('a,b\n1,\n')).toThrow(/line 2, column 'b': '' is not a number/);
    expect(() => parseCsv('a,b\n1,2\n', { labelColumn: 'c' })).toThrow(/labelColumn "c" is not a column; the columns are a, b/);
    expect(() => parseCsv('a,b\n')).toThrow(/no data rows/);
    expect(() => parseCsv('a,"b\n1,2\n')).toThrow(/line 1: a quoted field is not closed/);
  });
});

describe('loadCsv', () => {
  it('loads text directly and files by path, naming loadCsv in errors', async () => {
    expect((await loadCsv(IRIS_LIKE, { labelColumn: 2 })).x.shape).toEqual([4, 2]);
    const dir = await mkdtemp(join(tmpdir(), 'backprop-csv-'));
    try {
      const path = join(dir, 'data.csv');
      await writeFile(path, IRIS_LIKE);
      const { classNames } = await loadCsv(path, { labelColumn: 'species' });
      expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
      await writeFile(path, 'a,b\n1,2\n3\n');
      await expect(loadCsv(path)).rejects.toThrow('loadCsv: line 3 has 1 field, expected 2 as in the header');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
