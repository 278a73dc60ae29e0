import { describe, expect, it } from 'vitest';
import { capturingLog } from '../test/helpers/capturing-log.js';
import { ComponentStartError, StartFailed, startAll, type Component } from './lifecycle.js';


/** A component that records its start and stop in `trail`, and fails where told. */
function part(name: string, trail: string[], behaviour: Partial<{ failStart: Error; failStop: Error; hangStop: boolean; degraded: boolean }> = {}): Component {
  return {
    name,
    onStartFailure: behaviour.degraded ? 'degraded' : 'fatal',
    start: async () => {
      await Promise.resolve();
      if (behaviour.failStart) throw behaviour.failStart;
      trail.push(`start ${name}`);
    },
    stop: () => {
      trail.push(`stop ${name}`);
      if (behaviour.failStop) throw behaviour.failStop;
      if (behaviour.hangStop) return new Promise<void>(() => {});
    },
  };
}

const flushLog = () => new Promise((resolve) => setImmediate(resolve));

describe('startAll', () => {
  it('starts in order and stops in reverse', async () => {
    const { log } = capturingLog();
    const trail: string[] = [];
    const running = await startAll([part('alerting', trail), part('collector', trail), part('api', trail)], { log });
    await running.stop();
    expect(trail).toEqual(['start alerting', 'start collector', 'start api', 'stop api', 'stop collector', 'stop alerting']);
    expect(running.degraded).toEqual([]);
  });

  it('a fatal start failure stops the ones already started, logs the operator message, and rejects', async () => {
    const { log, lines } = capturingLog();
    const trail: string[] = [];
    const failure = new ComponentStartError('cannot listen for SNMP traps (traps.listen)', { err: 'EADDRINUSE', listen: '127.0.0.1:162' });
    const started = startAll([part('alerting', trail), part('collector', trail), part('traps', trail, { failStart: failure }), part('api', trail)], { log });
    const error = await started.catch((e: unknown) => e);
    await flushLog();
    expect(error).toBeInstanceOf(StartFailed);
    expect((error as StartFailed).component).toBe('traps');
    expect(trail).toEqual(['start alerting', 'start collector', 'stop collector', 'stop alerting']);
    expect(lines.filter((l) => l.level === 60).map((l) => ({ msg: l.msg, component: l.component, err: l.err, listen: l.listen }))).toEqual([
      { msg: 'cannot listen for SNMP traps (traps.listen)', component: 'traps', err: 'EADDRINUSE', listen: '127.0.0.1:162' },
    ]);
  });

  it('a degraded start failure is logged and the rest start and stop as usual', async () => {
    const { log, lines } = capturingLog();
    const trail: string[] = [];
    const running = await startAll([part('alerting', trail), part('traps', trail, { failStart: new Error('no permission'), degraded: true }), part('api', trail)], { log });
    await running.stop();
    await flushLog();
    expect(running.degraded).toEqual(['traps']);
    expect(trail).toEqual(['start alerting', 'start api', 'stop api', 'stop alerting']);
    expect(lines.filter((l) => l.level === 50).map((l) => ({ component: l.component, err: l.err, msg: l.msg }))).toEqual([
      { component: 'traps', err: 'no permission', msg: 'traps did not start; running without it' },
    ]);
  });

  it('a stop that throws or hangs does not keep the others from stopping', async () => {
    const { log, lines } = capturingLog();
    const trail: string[] = [];
    const running = await startAll(
      [part('alerting', trail), part('collector', trail, { failStop: new Error('spool locked') }), part('api', trail, { hangStop: true })],
      { log, stopTimeoutMs: 20 },
    );
    await running.stop();
    await running.stop();
    await flushLog();
    expect(trail).toEqual(['start alerting', 'start collector', 'start api', 'stop api', 'stop collector', 'stop alerting']);
    expect(lines.filter((l) => l.level === 50).map((l) => ({ component: l.component, err: l.err }))).toEqual([
      { component: 'api', err: undefined },
      { component: 'collector', err: 'spool locked' },
    ]);
  });
});
