import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';

/** `roomwatch validate --config FILE`: 0 when valid, 1 with every problem listed otherwise. */
export function validateCommand(configFile: string): number {
  const result = loadConfig(configFile);
  const warnings = result.ok ? result.config.warnings : (result.warnings ?? []);
  if (!result.ok) {
    for (const issue of [...result.issues, ...warnings]) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${plural(result.issues.length, 'problem')}${warnings.length ? ` and ${plural(warnings.length, 'warning')}` : ''} found; nothing was started.\n`);
    return 1;
  }
  // Warnings do not make the configuration invalid: listed, then exit 0.
  for (const warning of warnings) process.stderr.write(`${formatIssue(warning)}\n`);
  const { config } = result;
  process.stdout.write(
    `${config.file}: valid (${config.sites.length} sites, ${config.devices.length} devices, ${config.templates.size} templates)${warnings.length ? `, ${plural(warnings.length, 'warning')}` : ''}\n`,
  );
  return 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
