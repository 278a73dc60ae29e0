import { describe, expect, it } from 'vitest';
import { measurementsOf, tagFilters } from './explain.js';

const GENERATED =
  `SELECT last("output_status") FROM (SELECT "output_status" FROM "raw"."ups" WHERE time >= now() - 30d GROUP BY *), (SELECT "output_status" FROM "long_term"."ups" WHERE time < now() - 30d GROUP BY *) ` +
  `WHERE time >= 1ms and time <= 2ms AND "device_type" =~ /^(ups-rfc1628)$/ AND "room_name" =~ /^省公司 AND 三楼$/ GROUP BY time(2m), "room_name", "device_name" fill(none)`;
const TAGS = new Set(['device_type', 'room_name', 'site_name', 'device_name']);

describe('the selection of an empty query, for SHOW SERIES', () => {
  it('finds every measurement a query reads, subqueries included', () => {
    expect(measurementsOf(GENERATED)).toEqual(['"raw"."ups"', '"long_term"."ups"']);
    expect(measurementsOf('SELECT sum("faults") FROM "events"."fault_stats" WHERE time > 0')).toEqual(['"events"."fault_stats"']);
  });

  it('keeps the tag conditions, drops the time ones, and does not split inside a regex', () => {
    expect(tagFilters(GENERATED, TAGS)).toEqual([`"device_type" =~ /^(ups-rfc1628)$/`, `"room_name" =~ /^省公司 AND 三楼$/`]);
  });

  it('drops conditions on fields (which only widens the selection) and refuses an OR', () => {
    expect(tagFilters(`SELECT x FROM m WHERE "leak_position" < 65535 AND "room_name" = 'r1'`, TAGS)).toEqual([`"room_name" = 'r1'`]);
    expect(tagFilters(`SELECT x FROM m WHERE "room_name" = 'r1' OR "room_name" = 'r2'`, TAGS)).toBeUndefined();
  });
});
