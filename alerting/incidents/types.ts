import type { IncidentType } from './incident.js';

/**
 * The incident types roomwatch knows without configuration, one entry each, like the rule kinds
 * (core/kinds/index.ts). Templates name them (`incident: mains_failure`, `explained_by: comms_lost`);
 * `alerting.incidents.types` adds types or replaces one of these by name.
 */
export const BUILT_IN_INCIDENT_TYPES: readonly IncidentType[] = [
  {
    name: 'mains_failure',
    // One mains feed serves a room: its UPSs go on battery together and its CRACs lose power together.
    scope: 'room',
    category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' },
    advice: {
      en: [
        'Check the mains and ATS state, and whether the generator has started',
        'Plan an orderly shutdown of the load by the shortest battery runtime remaining',
        'Watch the room temperature rise once the precision air conditioners stop',
      ],
      'zh-CN': ['确认市电与 ATS 状态，检查发电机是否启动', '按最短剩余后备时间安排负载有序关机', '留意精密空调停机后的机房温升'],
    },
  },
  {
    name: 'comms_lost',
    // A device that does not answer explains only its own silence (its stale data).
    scope: 'device',
    category: 'communication',
    summary: { en: 'device not answering', 'zh-CN': '设备通信中断' },
    advice: {
      en: ['Check the device power and its network or serial link', 'Check the device address, port and credentials in the configuration'],
      'zh-CN': ['检查设备供电及其网络或串口线路', '核对配置中的设备地址、端口与认证参数'],
    },
  },
];

/** The incident types in force: the built-in ones, with configured ones added or replacing them by name. */
export class IncidentTypes {
  readonly #byName = new Map<string, IncidentType>();

  constructor(configured: readonly IncidentType[] = []) {
    for (const type of [...BUILT_IN_INCIDENT_TYPES, ...configured]) this.#byName.set(type.name, type);
  }

  get(name: string): IncidentType | undefined {
    return this.#byName.get(name);
  }

  /** Every name, sorted (for "known: ..." in messages). */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }
}

/** The message for a template or config naming a type nobody defined. */
export function unknownTypeMessage(key: 'incident' | 'explained_by', name: string, known: readonly string[]): string {
  return `${key} "${name}" is not an incident type (known: ${known.join(', ')})`;
}
