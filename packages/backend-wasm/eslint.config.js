import config from '@backprop/eslint-config';

// assembly/ is AssemblyScript (top-level decorators, v128 and f32 types): asc checks it, not the TS parser.
export default [...config, { ignores: ['assembly/**', 'build/**'] }];
