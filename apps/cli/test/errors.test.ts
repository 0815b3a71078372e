import { describe, expect, it } from 'vitest';
import { errorLine, run, tempDir, writeConfig } from './helpers.js';

/** Runs `train` on a config and returns its exit code and the first line of stderr. */
async function trainWith(config: unknown, extra: string[] = []) {
  const dir = tempDir();
  const r = await run(['train', writeConfig(dir, 'config.json', config), ...extra], dir);
  return { ...r, message: r.stderr.trim().split('\n')[0] };
}

describe('errors: exit code 2 for usage and config, 1 for failures while running', () => {
  it('names the JSON path and what was expected for a mistyped field', async () => {
    const r = await trainWith({ optimizer: { name: 'Adam', lr: 'fast' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.message).toBe('backprop: $.optimizer.lr: expected a number, got "fast"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names unknown fields, bad enum values and unknown optimizer options', async () => {
    expect((await trainWith({ epoch: 3 })).message).toBe('backprop: $: unknown field "epoch"');
    expect((await trainWith({ optimizer: { name: 'Adamm' } })).message).toMatch(/^backprop: \$\.optimizer\.name: expected one of "Adam", .*got "Adamm"$/);
    expect((await trainWith({ optimizer: { name: 'SGD', lr: 0.1, weightdecay: 1 } })).message).toBe(
      'backprop: $.optimizer.weightdecay: SGD: unknown option "weightdecay"; did you mean "weightDecay"? (valid options: lr, momentum, dampening, weightDecay, nesterov, maximize)',
    );
    expect((await trainWith({ schedule: { name: 'StepLR', stepSize: 2, step_size: 3 } })).message).toMatch(/^backprop: \$\.schedule\.step_size: StepLR: unknown option "step_size"; did you mean "stepSize"\?/);
    expect((await trainWith({ data: { synthetic: 'moons', n: -5 } })).message).toBe('backprop: $.data.n: expected a number > 0, got -5');
  });

  it('maps layer errors to the layer they come from', async () => {
    const r = await trainWith({
      model: { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 64, outFeatures: 8 }, { type: 'ReLU' }, { type: 'Linear', inFeatures: 8, outFeatures: 'ten' }] },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.message).toMatch(/^backprop: \$\.model\.layers\[2\]: Linear: outFeatures must be an integer/);
  });

  it('says both sizes when the model does not fit the data', async () => {
    const r = await trainWith({ model: [{ type: 'Linear', inFeatures: 4, outFeatures: 10 }] });
    expect(r.code, r.stderr).toBe(2);
    expect(r.message).toContain('takes 4 input features but the data has 64 features per sample');
    const classes = await trainWith({ model: [{ type: 'Linear', inFeatures: 64, outFeatures: 3 }] });
    expect(classes.code, classes.stderr).toBe(2);
    expect(classes.message).toContain('the data has 10 classes');
  });

  it('reports missing files in one sentence', async () => {
    const dir = tempDir();
    const noConfig = await run(['train', 'nope.json'], dir);
    expect(noConfig.code, noConfig.stderr).toBe(2);
    expect(errorLine(noConfig.stderr)).toBe('backprop: config file nope.json does not exist');
    const noCsv = await trainWith({ data: { csv: 'missing.csv', labelColumn: 'y' } });
    expect(noCsv.code, noCsv.stderr).toBe(2);
    expect(noCsv.message).toMatch(/^backprop: \$\.data\.csv: file .*missing\.csv does not exist$/);
    const noModel = await run(['eval', 'model.safetensors'], dir);
    expect(noModel.code, noModel.stderr).toBe(2);
    expect(errorLine(noModel.stderr)).toBe('backprop: model file model.safetensors does not exist');
  });

  it('stops on a non-finite loss with exit code 1, and shows the stack only with --verbose', async () => {
    const config = { optimizer: { name: 'SGD', lr: 1e30 }, epochs: 2 };
    const r = await trainWith(config);
    expect(r.code, r.stderr).toBe(1);
    expect(r.message).toMatch(/^backprop: training failed: the loss became (NaN|Infinity) at epoch \d+, step \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const verbose = await trainWith(config, ['--verbose']);
    expect(verbose.code, verbose.stderr).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('rejects bad flags and unknown commands with exit code 2', async () => {
    const dir = tempDir();
    const badFlag = await run(['train', '--epochs', 'many'], dir);
    expect(badFlag.code, badFlag.stderr).toBe(2);
    expect(badFlag.stderr).toContain("expected a positive integer, got 'many'");
    expect((await run(['fly'], dir)).code).toBe(2);
    expect((await run(['predict', 'm.safetensors'], dir)).code).toBe(2); // --input is required
  });
});
