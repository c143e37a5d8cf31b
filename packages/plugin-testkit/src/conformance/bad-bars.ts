import type { Bar } from '@trading-orchestrator/plugin-api';

/** Broken variants of a bar, each with the word the rejection reason must contain. */
export function badVariants(bar: Bar): { name: string; bar: Bar; reasonMentions: string }[] {
  return [
    { name: 'NaN close', bar: { ...bar, close: Number.NaN }, reasonMentions: 'close' },
    { name: 'negative open', bar: { ...bar, open: -bar.open }, reasonMentions: 'open' },
    { name: 'zero low', bar: { ...bar, low: 0 }, reasonMentions: 'low' },
    { name: 'high below low', bar: { ...bar, high: bar.low * 0.9, low: bar.high }, reasonMentions: 'high' },
    { name: 'infinite high', bar: { ...bar, high: Number.POSITIVE_INFINITY }, reasonMentions: 'high' },
  ];
}
