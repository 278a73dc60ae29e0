import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { CONSOLE_PAGES, consoleDirs } from './console.js';

// The compiled modules come from `npm run build` (pretest), as the daemon serves them.
const app = () =>
  buildApp({
    alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'no' }) },
    silences: { list: () => [], add: () => { throw new Error('no'); }, expire: () => false },
    health: () => ({}),
    console: consoleDirs(),
  });

describe('the console\'s pages and assets', () => {
  it('answers every page with the same shell, which may load only its own scripts and cannot be framed', async () => {
    const api = app();
    for (const path of CONSOLE_PAGES) {
      const url = path.replace(/:[a-z]+/g, 'x1');
      const response = await api.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<script type="module" src="/assets/main.js"></script>');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the built modules and the stylesheet, and nothing else from disk', async () => {
    const api = app();
    const script = await api.inject({ method: 'GET', url: '/assets/main.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toContain("from './page-overview.js'");
    expect((await api.inject({ method: 'GET', url: '/assets/console.css' })).headers['content-type']).toMatch(/^text\/css/);
    for (const url of ['/assets/..%2F..%2Fpackage.json', '/assets/main.ts', '/assets/index.html', '/assets/.env', '/assets/%2e%2e%2fconsole.css']) {
      const response = await api.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
