import { describe, expect, it } from 'vitest';
import { downSpans, judge, type Stat } from './model.js';
import { renderHtml } from './render-html.js';
import type { InspectionReport } from './model.js';

const stat = (min: number, max: number): Stat => ({ min, max, mean: (min + max) / 2, first: min, last: max });
const band = { warn: { above: 27, below: 18 }, alarm: { above: 32, below: 15 } };

describe('inspection model', () => {
  it('judges a day’s extremes against the first and outermost limits, near within a fraction of the band', () => {
    expect(judge(band, stat(20, 26), 0.1).level).toBe('ok');
    expect(judge(band, stat(20, 26.2), 0.1)).toEqual({ level: 'near', closest: { limit: 27, value: 26.2, side: 'above' } });
    expect(judge(band, stat(18.5, 25), 0.1).level).toBe('near');
    expect(judge(band, stat(20, 28), 0.1).level).toBe('warn');
    expect(judge(band, stat(14, 25), 0.1)).toMatchObject({ level: 'alarm', closest: { limit: 15, side: 'below' } });
    // One-sided (UPS load > 80 %): near within 10 % of the limit itself.
    expect(judge({ warn: { above: 80 }, alarm: { above: 95 } }, stat(10, 73), 0.1).level).toBe('near');
    expect(judge({ warn: { above: 80 }, alarm: { above: 95 } }, stat(10, 71), 0.1).level).toBe('ok');
    expect(judge(band, undefined, 0.1).level).toBe('nodata');
  });

  it('joins failed polls no more than two intervals apart into one span, cut at the end of the day', () => {
    expect(downSpans([0, 10, 20, 100, 110], 10, 1000)).toEqual([{ from: 0, to: 30 }, { from: 100, to: 120 }]);
    expect(downSpans([995], 10, 1000)).toEqual([{ from: 995, to: 1000 }]);
  });

  it('escapes every configured name in the HTML', () => {
    const report: InspectionReport = {
      date: '2026-12-01', timezone: 'Asia/Shanghai', start: 0, end: 86_400_000, generatedAt: 0, nearThreshold: 0.1, alerts: [],
      rooms: [{ site: 's', siteName: '<script>x</script>', room: 'r', roomName: 'A&B', devices: [{ id: 'd', name: '"UPS"', category: 'ups', measured: [], states: [], down: [], silent: true }] }],
    };
    const html = renderHtml(report, 'en');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; / A&amp;B');
    expect(html).toContain('&quot;UPS&quot;');
  });
});
