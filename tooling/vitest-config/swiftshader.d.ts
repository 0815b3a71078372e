/** Points the Vulkan loader at Debian chromium's SwiftShader where VK_ICD_FILENAMES is unset and the driver exists. */
export declare function useSwiftShader(): void;
