import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';

const DRIVERS_DIR = dirname(fileURLToPath(import.meta.url));
const withSample = readdirSync(DRIVERS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(DRIVERS_DIR, entry.name, 'sample.yaml')))
  .map((entry) => entry.name)
  .sort();

/**
 * A sample is two YAML documents: a template file, then a device file. Each goes into a file of
 * its own (so reported lines are the sample's own, shifted by the template's length), next to a
 * main file with the one site and room the samples use.
 */
function loadSample(driver: string) {
  const text = readFileSync(join(DRIVERS_DIR, driver, 'sample.yaml'), 'utf8');
  const [template, devices, ...rest] = text.split(/^---$/m);
  expect(rest, 'a sample holds exactly two documents').toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), `sample-${driver}-`));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'sample.yaml'), template!);
  writeFileSync(join(dir, 'devices.yaml'), devices!);
  writeFileSync(
    join(dir, 'main.yaml'),
    `influxdb: { url: "http://127.0.0.1:8086", database: roomwatch }
sites: [{ id: site-1, rooms: [{ id: room-1 }] }]
templates: [templates]
device_files: [devices.yaml]
`,
  );
  // The samples read their secrets from the environment, as real configurations should.
  const env = new Proxy({}, { get: (_, name) => (typeof name === 'string' ? `value-of-${name}` : undefined), has: () => true });
  return loadConfig(join(dir, 'main.yaml'), env);
}

describe("each driver folder's sample.yaml", () => {
  it('exists for every driver', () => {
    expect(withSample).toEqual(['modbus', 'snmp']);
  });

  it.each(withSample)('%s: loads without problems or warnings, every device using the driver', (driver) => {
    const result = loadSample(driver);
    const problems = result.ok ? result.config.warnings : [...result.issues, ...(result.warnings ?? [])];
    expect(problems.map(formatIssue)).toEqual([]);
    if (!result.ok) return;
    expect(result.config.devices.length).toBeGreaterThan(0);
    expect(result.config.devices.map((d) => d.template.driver)).toEqual(result.config.devices.map(() => driver));
  });
});
