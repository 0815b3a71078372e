import { existsSync } from 'node:fs';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '@backprop/vitest-config';

// test/trainer-webgpu.test.ts trains through Dawn on Debian chromium's SwiftShader where there is no GPU:
// the Vulkan loader reads LD_LIBRARY_PATH only when a process starts, so it is set here, before the test
// processes start (a machine with its own Vulkan driver in VK_ICD_FILENAMES keeps it).
const CHROMIUM_LIB = process.env.CHROMIUM_LIB ?? '/usr/lib/chromium';
const ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD)) {
  process.env.VK_ICD_FILENAMES = ICD;
  process.env.LD_LIBRARY_PATH = [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

// The browser tests build the site and start chromium once per file: their hooks need longer than the
// default 10 s, and the unit tests and the browser tests run one file at a time so that training in the
// browser has both cores to itself.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
);
