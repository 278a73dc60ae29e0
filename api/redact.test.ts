import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('hides a URL password and every query value, keeping scheme, user, host, path and parameter names', () => {
    expect(redactUrl('https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1')).toBe('https://oapi.dingtalk.com/robot/send?access_token=<secret>&timestamp=<secret>');
    expect(redactUrl('http://roomwatch:pw-9@influx.example:8086/')).toBe('http://roomwatch:<secret>@influx.example:8086/');
    expect(redactUrl('http://u:p@h/x?key=a&key=b')).toBe('http://u:<secret>@h/x?key=<secret>');
  });

  it('leaves text that is no URL, and URLs without credentials, as they were', () => {
    for (const text of ['http://127.0.0.1:8086', 'https://noc.example.com/hook', '一楼机房', 'a:b@c', 'ftp//x?y=1', '']) expect(redactUrl(text)).toBe(text);
  });
});
