import { describeRetryDecisions } from '../../../test/helpers/answering-server.js';

describeRetryDecisions('webhook notifier decides what is worth retrying', 'webhook', [
  ['/ok', { status: 200, body: '' }, undefined],
  ['/busy', { status: 503, body: '' }, true],
  ['/limited', { status: 429, body: '' }, true],
  ['/bad', { status: 400, body: 'bad payload' }, false],
]);
