import { describe, expect, it } from 'vitest';
import { capturingLog } from '../test/helpers/capturing-log.js';
import { EventBus } from './events.js';

interface TestEvents {
  poll: { device: string };
  trap: { oid: string };
}


describe('EventBus', () => {
  it('runs handlers synchronously, in subscription order, with the payload', () => {
    const { log } = capturingLog();
    const bus = new EventBus<TestEvents>(log);
    const heard: string[] = [];
    bus.on('poll', 'sink', (p) => heard.push(`sink:${p.device}`));
    bus.on('poll', 'alerting', (p) => heard.push(`alerting:${p.device}`));
    bus.on('trap', 'collector', (p) => heard.push(`trap:${p.oid}`));
    bus.emit('poll', { device: 'ups-1' });
    expect(heard).toEqual(['sink:ups-1', 'alerting:ups-1']);
  });

  it('logs a throwing handler with its owner and still runs the others', async () => {
    const { log, lines } = capturingLog();
    const bus = new EventBus<TestEvents>(log);
    const heard: string[] = [];
    bus.on('poll', 'sink', () => heard.push('sink'));
    bus.on('poll', 'alerting', () => {
      throw new Error('rule table corrupt');
    });
    bus.on('poll', 'api', () => heard.push('api'));
    expect(() => bus.emit('poll', { device: 'ups-1' })).not.toThrow();
    bus.emit('poll', { device: 'ups-2' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(['sink', 'api', 'sink', 'api']);
    expect(lines.map((l) => ({ event: l.event, owner: l.owner, err: l.err, level: l.level }))).toEqual([
      { event: 'poll', owner: 'alerting', err: 'rule table corrupt', level: 50 },
      { event: 'poll', owner: 'alerting', err: 'rule table corrupt', level: 50 },
    ]);
  });

  it('stops calling a handler once unsubscribed, and a subscription made during emit waits for the next one', () => {
    const { log } = capturingLog();
    const bus = new EventBus<TestEvents>(log);
    const heard: string[] = [];
    const off = bus.on('trap', 'first', (p) => {
      heard.push(`first:${p.oid}`);
      bus.on('trap', 'late', (q) => heard.push(`late:${q.oid}`));
    });
    bus.emit('trap', { oid: '1.3.6.1' });
    off();
    bus.emit('trap', { oid: '1.3.6.2' });
    expect(heard).toEqual(['first:1.3.6.1', 'late:1.3.6.2']);
  });
});
