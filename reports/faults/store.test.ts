import { describe, expect, it } from 'vitest';
import { disjointRanges } from './store.js';

describe('disjointRanges', () => {
  it('joins a period with the one before it and a year with its 同比 (the same year)', () => {
    const year2026 = { fromMs: 2000, toMs: 3000 };
    const year2025 = { fromMs: 1000, toMs: 2000 };
    expect(disjointRanges([year2026, year2025, year2025])).toEqual([{ fromMs: 1000, toMs: 3000 }]);
  });

  it('keeps a month and its year-ago month apart, so the months between are not read', () => {
    const june2026 = { fromMs: 500, toMs: 600 };
    const may2026 = { fromMs: 400, toMs: 500 };
    const june2025 = { fromMs: 100, toMs: 130 };
    expect(disjointRanges([june2026, may2026, june2025])).toEqual([{ fromMs: 100, toMs: 130 }, { fromMs: 400, toMs: 600 }]);
  });

  it('merges overlapping spans of longer periods and leaves the callers’ spans untouched', () => {
    const spans = [{ fromMs: 300, toMs: 900 }, { fromMs: 0, toMs: 300 }, { fromMs: 100, toMs: 400 }];
    expect(disjointRanges(spans)).toEqual([{ fromMs: 0, toMs: 900 }]);
    expect(spans[1]).toEqual({ fromMs: 0, toMs: 300 });
  });
});
