import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from './journal.js';

describe('Journal', () => {
  it('replays what was appended and ignores a torn last line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'journal-')), 'j.ndjson');
    const journal = new Journal<{ n: number }>(file);
    journal.open();
    journal.append({ n: 1 }, { n: 2 });
    journal.close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"n":3`);
    expect(new Journal<{ n: number }>(file).open()).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('rotates: history moves whole into the archive, the new journal holds only the live records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const file = join(dir, 'j.ndjson');
    const journal = new Journal<{ n: number }>(file);
    journal.open();
    journal.append({ n: 1 }, { n: 2 }, { n: 3 });
    journal.rotate([{ n: 3 }], join(dir, 'history', 'old.ndjson'));
    journal.append({ n: 4 });
    journal.close();
    expect(new Journal<{ n: number }>(file).open()).toEqual([{ n: 3 }, { n: 4 }]);
    expect(readFileSync(join(dir, 'history', 'old.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('recovers a rotation interrupted between its two renames', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const file = join(dir, 'j.ndjson');
    writeFileSync(`${file}.next`, '{"n":9}\n');
    writeFileSync(join(dir, 'archived.ndjson'), '{"n":1}\n');
    expect(existsSync(file)).toBe(false);
    expect(new Journal<{ n: number }>(file).open()).toEqual([{ n: 9 }]);
    expect(readdirSync(dir).sort()).toEqual(['archived.ndjson', 'j.ndjson']);
  });
});
