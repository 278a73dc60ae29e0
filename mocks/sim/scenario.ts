import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { projectRoot } from '../../common/config/project-root.js';
import { Duration } from '../../common/config/primitives.js';
import { parseDuration } from '../../common/config/units.js';
import { validateAgainst } from '../../common/config/validate.js';
import { YamlSource, type ConfigIssue } from '../../common/config/yaml-source.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import type { RoomSimulator } from './room-simulator.js';

export const SCENARIO_DIR = join(projectRoot(), 'mocks', 'scenarios');

const FaultName = Type.Union(FAULT_KINDS.map((k) => Type.Literal(k)), { description: FAULT_KINDS.join(', ') });
const Step = Type.Object(
  {
    at: Duration,
    fault: FaultName,
    target: Type.String({ minLength: 1, description: 'a device, room or site id, or "*"' }),
    for: Type.Optional(Duration),
  },
  { additionalProperties: false },
);
const ScenarioSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.String(),
    time_scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    steps: Type.Array(Step, { minItems: 1 }),
  },
  { additionalProperties: false },
);
type ScenarioInput = Static<typeof ScenarioSchema>;

/** A timeline of faults, in simulated time from the moment the scenario starts. */
export interface Scenario {
  name: string;
  description: string;
  timeScale?: number;
  steps: Array<{ atMs: number; fault: FaultKind; target: string; forMs?: number }>;
}

/** Loads a scenario by file path or by name from mocks/scenarios. */
export function loadScenario(nameOrPath: string): { scenario?: Scenario; issues: ConfigIssue[] } {
  const file = existsSync(nameOrPath) ? nameOrPath : join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  if (!existsSync(file)) return { issues: [{ file: nameOrPath, line: 1, column: 1, path: '', message: `no scenario file and no scenario of that name in ${SCENARIO_DIR}` }] };
  const source = YamlSource.read(file);
  if (source.syntaxIssues.length) return { issues: source.syntaxIssues };
  const raw = source.value as ScenarioInput;
  const issues = validateAgainst(ScenarioSchema, raw, source);
  if (issues.length) return { issues };
  return {
    issues: [],
    scenario: {
      name: raw.name,
      description: raw.description,
      timeScale: raw.time_scale,
      steps: raw.steps.map((s) => ({ atMs: parseDuration(s.at), fault: s.fault, target: s.target, forMs: s.for ? parseDuration(s.for) : undefined })),
    },
  };
}

/**
 * Starts a scenario now: its faults are placed on the simulated timeline at once (each with its
 * start and end), so nothing needs to fire later and a faster clock simply reaches them sooner.
 */
export function startScenario(simulator: RoomSimulator, scenario: Scenario): void {
  if (scenario.timeScale) simulator.clock.setScale(scenario.timeScale);
  const start = simulator.clock.now();
  for (const step of scenario.steps) simulator.inject(step.fault, step.target, step.forMs, start + step.atMs);
}
