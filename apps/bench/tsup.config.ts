import { defineConfig } from 'tsup';

// Peers stay external (skipNodeModulesBundle) so each child process loads only the library it measures.
export default defineConfig({ entry: ['src/main.ts', 'src/child.ts'], format: ['esm'], clean: true, target: 'node20', skipNodeModulesBundle: true });
