import { PluginError, type PluginErrorDetails } from './plugin-error.js';

type Details = Omit<PluginErrorDetails, 'hint'> & { readonly hint?: string };

/** A package's `trading-orchestrator.plugin` field is missing required fields or has wrong values. */
export class ManifestInvalidError extends PluginError {
  constructor(message: string, details: Details) {
    super('MANIFEST_INVALID', message, {
      hint: 'correct the listed fields of "trading-orchestrator.plugin" in the package.json, then reinstall the package',
      ...details,
    });
  }
}

/** The plugin's `api` range does not include the host's plugin-API version. */
export class IncompatibleApiError extends PluginError {
  readonly wanted: string;
  readonly hostVersion: string;

  constructor(message: string, details: Details & { readonly wanted: string; readonly hostVersion: string; readonly hint: string }) {
    super('API_INCOMPATIBLE', message, details);
    this.wanted = details.wanted;
    this.hostVersion = details.hostVersion;
  }
}

/** A user's config for a plugin does not satisfy the plugin's config schema. */
export class ConfigInvalidError extends PluginError {
  constructor(message: string, details: Details) {
    super('CONFIG_INVALID', message, {
      hint: 'change the listed config fields; `trading-orchestrator plugins info <id>` shows the schema and defaults',
      ...details,
    });
  }
}

/** The plugin's entry could not be imported or does not export a plugin definition. */
export class LoadFailedError extends PluginError {
  constructor(message: string, details: Details) {
    super('LOAD_FAILED', message, {
      hint: 'reinstall the package; if you are its author, build it and check "entry" points at the built file',
      ...details,
    });
  }
}

/** A hook threw, rejected or returned a value that breaks the contract. */
export class HookFailedError extends PluginError {
  readonly hook: string;

  constructor(message: string, details: Details & { readonly hook: string }) {
    super('HOOK_FAILED', message, {
      hint: 'this is a bug in the plugin: report it to its author with the message above',
      ...details,
    });
    this.hook = details.hook;
  }
}

/** A hook did not settle within its time limit. */
export class HookTimedOutError extends PluginError {
  readonly hook: string;
  readonly timeoutMs: number;

  constructor(message: string, details: Details & { readonly hook: string; readonly timeoutMs: number }) {
    super('HOOK_TIMED_OUT', message, {
      hint: `raise the time limit for "${details.hook}" (timeLimits.${details.hook}.hardMs in the plugin's entry of the run config), or report the hang to the plugin's author`,
      ...details,
    });
    this.hook = details.hook;
    this.timeoutMs = details.timeoutMs;
  }
}

/** A lifecycle operation was asked of a plugin in a state that does not allow it (e.g. start while unloaded). */
export class IllegalTransitionError extends PluginError {
  readonly from: string;
  readonly to: string;

  constructor(message: string, details: Details & { readonly from: string; readonly to: string }) {
    super('ILLEGAL_TRANSITION', message, {
      hint: 'check the plugin\'s state (plugins status) before asking for this operation',
      ...details,
    });
    this.from = details.from;
    this.to = details.to;
  }
}

/** A plugin could not start because a plugin it depends on is missing or failed. */
export class DependencyFailedError extends PluginError {
  readonly dependency: string;

  constructor(message: string, details: Details & { readonly dependency: string; readonly hint: string }) {
    super('DEPENDENCY_FAILED', message, details);
    this.dependency = details.dependency;
  }
}

/** A data source cannot serve a request: unknown symbol, unsupported timeframe, no data in range. */
export class DataUnavailableError extends PluginError {
  constructor(message: string, details: Details & { readonly hint: string }) {
    super('DATA_UNAVAILABLE', message, details);
  }
}
