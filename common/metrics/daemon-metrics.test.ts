import { describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../contracts/device.js';
import type { PollOutcome } from '../contracts/poll.js';
import { DaemonMetrics, type MetricSources } from './daemon-metrics.js';

const device = (id: string, type: string) => ({ id, template: { name: type } }) as unknown as DeviceSpec;
const poll = (d: DeviceSpec, ok: boolean, durationMs: number): PollOutcome => ({ device: d, time: 0, durationMs, ok, readings: [] });

/** Sources a test can move: what the sink, engine and trap receiver would say. */
function parts(over: Partial<Record<'written' | 'evaluations' | 'traps' | 'pending', number>> = {}) {
  const figures = { written: 0, evaluations: 0, traps: 0, pending: 0, spoolBytes: 0, spooledPoints: 0, reachable: true, ...over };
  const alerts: Array<{ status: string; severity: string }> = [];
  const channels: Array<{ channel: string; sent: number; failed: number }> = [];
  const sources: MetricSources = {
    sink: () => ({ writtenPoints: figures.written, spoolBytes: figures.spoolBytes, spooledPoints: figures.spooledPoints, reachable: figures.reachable }),
    alerts: () => alerts,
    ruleEvaluations: () => figures.evaluations,
    notifications: () => channels,
    notificationsPending: () => figures.pending,
    trapsReceived: () => figures.traps,
  };
  return { figures, alerts, channels, sources };
}

/** Parses the text exposition into "name{labels} value" → number (the samples Prometheus would store). */
async function scrape(metrics: DaemonMetrics): Promise<Map<string, number>> {
  const { text } = await metrics.exposition();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const newMetrics = () => new DaemonMetrics({ severities: ['critical', 'major'], states: ['firing', 'acknowledged'] });

describe('daemon metrics', () => {
  it('counts polls, errors and durations per device type from the poll events', async () => {
    const metrics = newMetrics();
    const ups = device('ups-1', 'ups-rfc1628');
    const meter = device('meter-1', 'sdm630');
    metrics.observePoll(poll(ups, true, 12));
    metrics.observePoll(poll(ups, false, 3000));
    metrics.observePoll(poll(meter, true, 80));
    metrics.observePoll(poll(meter, true, 20));
    const samples = await scrape(metrics);
    expect(samples.get('roomwatch_polls_total{device_type="ups-rfc1628",result="ok"}')).toBe(1);
    expect(samples.get('roomwatch_polls_total{device_type="ups-rfc1628",result="error"}')).toBe(1);
    expect(samples.get('roomwatch_polls_total{device_type="sdm630",result="ok"}')).toBe(2);
    expect(samples.get('roomwatch_poll_errors_total{device_type="ups-rfc1628"}')).toBe(1);
    expect(samples.has('roomwatch_poll_errors_total{device_type="sdm630"}')).toBe(true);
    expect(samples.get('roomwatch_poll_errors_total{device_type="sdm630"}')).toBe(0);
    expect(samples.get('roomwatch_poll_duration_seconds_count{device_type="sdm630"}')).toBe(2);
    expect(samples.get('roomwatch_poll_duration_seconds_sum{device_type="sdm630"}')).toBeCloseTo(0.1, 6);
    expect(samples.get('roomwatch_poll_duration_seconds_bucket{le="0.025",device_type="sdm630"}')).toBe(1);
    expect(samples.get('roomwatch_poll_duration_seconds_bucket{le="5",device_type="ups-rfc1628"}')).toBe(2);
  });

  it('keeps one series per device type however many devices poll (no per-device labels)', async () => {
    const metrics = newMetrics();
    for (let i = 0; i < 2000; i++) metrics.observePoll(poll(device(`d${i}`, i % 2 ? 'sdm630' : 'ups-rfc1628'), i % 7 !== 0, 10));
    const polls = [...(await scrape(metrics)).entries()].filter(([name]) => name.startsWith('roomwatch_polls_total'));
    expect(polls.map(([name]) => name).sort()).toEqual([
      'roomwatch_polls_total{device_type="sdm630",result="error"}',
      'roomwatch_polls_total{device_type="sdm630",result="ok"}',
      'roomwatch_polls_total{device_type="ups-rfc1628",result="error"}',
      'roomwatch_polls_total{device_type="ups-rfc1628",result="ok"}',
    ]);
    expect(polls.reduce((sum, [, value]) => sum + value, 0)).toBe(2000);
  });

  it('reads the parts at scrape time: points written, spool, InfluxDB, evaluations, traps, outbox', async () => {
    const metrics = newMetrics();
    const { figures, sources } = parts();
    metrics.follow(sources);
    Object.assign(figures, { written: 1500, spoolBytes: 4096, spooledPoints: 30, reachable: false, evaluations: 777, traps: 4, pending: 2 });
    const samples = await scrape(metrics);
    expect(Object.fromEntries(['roomwatch_points_written_total', 'roomwatch_spool_bytes', 'roomwatch_spool_points', 'roomwatch_influxdb_reachable', 'roomwatch_rule_evaluations_total', 'roomwatch_traps_received_total', 'roomwatch_notifications_pending'].map((n) => [n, samples.get(n)]))).toEqual({
      roomwatch_points_written_total: 1500,
      roomwatch_spool_bytes: 4096,
      roomwatch_spool_points: 30,
      roomwatch_influxdb_reachable: 0,
      roomwatch_rule_evaluations_total: 777,
      roomwatch_traps_received_total: 4,
      roomwatch_notifications_pending: 2,
    });
    figures.reachable = true;
    expect((await scrape(metrics)).get('roomwatch_influxdb_reachable')).toBe(1);
  });

  it('counts active alerts by state and severity, every combination present as 0 when none', async () => {
    const metrics = newMetrics();
    const { alerts, sources } = parts();
    metrics.follow(sources);
    expect((await scrape(metrics)).get('roomwatch_alerts{state="acknowledged",severity="critical"}')).toBe(0);
    alerts.push({ status: 'firing', severity: 'critical' }, { status: 'firing', severity: 'critical' }, { status: 'acknowledged', severity: 'major' });
    const samples = await scrape(metrics);
    expect([...samples.entries()].filter(([name]) => name.startsWith('roomwatch_alerts{'))).toEqual([
      ['roomwatch_alerts{state="firing",severity="critical"}', 2],
      ['roomwatch_alerts{state="firing",severity="major"}', 0],
      ['roomwatch_alerts{state="acknowledged",severity="critical"}', 0],
      ['roomwatch_alerts{state="acknowledged",severity="major"}', 1],
    ]);
    alerts.length = 0;
    expect((await scrape(metrics)).get('roomwatch_alerts{state="firing",severity="critical"}')).toBe(0);
  });

  it('counts notification attempts per channel and result', async () => {
    const metrics = newMetrics();
    const { channels, sources } = parts();
    metrics.follow(sources);
    channels.push({ channel: 'wecom', sent: 3, failed: 2 }, { channel: 'email', sent: 1, failed: 0 });
    const samples = await scrape(metrics);
    expect(samples.get('roomwatch_notifications_total{channel="wecom",result="sent"}')).toBe(3);
    expect(samples.get('roomwatch_notifications_total{channel="wecom",result="failed"}')).toBe(2);
    expect(samples.get('roomwatch_notifications_total{channel="email",result="sent"}')).toBe(1);
  });

  it('carries the counters across a reload, which replaces the parts and restarts their figures at 0', async () => {
    const metrics = newMetrics();
    const before = parts({ written: 900, evaluations: 50, traps: 3 });
    before.channels.push({ channel: 'webhook', sent: 5, failed: 1 });
    metrics.follow(before.sources);
    expect((await scrape(metrics)).get('roomwatch_points_written_total')).toBe(900);
    // Counted after the last scrape and before the reload: not lost either.
    before.figures.written = 1000;
    const after = parts({ written: 20, evaluations: 7, traps: 0 });
    after.channels.push({ channel: 'webhook', sent: 1, failed: 0 }, { channel: 'feishu', sent: 2, failed: 0 });
    metrics.follow(after.sources);
    const samples = await scrape(metrics);
    expect(samples.get('roomwatch_points_written_total')).toBe(1020);
    expect(samples.get('roomwatch_rule_evaluations_total')).toBe(57);
    expect(samples.get('roomwatch_traps_received_total')).toBe(3);
    expect(samples.get('roomwatch_notifications_total{channel="webhook",result="sent"}')).toBe(6);
    expect(samples.get('roomwatch_notifications_total{channel="webhook",result="failed"}')).toBe(1);
    expect(samples.get('roomwatch_notifications_total{channel="feishu",result="sent"}')).toBe(2);
  });

  it('counts API authentication failures, and keeps each daemon apart with its own registry and the process metrics', async () => {
    const one = newMetrics();
    const other = newMetrics();
    one.authFailure();
    one.authFailure();
    expect((await scrape(one)).get('roomwatch_api_auth_failures_total')).toBe(2);
    const samples = await scrape(other);
    expect(samples.get('roomwatch_api_auth_failures_total')).toBe(0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) expect(samples.has(name), name).toBe(true);
    expect((await one.exposition()).contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
