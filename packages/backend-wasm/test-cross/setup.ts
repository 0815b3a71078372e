// Runs before every test file of the cross run: load the kernels and make wasm the active backend.
import { useWasmBackend } from '../src/index.js';

await useWasmBackend();
