import { loadConfig } from '../collector/config/load.js';
import { formatIssue } from '../collector/config/yaml-source.js';

/** `roomwatch validate --config FILE`: 0 when valid, 1 with every problem listed otherwise. */
export function validateCommand(configFile: string): number {
  const result = loadConfig(configFile);
  if (!result.ok) {
    for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} found; nothing was started.\n`);
    return 1;
  }
  const { config } = result;
  process.stdout.write(
    `${config.file}: valid (${config.sites.length} sites, ${config.devices.length} devices, ${config.templates.size} templates)\n`,
  );
  return 0;
}
