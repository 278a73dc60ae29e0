import type { DeviceTemplate } from '../../common/contracts/device.js';
import type { TemplateRuleCompiler } from '../../common/contracts/template-rule.js';
import { DRIVERS, driverFor } from '../drivers/registry.js';
import { compilePoints } from './points.js';
import { DEFAULT_COMMS_SEVERITY, templateSchema, type TemplateInput } from './schema.js';
import { validateAgainst } from '../../common/config/validate.js';
import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';

/** The drivers whose templates may list traps, as messages name them ("SNMP"). */
const TRAP_DRIVERS = DRIVERS.filter((d) => d.supportsTraps)
  .map((d) => d.title)
  .join(' or ');

/**
 * Compiles one template file: its top level, its points, then its default rules through `rules`
 * (the collector knows points; what makes a rule valid belongs to alerting, which passes its compiler).
 */
export function compileTemplate(source: YamlSource, rules: TemplateRuleCompiler): { template?: DeviceTemplate; issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const warnings: ConfigIssue[] = [];
  if (source.syntaxIssues.length) return { issues: source.syntaxIssues, warnings };
  const raw = source.value as TemplateInput;
  const issues = validateAgainst(templateSchema(rules.schema), raw, source);
  if (issues.length) return { issues, warnings };
  const driver = driverFor(raw.driver);
  const compiled = compilePoints(raw, driver, source);
  const points = compiled.points;
  issues.push(...compiled.issues);
  warnings.push(...compiled.warnings);
  const checked = rules.compile(raw.rules, points, { measurement: raw.measurement, category: raw.category, source, isText: (point) => driver.isText(point) });
  issues.push(...checked.issues);
  warnings.push(...checked.warnings);
  if (!driver.supportsTraps && raw.traps.length) issues.push(source.issueAt(['traps'], `traps only apply to ${TRAP_DRIVERS} templates`, true));
  raw.traps.forEach((trap, index) => {
    const rule = trap.raises ?? trap.clears;
    if ((trap.raises === undefined) === (trap.clears === undefined)) issues.push(source.issueAt(['traps', index], 'a trap needs exactly one of "raises" or "clears"'));
    else if (!checked.rules.some((r) => r.name === rule)) issues.push(source.issueAt(['traps', index], `trap refers to rule "${rule}", which this template does not define`));
  });
  if (issues.length) return { issues, warnings };
  const template: DeviceTemplate = {
    name: raw.name,
    description: raw.description,
    driver: driver.id,
    category: raw.category,
    measurement: raw.measurement,
    file: source.file,
    points,
    rules: checked.rules,
    traps: raw.traps,
    comms: { severity: raw.comms?.severity ?? DEFAULT_COMMS_SEVERITY[raw.category] },
  };
  return { template, issues, warnings };
}
