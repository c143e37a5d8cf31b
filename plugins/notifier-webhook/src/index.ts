export { webhookBody, webhookNotifier } from './webhook-notifier.js';
export { webhookNotifier as default } from './webhook-notifier.js';
