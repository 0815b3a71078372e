// Without a GPU, Dawn (the `webgpu` package) finds Debian chromium's SwiftShader, a Vulkan driver on the
// CPU. The loader reads LD_LIBRARY_PATH only when a process starts, so it is set here, in the process that
// spawns the test forks, which inherit it. A machine with its own Vulkan driver set in VK_ICD_FILENAMES
// keeps it.
import { existsSync } from 'node:fs';
import shared from '@backprop/vitest-config';
import { defineConfig, mergeConfig } from 'vitest/config';

const CHROMIUM_LIB = process.env.CHROMIUM_LIB ?? '/usr/lib/chromium';
const ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD)) {
  process.env.VK_ICD_FILENAMES = ICD;
  process.env.LD_LIBRARY_PATH = [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

export default mergeConfig(shared, defineConfig({ test: { name: 'backend-webgpu' } }));
