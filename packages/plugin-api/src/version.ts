declare const __PLUGIN_API_VERSION__: string;

/** The version of this package, injected at build time. Plugins declare the range they need in their manifest. */
export const PLUGIN_API_VERSION: string = __PLUGIN_API_VERSION__;
