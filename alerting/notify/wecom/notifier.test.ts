import { describeRetryDecisions } from '../../../test/helpers/answering-server.js';

describeRetryDecisions('WeCom notifier decides what is worth retrying', 'wecom', [
  ['/wecom-ok', { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }, undefined],
  ['/wecom-limited', { status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }, true],
  ['/wecom-badkey', { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }, false],
]);
