import { loadConfig } from '../app/config/load.js';
import { formatIssue, type ConfigIssue } from '../common/config/yaml-source.js';

/**
 * `roomwatch validate --config FILE`: 0 when valid, 1 with every problem listed otherwise.
 *
 * The API token's secret is the runtime's business: checked on a workstation or in CI, where the
 * daemon's environment is not, an unset variable is a warning saying `run` needs it, not a problem.
 */
export function validateCommand(configFile: string): number {
  const first = loadConfig(configFile);
  const tokenNotes = first.ok ? [] : first.issues.filter((i) => i.path === 'api.token').map(asNote);
  const result = tokenNotes.length ? loadConfig(configFile, process.env, { apiToken: false }) : first;
  const warnings = [...tokenNotes, ...(result.ok ? result.config.warnings : (result.warnings ?? []))];
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

function asNote(issue: ConfigIssue): ConfigIssue {
  return { ...issue, severity: 'warning', message: `${issue.message} here; "roomwatch run" refuses to start until it is set in the daemon's environment` };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
