import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PollerComponent, SinkComponent } from './collector.js';
import type { InfluxSettings } from './sink/influx.js';

const log = pino({ level: 'silent' });
// Nothing listens on port 1: every write fails at once and the readings stay in the spool.
const influx: InfluxSettings = { url: 'http://127.0.0.1:1', database: 'x', batchSize: 100, flushIntervalMs: 60_000, timeoutMs: 500, rawRetentionMs: 3_600_000, longTermRetentionMs: 7_200_000, eventsRetentionMs: 7_200_000, downsampleIntervalMs: 300_000 };
const reading = (i: number) => ({ measurement: 'environment', field: 'temperature', tags: { device: 'th-1' }, value: 20 + i, source: '4:1', time: 1_700_000_000_000 + i * 1000 });

describe('SinkComponent', () => {
  it('reports what stays in the spool while InfluxDB is away, and how full the spool is', async () => {
    const maxBytes = 100_000;
    const sink = new SinkComponent({ influx, spool: { dir: mkdtempSync(join(tmpdir(), 'sink-component-')), maxBytes }, log });
    expect(sink.status()).toMatchObject({ reachable: false, spoolBytes: 0, spoolFillPercent: 0 });
    sink.start();
    sink.write(Array.from({ length: 50 }, (_, i) => reading(i)));
    await sink.stop();
    const status = sink.status();
    expect(status).toMatchObject({ reachable: false, spooledPoints: 50 });
    expect(status.spoolBytes).toBeGreaterThan(0);
    expect(status.spoolFillPercent).toBe(Math.round((status.spoolBytes / maxBytes) * 100));
  });
});

describe('PollerComponent', () => {
  it('has nothing stalled, overrun or to poll before it starts, and stops without having started', async () => {
    const poller = new PollerComponent({ devices: [], influx, jitter: 0, log, onPoll: () => undefined });
    expect(poller.status()).toEqual({ stalledDevices: 0, overruns: 0, badSnmpDatagrams: {} });
    expect(poller.pollNow('th-1')).toBeUndefined();
    await poller.stop();
  });
});
