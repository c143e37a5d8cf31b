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
}
