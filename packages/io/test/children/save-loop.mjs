// Child process for the kill-mid-save test: saves ever-changing weights to one path in a loop until killed.
// Each version fills the tensor with one value, so a reader can tell a whole file from a torn one.
import { ones } from '@backprop/tensor';
import { encodeSafetensors, writeFileAtomic } from '../../dist/index.js';

const path = process.argv[2];
const size = Number(process.argv[3] ?? 500000);
for (let version = 1; ; version++) {
  const w = ones([size]).mul(version);
  await writeFileAtomic(path, encodeSafetensors({ w }, { version: String(version) }));
  process.stdout.write(`${version}\n`);
}
