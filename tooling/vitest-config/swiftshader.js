// Tests that run WebGPU without a GPU: Dawn (the `webgpu` package) finds Debian chromium's SwiftShader, a
// Vulkan driver on the CPU. The Vulkan loader reads LD_LIBRARY_PATH only when a process starts, so a
// package's vitest.config.ts calls this, in the process that spawns the test forks (and whatever processes
// they spawn), which inherit it. A machine with its own Vulkan driver set in VK_ICD_FILENAMES keeps it;
// CHROMIUM_LIB points at another chromium library folder.
import { existsSync } from 'node:fs';

/** Points the Vulkan loader at SwiftShader where VK_ICD_FILENAMES is unset and chromium's driver exists. */
export function useSwiftShader() {
  const lib = process.env.CHROMIUM_LIB ?? '/usr/lib/chromium';
  const icd = `${lib}/vk_swiftshader_icd.json`;
  if (process.env.VK_ICD_FILENAMES || !existsSync(icd)) return;
  process.env.VK_ICD_FILENAMES = icd;
  process.env.LD_LIBRARY_PATH = [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}
