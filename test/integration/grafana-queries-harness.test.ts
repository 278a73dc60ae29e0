import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestInfluxd } from '../../mocks/influxd.js';
import { checkDashboard, type Dashboard, type InfluxAnswer } from '../helpers/grafana-queries.js';

// The harness behind dashboard-queries.test.ts, against a real influxd with a few seeded points
// and a hand-written dashboard: what draws passes, and each way of showing "No data" is caught
// (an unknown field, an empty variable, an InfluxDB error, a variable left unexpanded, an
// expression dividing by nothing).
const influxd = new TestInfluxd();
const DB = 'harness';
const NOW = Date.now();

async function ask(q: string): Promise<InfluxAnswer> {
  const response = await fetch(`${influxd.url}/query?db=${DB}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as { error?: string; results?: Array<{ error?: string; series?: InfluxAnswer['series'] }> };
  return { error: body.error ?? body.results?.[0]?.error, series: body.results?.[0]?.series ?? [] };
}

beforeAll(async () => {
  await influxd.start();
  await fetch(`${influxd.url}/query?q=${encodeURIComponent(`CREATE DATABASE ${DB}`)}`, { method: 'POST' });
  const lines: string[] = [];
  for (let i = 0; i < 10; i++) {
    const t = (NOW - i * 30_000) * 1e6;
    lines.push(`power,room_name=A.1,role=in p=${150 + i} ${t}`, `power,room_name=A.1,role=it p=${100 + i} ${t}`, `power,room_name=B(2),role=in p=${90 + i} ${t}`);
  }
  const response = await fetch(`${influxd.url}/write?db=${DB}`, { method: 'POST', body: lines.join('\n') });
  expect(response.status).toBe(204);
});

afterAll(() => influxd.destroy());

const ds = { type: 'influxdb', uid: 'influx' };
const variable = { name: 'room', type: 'query', datasource: ds, refresh: 2, multi: true, includeAll: true, query: 'SHOW TAG VALUES FROM "power" WITH KEY = "room_name"' };
const target = (refId: string, query: string, extra: Record<string, unknown> = {}) => ({ refId, datasource: ds, rawQuery: true, resultFormat: 'time_series', query, ...extra });
const perRoom = `SELECT mean("p") FROM "power" WHERE $timeFilter AND "room_name" =~ /^$room$/ AND "role" = 'ROLE' GROUP BY time($__interval) fill(none)`;

function board(panels: unknown[], variables: unknown[] = [variable]): Dashboard {
  return { title: 'harness', timezone: 'utc', templating: { list: variables as never }, panels: panels as never };
}

const check = (dashboard: Dashboard) => checkDashboard(dashboard, { run: ask, now: NOW, ranges: [{ from: 'now-15m', to: 'now' }], influxUid: 'influx', browserTimezone: 'UTC', minInterval: '10s' });

describe('the dashboard query harness', () => {
  it('passes panels that draw for every room, All included, with names needing regex escapes', async () => {
    const result = await check(board([{ type: 'timeseries', title: 'Power $room', repeat: 'room', targets: [target('A', perRoom.replace('ROLE', 'in'))] }]));
    expect(result.failures).toEqual([]);
    // Two rooms alone, All (repeated per room): four views, and the escaped names reached influxd.
    expect(result.views).toBe(4);
    expect(result.queries).toBeGreaterThanOrEqual(3);
  });

  it('fails a panel on a field nobody writes, naming dashboard, panel and the expanded query', async () => {
    const result = await check(board([{ type: 'stat', title: 'Nothing', targets: [target('A', `SELECT last("nope") FROM "power" WHERE $timeFilter AND "room_name" =~ /^$room$/`)] }]));
    expect(result.failures).toHaveLength(3);
    expect(result.failures[0]).toMatch(/^harness \/ Nothing \[room=A\.1\] now-15m\.\.now \$__interval=10s: A: no data/);
    expect(result.failures[0]).toContain(`"room_name" =~ /^A\\.1$/`);
    expect(result.failures[1]).toContain(`"room_name" =~ /^B\\(2\\)$/`);
  });

  it('fails an empty variable, an InfluxDB error and a variable left unexpanded', async () => {
    const empty = { ...variable, name: 'site', query: 'SHOW TAG VALUES FROM "power" WITH KEY = "site_name"' };
    expect((await check(board([{ type: 'stat', title: 'x', targets: [target('A', 'SELECT 1')] }], [empty]))).failures).toEqual([
      expect.stringMatching(/\$site is empty/),
    ]);
    const broken = await check(board([{ type: 'stat', title: 'Broken', targets: [target('A', 'SELEC p FROM power WHERE $timeFilter AND $room_id = 1')] }]));
    expect(broken.failures.join('\n')).toMatch(/not substituted: \$room_id/);
    expect(broken.failures.join('\n')).toMatch(/InfluxDB error: error parsing query/);
  });

  it('evaluates expressions on the hidden queries feeding them', async () => {
    const pue = (itRole: string) =>
      board([
        {
          type: 'stat',
          title: 'PUE',
          targets: [
            target('A', perRoom.replace('ROLE', 'in'), { hide: true }),
            target('B', perRoom.replace('ROLE', itRole), { hide: true }),
            { refId: 'PUE', datasource: { type: '__expr__', uid: '__expr__' }, type: 'math', expression: '$A / $B' },
          ],
        },
      ]);
    const good = await check(pue('it'));
    // Room B(2) has no IT-load meter: its B returns nothing, so its PUE draws nothing.
    expect(good.failures.filter((f) => f.includes('[room=A.1]'))).toEqual([]);
    expect(good.failures.filter((f) => f.includes('[room=B(2)]'))).toEqual([expect.stringMatching(/B: no data/), expect.stringMatching(/PUE: expression "\$A \/ \$B" gives no finite value/)]);
  });
});
