import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('blanks every setting whose name says it is secret, at any depth, and a notifier\'s URL, and leaves the rest as it was', () => {
    const config = {
      mode: 'live',
      symbols: ['BTC/USDT'],
      broker: { plugin: 'broker-ccxt', config: { apiKey: 'AKIA123', secret: 's3cr3t', sandbox: false, urls: { rest: 'http://127.0.0.1:9000' } } },
      notifiers: [{ plugin: 'notifier-webhook', config: { url: 'https://hooks.slack.com/services/T/B/X', webhookUrl: 'https://x', format: 'slack' } }],
      data: [{ plugin: 'data-binance', config: { apiKey: 'AKIA123', secret: 's3cr3t', rateLimitMs: 0 } }],
      capital: 10_000,
    };
    expect(redactSecrets(config)).toEqual({
      ...config,
      broker: { plugin: 'broker-ccxt', config: { apiKey: '[redacted]', secret: '[redacted]', sandbox: false, urls: { rest: 'http://127.0.0.1:9000' } } },
      notifiers: [{ plugin: 'notifier-webhook', config: { url: '[redacted]', webhookUrl: '[redacted]', format: 'slack' } }],
      data: [{ plugin: 'data-binance', config: { apiKey: '[redacted]', secret: '[redacted]', rateLimitMs: 0 } }],
    });
  });
});
