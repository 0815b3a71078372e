import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeError, writeFailure } from '../src/output/destination.js';
import { formatEta, progressLine } from '../src/train/progress.js';
import { interruptOnSigint } from '../src/train/interrupt.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('write failures in one sentence', () => {
  it('names a full disk, a read-only place and a missing folder, also inside @backprop/io errors', () => {
    expect(writeFailure(errno('ENOSPC'))).toBe('the disk is full');
    expect(writeFailure(errno('EROFS'))).toBe('the file system is read-only');
    expect(writeFailure(errno('EACCES'))).toBe('permission denied');
    expect(writeFailure(errno('ENOENT'))).toBe('its folder does not exist');
    // io's ModelFileError carries Node's code in its message only.
    expect(writeFailure(new Error("/x/m.safetensors: could not write the file: ENOSPC: no space left on device, write"))).toBe('the disk is full');
    const e = writeError('--save', '/x/m.safetensors', errno('ENOSPC'));
    expect(e.message).toBe('--save: cannot write /x/m.safetensors: the disk is full');
    expect(e.exitCode).toBe(2);
  });
});

describe('the progress bar', () => {
  it('fits every terminal width: the bar shrinks first, then the line is cut', () => {
    const tail = '37/45 | loss 0.1234 | accuracy 97.12% | valLoss 0.2000 | ETA 3s';
    for (let width = 10; width <= 200; width++) {
      const line = progressLine(width, 'epoch 12/30', 0.4, tail);
      expect(line.length, `width ${width}`).toBeLessThan(width);
    }
    expect(progressLine(200, 'epoch 1/2', 0.5, '2/4')).toBe(`epoch 1/2 ${'█'.repeat(12)}${'░'.repeat(12)} 2/4`);
    expect(progressLine(20, 'epoch 1/2', 1, '4/4')).toBe('epoch 1/2 █████ 4/4');
    expect(progressLine(40, 'epoch 1/2', 0, tail)).toBe(`epoch 1/2 ${tail}`.slice(0, 39));
  });

  it('writes the ETA compactly', () => {
    expect([formatEta(NaN), formatEta(4.4), formatEta(185), formatEta(4800)]).toEqual(['-', '4s', '3m05s', '1h20m']);
  });
});

describe('Ctrl-C', () => {
  afterEach(() => vi.restoreAllMocks());

  it('ends the progress line before its message, so that the message starts on a line of its own', () => {
    const order: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => void order.push(String(chunk)) as never);
    const interrupt = interruptOnSigint();
    interrupt.onInterrupt(() => order.push('<end of bar line>'));
    process.emit('SIGINT');
    interrupt.dispose();
    expect(order).toEqual(['<end of bar line>', 'stopping after the current step (Ctrl-C again to quit at once)\n']);
    expect(interrupt.signal.aborted).toBe(true);
  });
});
