import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceTemplate } from '../../common/contracts/device.js';
import type { TemplateRuleCompiler } from '../../common/contracts/template-rule.js';
import { projectRoot } from '../../common/config/project-root.js';
import { YamlSource, type ConfigIssue } from '../../common/config/yaml-source.js';
import { compileTemplate } from './compile.js';

/** The templates shipped with roomwatch (config/templates at the project root). */
export const BUILTIN_TEMPLATE_DIR = join(projectRoot(), 'config', 'templates');

export interface TemplateSet {
  templates: Map<string, DeviceTemplate>;
  issues: ConfigIssue[];
  /** Accepted, but probably not what was meant (severity "warning"). */
  warnings: ConfigIssue[];
}

/**
 * Loads every *.yaml in the directories; a later directory may not redefine a name silently.
 * `rules` checks each template's default rules: alerting owns what a rule is and passes its compiler.
 */
export function loadTemplates(dirs: readonly string[], rules: TemplateRuleCompiler): TemplateSet {
  const templates = new Map<string, DeviceTemplate>();
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      issues.push({ file: dir, line: 1, column: 1, path: '', message: existsSync(dir) ? 'not a directory: "templates" lists directories of template files' : 'template directory does not exist' });
      continue;
    }
    for (const entry of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const source = YamlSource.read(join(dir, entry));
      const result = compileTemplate(source, rules);
      issues.push(...result.issues);
      warnings.push(...result.warnings);
      if (!result.template) continue;
      const existing = templates.get(result.template.name);
      if (existing) {
        issues.push(source.issueAt(['name'], `template "${result.template.name}" is already defined in ${existing.file}`));
        continue;
      }
      templates.set(result.template.name, result.template);
    }
  }
  return { templates, issues, warnings };
}
