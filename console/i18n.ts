import type { Language } from './types.js';

/**
 * The console's words in both languages. The language is the one the user picked (remembered in
 * localStorage), else the browser's (navigator.language): Chinese for any zh-*, English otherwise.
 */
const WORDS = {
  'zh-CN': {
    title: 'roomwatch 监控台', 'nav.overview': '当前告警', 'nav.history': '历史', 'nav.silences': '屏蔽', 'nav.login': '登录',
    'lang.toggle': 'English', 'sound.on': '声音：开', 'sound.off': '声音：关', live: '实时', offline: '连接中断，正在重连…',
    'severity.critical': '紧急', 'severity.major': '重要', 'severity.minor': '次要', 'severity.warning': '提示',
    'status.firing': '告警中', 'status.acknowledged': '已确认', 'status.resolved': '已恢复',
    'incident.open': '进行中', 'incident.acknowledged': '已确认', 'incident.settling': '恢复观察中', 'incident.resolved': '已恢复',
    flapping: '频繁波动', silenced: '已屏蔽', latched: '已锁存（待确认）', cleared: '条件已消除',
    nothing: '当前没有告警。', incident: '事件', alerts: '告警', since: '开始时间', age: '持续', value: '当前值', state: '当前状态',
    threshold: '阈值', where: '位置', device: '设备', rule: '规则', severity: '级别', status: '状态', category: '类别',
    ackBy: '确认人', ackNote: '确认备注', acknowledgedBy: (who: string, when: string) => `${who} 于 ${when} 确认`,
    notes: '备注', advice: '处置建议', readings: '告警前后读数', context: '相关读数', timeline: '时间线', members: '相关告警',
    'ack.title': '确认告警', 'ack.by': '姓名', 'ack.note': '备注（可选）', 'ack.submit': '确认', 'ack.done': '已确认',
    'silence.title': '屏蔽通知', 'silence.device': '屏蔽该设备的所有告警', 'silence.rule': '只屏蔽该设备的这条规则',
    'silence.for': '时长', 'silence.reason': '原因', 'silence.submit': '屏蔽', 'silence.done': '已屏蔽至',
    'silence.list': '当前屏蔽', 'silence.expire': '解除', 'silence.none': '没有生效的屏蔽。', 'silence.matchers': '范围', 'silence.until': '截止',
    'silence.author': '创建人',
    hours: (n: number) => `${n} 小时`, minutes: (n: number) => `${n} 分钟`,
    'room.devices': '设备', 'device.status.up': '正常', 'device.status.down': '无响应', 'device.status.unknown': '未知',
    lastPoll: '最近采集', lastError: '最近错误', trend: '24 小时趋势', noTrend: '无趋势数据',
    'history.title': '告警历史', 'history.filter': '筛选', 'history.from': '起', 'history.to': '止', 'history.site': '站点',
    'history.room': '机房', 'history.none': '该范围内没有记录。', event: '事件', time: '时间', all: '全部',
    'event.opened': '告警', 'event.acknowledged': '确认', 'event.resolved': '恢复', 'event.escalated': '升级', 'event.noted': '备注',
    'event.notified': '已通知', 'event.flapping': '频繁波动',
    unavailable: (what: string, why: string) => `${what}暂不可用（${why}）。`,
    notFound: '没有找到：可能已过期或编号有误。', loading: '加载中…', failed: (why: string) => `请求失败：${why}`,
    'login.title': '登录', 'login.token': '访问令牌', 'login.submit': '登录', 'login.failed': '令牌无效。',
    noRoute: '此版本的守护进程没有该接口', newCritical: '新的紧急告警', timeZone: '时区', openIncident: '查看事件', back: '返回',
  },
  en: {
    title: 'roomwatch console', 'nav.overview': 'Active alerts', 'nav.history': 'History', 'nav.silences': 'Silences', 'nav.login': 'Log in',
    'lang.toggle': '中文', 'sound.on': 'Sound: on', 'sound.off': 'Sound: off', live: 'live', offline: 'Connection lost, reconnecting…',
    'severity.critical': 'CRITICAL', 'severity.major': 'MAJOR', 'severity.minor': 'MINOR', 'severity.warning': 'WARNING',
    'status.firing': 'firing', 'status.acknowledged': 'acknowledged', 'status.resolved': 'resolved',
    'incident.open': 'open', 'incident.acknowledged': 'acknowledged', 'incident.settling': 'settling', 'incident.resolved': 'resolved',
    flapping: 'flapping', silenced: 'silenced', latched: 'latched (needs acknowledging)', cleared: 'condition cleared',
    nothing: 'No active alerts.', incident: 'Incident', alerts: 'Alerts', since: 'Since', age: 'For', value: 'Value', state: 'State',
    threshold: 'Threshold', where: 'Where', device: 'Device', rule: 'Rule', severity: 'Severity', status: 'Status', category: 'Category',
    ackBy: 'Acknowledged by', ackNote: 'Note', acknowledgedBy: (who: string, when: string) => `acknowledged by ${who} at ${when}`,
    notes: 'Notes', advice: 'What to do', readings: 'Readings around the event', context: 'Related readings', timeline: 'Timeline', members: 'Alerts',
    'ack.title': 'Acknowledge', 'ack.by': 'Name', 'ack.note': 'Note (optional)', 'ack.submit': 'Acknowledge', 'ack.done': 'Acknowledged',
    'silence.title': 'Silence notifications', 'silence.device': 'all alerts of this device', 'silence.rule': 'only this rule on this device',
    'silence.for': 'For', 'silence.reason': 'Reason', 'silence.submit': 'Silence', 'silence.done': 'Silenced until',
    'silence.list': 'Silences in force', 'silence.expire': 'Expire', 'silence.none': 'No silences in force.', 'silence.matchers': 'Matching', 'silence.until': 'Until',
    'silence.author': 'By',
    hours: (n: number) => `${n} h`, minutes: (n: number) => `${n} min`,
    'room.devices': 'Devices', 'device.status.up': 'up', 'device.status.down': 'not answering', 'device.status.unknown': 'unknown',
    lastPoll: 'Last poll', lastError: 'Last error', trend: '24 h trend', noTrend: 'no trend data',
    'history.title': 'Alert history', 'history.filter': 'Filter', 'history.from': 'From', 'history.to': 'To', 'history.site': 'Site',
    'history.room': 'Room', 'history.none': 'Nothing recorded in this range.', event: 'Event', time: 'Time', all: 'all',
    'event.opened': 'opened', 'event.acknowledged': 'acknowledged', 'event.resolved': 'resolved', 'event.escalated': 'escalated', 'event.noted': 'note',
    'event.notified': 'notified', 'event.flapping': 'flapping',
    unavailable: (what: string, why: string) => `${what} not available (${why}).`,
    notFound: 'Not found: it may have expired, or the id is wrong.', loading: 'Loading…', failed: (why: string) => `Request failed: ${why}`,
    'login.title': 'Log in', 'login.token': 'Access token', 'login.submit': 'Log in', 'login.failed': 'That token is not valid.',
    noRoute: 'this daemon has no such API', newCritical: 'New critical alert', timeZone: 'Time zone', openIncident: 'Open incident', back: 'Back',
  },
} as const;

type Dictionary = (typeof WORDS)['en'];
type Phrase = { [K in keyof Dictionary]: Dictionary[K] extends string ? never : K }[keyof Dictionary];

const STORED = 'roomwatch.language';

export function currentLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  document.documentElement.lang = language;
}

/** A word; unknown keys (a new state from a newer daemon) come back as the key's last part. */
export function t(key: string): string {
  const words = WORDS[currentLanguage()] as Record<string, unknown>;
  const word = words[key];
  return typeof word === 'string' ? word : (key.split('.').pop() ?? key);
}

/** A phrase with its parts filled in. */
export function phrase<K extends Phrase>(key: K): Dictionary[K] {
  return WORDS[currentLanguage()][key] as Dictionary[K];
}
