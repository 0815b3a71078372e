import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadModel } from '@backprop/io';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, jsonLines, resultOf, run, start, tempDir, writeConfig } from './helpers.js';

/**
 * Small but not trivial: Adam with a step schedule and early-stopping state, both carried by checkpoints,
 * and Dropout, whose masks come from the generator the weights were drawn from.
 */
const CONFIG = {
  data: { synthetic: 'spiral', n: 300, noise: 0.1, seed: 2 },
  model: [
    { type: 'Linear', inFeatures: 2, outFeatures: 16 },
    { type: 'Tanh' },
    { type: 'Dropout', p: 0.2 },
    { type: 'Linear', inFeatures: 16, outFeatures: 2 },
  ],
  optimizer: { name: 'Adam', lr: 0.01 },
  schedule: { name: 'StepLR', stepSize: 2, gamma: 0.5 },
  earlyStopping: { patience: 100 },
  batchSize: 16,
  epochs: 6,
};

async function weights(path: string): Promise<Record<string, number[]>> {
  const { model } = await loadModel(path);
  return Object.fromEntries([...model.stateDict()].map(([k, t]) => [k, Array.from(t.dataSync())]));
}

/** Resolves once the run has printed its first epoch line (or has ended, so that a crash fails the test at once). */
function firstEpoch(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"event":"epoch"')) resolve();
    });
    child.on('close', () => resolve());
  });
}

describe('checkpoints and --resume', () => {
  it('a run resumed from a checkpoint ends with exactly the weights of an uninterrupted run', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'spiral.json', CONFIG);
    const whole = await run(['train', config, '--save', 'whole.safetensors'], dir);
    expect(whole.code, whole.stderr).toBe(0);

    const first = await run(['train', config, '--epochs', '3', '--checkpoint', 'run.ckpt'], dir);
    expect(first.code, first.stderr).toBe(0);
    // The checkpoint carries the config, so --resume alone continues the run.
    const rest = await run(['train', '--resume', 'run.ckpt', '--epochs', '6', '--save', 'resumed.safetensors'], dir);
    expect(rest.stderr).toBe('');
    expect(rest.code, rest.stderr).toBe(0);
    expect(jsonLines(rest.stdout).filter((l) => l.event === 'epoch').map((l) => l.epoch)).toEqual([4, 5, 6]);

    expect(await weights(join(dir, 'resumed.safetensors'))).toEqual(await weights(join(dir, 'whole.safetensors')));
    expect(resultOf(rest.stdout).test).toEqual(resultOf(whole.stdout).test);
  });

  it('the shipped digits-mlp example (Dropout, AdamW, cosine schedule, early stopping) interrupted with Ctrl-C and resumed ends exactly as a run that was not', async () => {
    const dir = tempDir();
    const example = join(EXAMPLES, 'digits-mlp.json');
    // 15 of its 30 epochs (the cosine schedule anneals over them): long enough for Ctrl-C to land mid-run.
    const whole = await run(['train', example, '--epochs', '15', '--save', 'whole.safetensors', '--checkpoint', 'whole.ckpt'], dir);
    expect(whole.code, whole.stderr).toBe(0);

    const { child, done } = start(['train', example, '--epochs', '15', '--save', 'part.safetensors', '--checkpoint', 'run.ckpt'], dir);
    await firstEpoch(child);
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr.split('\n')[0]).toBe('stopping after the current step (Ctrl-C again to quit at once)');

    const resumed = await run(['train', '--resume', 'run.ckpt', '--save', 'resumed.safetensors'], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await weights(join(dir, 'resumed.safetensors'))).toEqual(await weights(join(dir, 'whole.safetensors')));
    expect(resultOf(resumed.stdout).test).toEqual(resultOf(whole.stdout).test);
  });

  it('Ctrl-C stops after the current step, keeps the last checkpoint intact and says how to resume', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'long.json', { epochs: 500, checkpoint: 'long.ckpt' });
    const { child, done } = start(['train', config], dir);
    await firstEpoch(child);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`continue with: backprop train ${config} --resume ${join(dir, 'long.ckpt')}`);
    const interrupted = jsonLines(r.stdout).find((l) => l.event === 'interrupted');
    expect(interrupted?.checkpointEpochs).toBeGreaterThanOrEqual(1);

    const resumed = await run(['train', '--resume', 'long.ckpt', '--epochs', String(interrupted!.checkpointEpochs + 1)], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonLines(resumed.stdout).filter((l) => l.event === 'epoch').map((l) => l.epoch)).toEqual([interrupted!.checkpointEpochs + 1]);
  });
});
