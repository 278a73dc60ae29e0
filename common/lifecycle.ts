import type { Logger } from 'pino';

/**
 * One part of the daemon (alerting engine, collector, trap listener, API) as the composition root
 * sees it. The constructor only stores dependencies; `start` does the I/O (binds sockets, opens
 * files, arms timers); `stop` releases it and must be safe to call once after a successful start.
 */
export interface Component {
  /** Short and stable ("alerting", "traps"): it names the component in every log line about it. */
  readonly name: string;
  /**
   * What a failed start means. 'fatal' (the default): the daemon cannot do its job without this
   * part, so the ones already started are stopped and the start fails. 'degraded': logged, and the
   * rest start and run without it.
   */
  readonly onStartFailure?: 'fatal' | 'degraded';
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Thrown by a component's start when it can say what went wrong in the operator's terms (which
 * setting, which address): startAll logs `message` with `details` instead of a generic line.
 */
export class ComponentStartError extends Error {
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ComponentStartError';
  }
}

/** A fatal start failure; the components started before it have been stopped already. */
export class StartFailed extends Error {
  constructor(readonly component: string, readonly reason: unknown) {
    super(`${component} did not start: ${reasonText(reason)}`);
    this.name = 'StartFailed';
  }
}

export interface StartedComponents {
  /** Names of the 'degraded' components whose start failed; the daemon runs without them. */
  readonly degraded: readonly string[];
  /** Stops the started components in reverse order; never throws. */
  stop(): Promise<void>;
}

export interface LifecycleOptions {
  log: Logger;
  /**
   * How long one stop may take before the next one runs anyway. A hung stop (a notifier that
   * never answers, a socket that never closes) must not keep the others from flushing their data.
   */
  stopTimeoutMs?: number;
}

const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/**
 * Starts the components in the given order (each may rely on the ones before it) and returns a
 * handle that stops them in reverse. A fatal start failure stops what was started and rejects
 * with StartFailed; a degraded one is logged and skipped.
 */
export async function startAll(components: readonly Component[], options: LifecycleOptions): Promise<StartedComponents> {
  const { log } = options;
  const started: Component[] = [];
  const degraded: string[] = [];
  const stop = () => stopInReverse(started, options);
  for (const component of components) {
    try {
      await component.start();
      started.push(component);
    } catch (error) {
      const fatal = (component.onStartFailure ?? 'fatal') === 'fatal';
      logStartFailure(log, component.name, error, fatal);
      if (!fatal) {
        degraded.push(component.name);
        continue;
      }
      await stop();
      throw new StartFailed(component.name, error);
    }
  }
  return { degraded, stop };
}

async function stopInReverse(started: Component[], options: LifecycleOptions): Promise<void> {
  const timeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  // Taken out of the list first, so a second stop() (a signal during a failed start) stops nothing twice.
  const toStop = started.splice(0).reverse();
  for (const component of toStop) {
    try {
      const outcome = await withTimeout(Promise.resolve().then(() => component.stop()), timeoutMs);
      if (outcome === 'timeout') options.log.error({ component: component.name, timeoutMs }, 'component did not stop in time; stopping the others anyway');
    } catch (error) {
      options.log.error({ component: component.name, err: reasonText(error) }, 'component failed to stop; stopping the others anyway');
    }
  }
}

function logStartFailure(log: Logger, name: string, error: unknown, fatal: boolean): void {
  const fields = { component: name, err: reasonText(error), ...(error instanceof ComponentStartError ? error.details : {}) };
  const message = error instanceof ComponentStartError ? error.message : `${name} did not start`;
  if (fatal) log.fatal(fields, message);
  else log.error(fields, `${message}; running without it`);
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
