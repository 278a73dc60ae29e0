/** One readiness check as GET /readyz reports it. `reason` says why it failed (or what to know while it passes). */
export interface ReadinessCheck {
  name: 'configuration' | 'pollers' | 'storage' | 'outbox';
  ok: boolean;
  reason?: string;
  /** The reason in each language the product speaks. */
  text?: { en: string; 'zh-CN': string };
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

/**
 * What the decision reads, gathered by the composition root. Times are steady milliseconds
 * (performance.now()), so a wall-clock step never makes the daemon look stalled.
 */
export interface ReadinessInput {
  now: number;
  /** When every component had started; undefined while starting. */
  startedAt?: number;
  /** The last SIGHUP's configuration was refused: the daemon runs on with the previous one. */
  reloadRejected: boolean;
  pollers: {
    devices: number;
    /** The longest configured poll interval. */
    longestIntervalMs: number;
    /** The longest poll seen so far (a silent device with a long timeout takes longer than its interval). */
    slowestPollMs: number;
    /** When the last poll of any device finished. */
    lastPollAt?: number;
  };
  storage: {
    reachable: boolean;
    spoolFillPercent: number;
    /** How long ago the spool last dropped points for want of room (DropWatch); undefined if never. */
    lastDropAgoMs?: number;
  };
  outbox: { pending: number; oldestAgeMs?: number };
}

export interface ReadinessLimits {
  /** Polls have stalled when none finished for this many (longest) intervals... */
  stalledIntervals: number;
  /** ...and never sooner than this: a short interval must not make a busy second look like a stall. */
  stalledMinMs: number;
  /** The spool counts as full from this share of spool.max_size: the next batches would drop points. */
  spoolFullPercent: number;
  /**
   * ...or when it dropped points this recently: a full spool drops its oldest segment and so
   * hovers just under the limit, which the fill share alone would take for room left.
   */
  spoolDropWindowMs: number;
  /** A notification waiting longer than this means the outbox is not draining. */
  outboxMaxAgeMs: number;
}

export const READINESS_LIMITS: ReadinessLimits = { stalledIntervals: 3, stalledMinMs: 30_000, spoolFullPercent: 95, spoolDropWindowMs: 60_000, outboxMaxAgeMs: 15 * 60_000 };

/**
 * Whether the daemon does its job: configuration loaded and every part started, polls finishing,
 * readings reaching InfluxDB or the spool with room left, notifications going out. A device that
 * does not answer is not a readiness problem (it is an alert); the daemon not polling is. The
 * reasons name no host, receiver or error text: /readyz answers without credentials.
 */
export function decideReadiness(input: ReadinessInput, limits: ReadinessLimits = READINESS_LIMITS): Readiness {
  const checks = [configuration(input), pollers(input, limits), storage(input, limits), outbox(input, limits)];
  return { ready: checks.every((c) => c.ok), checks };
}

function check(name: ReadinessCheck['name'], ok: boolean, en?: string, zh?: string): ReadinessCheck {
  return en === undefined ? { name, ok } : { name, ok, reason: en, text: { en, 'zh-CN': zh ?? en } };
}

function configuration(input: ReadinessInput): ReadinessCheck {
  if (input.startedAt === undefined) return check('configuration', false, 'starting: not every component has started yet', '启动中：尚有组件未启动');
  if (input.reloadRejected) return check('configuration', true, 'the last reload was rejected; running the previous configuration', '上次重新加载被拒绝，仍在运行先前的配置');
  return check('configuration', true);
}

function pollers(input: ReadinessInput, limits: ReadinessLimits): ReadinessCheck {
  const { devices, longestIntervalMs, slowestPollMs, lastPollAt } = input.pollers;
  if (devices === 0) return check('pollers', true, 'no devices configured', '未配置设备');
  if (input.startedAt === undefined) return check('pollers', false, 'pollers not started yet', '轮询尚未启动');
  const stallMs = Math.max(limits.stalledMinMs, limits.stalledIntervals * Math.max(longestIntervalMs, slowestPollMs));
  const since = lastPollAt ?? input.startedAt;
  const silentMs = input.now - since;
  if (silentMs <= stallMs) return check('pollers', true);
  const seconds = Math.round(silentMs / 1000);
  return lastPollAt === undefined
    ? check('pollers', false, `no poll has finished in the ${seconds} s since start`, `启动后 ${seconds} 秒内没有完成任何轮询`)
    : check('pollers', false, `no poll has finished for ${seconds} s (stalled)`, `已有 ${seconds} 秒没有完成轮询（停滞）`);
}

function storage(input: ReadinessInput, limits: ReadinessLimits): ReadinessCheck {
  const { reachable, spoolFillPercent, lastDropAgoMs } = input.storage;
  if (spoolFillPercent >= limits.spoolFullPercent || (lastDropAgoMs !== undefined && lastDropAgoMs <= limits.spoolDropWindowMs)) {
    return check('storage', false, `InfluxDB is not taking points and the spool is full (${spoolFillPercent}% of spool.max_size): the oldest points are being dropped`, `InfluxDB 未写入且缓存已满（spool.max_size 的 ${spoolFillPercent}%）：正在丢弃最早的数据点`);
  }
  if (!reachable) return check('storage', true, `InfluxDB unreachable; spooling to disk (${spoolFillPercent}% of spool.max_size used)`, `InfluxDB 不可达；数据写入磁盘缓存（已用 spool.max_size 的 ${spoolFillPercent}%）`);
  return check('storage', true);
}

function outbox(input: ReadinessInput, limits: ReadinessLimits): ReadinessCheck {
  const { pending, oldestAgeMs } = input.outbox;
  if (pending === 0 || oldestAgeMs === undefined || oldestAgeMs <= limits.outboxMaxAgeMs) return check('outbox', true);
  const minutes = Math.round(oldestAgeMs / 60_000);
  return check('outbox', false, `${pending} notification(s) pending; the oldest has waited ${minutes} min (receivers not answering)`, `${pending} 条通知待发送；最早的一条已等待 ${minutes} 分钟（接收方无响应）`);
}

/**
 * Notices the spool's dropped-points figure grow, each time readiness is asked: how long ago it
 * last grew. A new one per (re)start, as the spool's figure starts again at 0.
 */
export class DropWatch {
  #seen = 0;
  #at: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The spool's dropped points so far; returns how long ago they last grew (undefined: never). */
  observe(droppedPoints: number): number | undefined {
    if (droppedPoints > this.#seen) {
      this.#seen = droppedPoints;
      this.#at = this.now();
    }
    return this.#at === undefined ? undefined : this.now() - this.#at;
  }
}

/**
 * Hears every poll (on the event bus) for the pollers check: when the last one finished and the
 * longest one took. Cheap enough for thousands of polls a second: two numbers.
 */
export class PollPulse {
  lastPollAt: number | undefined;
  slowestPollMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  heard(durationMs: number): void {
    this.lastPollAt = this.now();
    if (durationMs > this.slowestPollMs) this.slowestPollMs = durationMs;
  }
}
