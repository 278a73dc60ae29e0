/**
 * Template units (as the templates write them) to Grafana unit ids. A unit not listed shows as a
 * plain number rather than a wrong unit; `enum` and `bool` points are shown through their states.
 */
const GRAFANA_UNITS: Readonly<Record<string, string>> = {
  degC: 'celsius',
  '%': 'percent',
  '%RH': 'humidity',
  V: 'volt',
  A: 'amp',
  W: 'watt',
  kW: 'kwatt',
  VA: 'voltamp',
  kVA: 'kvoltamp',
  VAr: 'voltampreact',
  kVAr: 'kvoltampreact',
  Hz: 'hertz',
  kWh: 'kwatth',
  Wh: 'watth',
  min: 'm',
  s: 's',
  h: 'h',
  ms: 'ms',
  m: 'lengthm',
  Pa: 'pressurepa',
  kPa: 'pressurekpa',
  bar: 'pressurebar',
  ratio: 'none',
  count: 'none',
};

export function grafanaUnit(unit: string | undefined): string | undefined {
  return unit === undefined ? undefined : GRAFANA_UNITS[unit];
}
