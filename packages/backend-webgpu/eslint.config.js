import config from '@backprop/eslint-config';

export default config;
