import type { LoadablePlugin } from '@trading-orchestrator/core-manager';
import { defineRiskManager } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

/** The instance id of the host's halt rule among a session's risk plugins. */
export const HALT_RULE_ID = 'control-halt';

/**
 * Whether a session's new entries are halted (`ctl halt`). Exits, stops and anything else that only reduces a
 * position go on: a halted session can still get out.
 */
export class HaltSwitch {
  private reason: string | undefined;
  private denialCode = 'HALTED';

  get halted(): boolean {
    return this.reason !== undefined;
  }

  get why(): string | undefined {
    return this.reason;
  }

  /** The code denials carry: `HALTED` for a person's halt, `RECONCILING` while a live session checks the venue. */
  get code(): string | undefined {
    return this.reason === undefined ? undefined : this.denialCode;
  }

  halt(reason: string, code = 'HALTED'): void {
    this.reason = reason;
    this.denialCode = code;
  }

  resume(): void {
    this.reason = undefined;
    this.denialCode = 'HALTED';
  }

  /** The halt rule as a built-in risk plugin, asked first: every order that is not reduce-only is denied while halted. */
  plugin(): LoadablePlugin {
    const definition = defineRiskManager({
      configSchema: z.object({}),
      init: () => ({
        checkOrder: (intent) =>
          this.reason === undefined || intent.reduceOnly
            ? { action: 'allow' as const }
            : { action: 'deny' as const, code: this.denialCode, message: `new entries are halted (${this.reason}); exits go on${this.denialCode === 'HALTED' ? '. trading-orchestrator ctl resume lets them through again' : ''}` },
      }),
    });
    return { id: HALT_RULE_ID, kind: 'risk', version: 'built-in', packageName: '@trading-orchestrator/runner', packageDir: '.', manifest: undefined, definition };
  }
}
