export { default } from '@backprop/vitest-config';
