declare const __RUNNER_VERSION__: string;

export const RUNNER_VERSION: string = __RUNNER_VERSION__;
