/** What differs between the kinds of plugin: the example implementation and its test. */
export interface KindTemplate {
  /** src/index.ts */
  readonly source: string;
  /** test/conformance.test.ts */
  readonly test: string;
  /** Lines for the README's "Configuration" section. */
  readonly configDoc: string;
  /** Extra `trading-orchestrator.plugin` fields (capabilities). */
  readonly manifestExtras?: Record<string, unknown>;
  /**
   * For a package unlike the others (a panel is a browser script, not a Node module): its manifest `entry`, its
   * package.json `exports`, whether it needs zod and the test kit, and files that replace or add to the usual ones.
   */
  readonly layout?: {
    readonly entry: string;
    readonly exports: Record<string, unknown>;
    readonly zod: boolean;
    readonly testkit: boolean;
    readonly files: Record<string, string>;
    /** Where its test goes (instead of test/conformance.test.ts). */
    readonly testFile: string;
  };
}
