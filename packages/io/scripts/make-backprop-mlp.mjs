// Writes test/fixtures/backprop_mlp.safetensors: the weights of a seeded backprop MLP with the
// same architecture as gen_interchange.py's torch model. Run it (after building) before that generator,
// which loads this file into PyTorch and records torch's outputs for it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@backprop/tensor';
import { Linear, Sequential, Tanh } from '@backprop/layers';
import { saveWeights } from '@backprop/io';

export function seededMlp() {
  const generator = new Generator(11);
  return new Sequential(new Linear(4, 8, { generator }), new Tanh(), new Linear(8, 3, { generator }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(fileURLToPath(new URL('.', import.meta.url)), '../test/fixtures/backprop_mlp.safetensors');
  await saveWeights(seededMlp(), out);
  console.log(`wrote ${out}`);
}
