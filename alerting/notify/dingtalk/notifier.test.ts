import { describeRetryDecisions } from '../../../test/helpers/answering-server.js';

describeRetryDecisions('DingTalk notifier decides what is worth retrying', 'dingtalk', [
  ['/ding-ok', { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }, undefined],
  ['/ding-fast', { status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' }, true],
  ['/ding-sign', { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }, false],
]);
