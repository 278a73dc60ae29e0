import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// The parts of the house, most specific first: a file belongs to the first folder that matches.
// partialMatch: false anchors each pattern at the repository root, so `collector` cannot match
// some nested folder that happens to share the name.
const ELEMENTS = [
  { type: 'common', pattern: 'common' },
  { type: 'driver', pattern: 'collector/drivers/(snmp|modbus)', capture: ['driver'] },
  // The registry lists the drivers, so it sits above them: drivers never import it. Element
  // patterns match folders; only the (deprecated) full mode matches these two files.
  { type: 'driver-registry', pattern: 'collector/drivers/{registry,sessions}.ts', mode: 'full' },
  { type: 'driver-shared', pattern: 'collector/drivers' },
  { type: 'collector', pattern: 'collector' },
  { type: 'alerting-core', pattern: 'alerting/core' },
  { type: 'alerting-notify', pattern: 'alerting/notify' },
  { type: 'alerting', pattern: 'alerting' },
  { type: 'api', pattern: 'api' },
  { type: 'reports', pattern: 'reports' },
  { type: 'dashboards', pattern: 'dashboards' },
  { type: 'app', pattern: 'app' },
  { type: 'mocks', pattern: 'mocks' },
  { type: 'cli', pattern: 'cli' },
].map((element) => (element.mode ? element : { ...element, partialMatch: false }));

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });

// Data flows one way (docs: STYLE.md "Which way the imports run"; plan-issue8 §3). Because the
// allow-list is a DAG, no cycle between top-level folders can form; import-x/no-cycle covers
// cycles inside a folder.
const ALLOWED = [
  { from: { element: { type: 'common' } }, allow: to('common') },
  {
    from: { element: { type: 'driver' } },
    allow: { to: { element: { type: 'driver', captured: { driver: '{{ from.captured.driver }}' } } } },
  },
  { from: { element: { type: 'driver' } }, allow: to('common', 'driver-shared') },
  { from: { element: { type: 'driver-shared' } }, allow: to('common', 'driver-shared') },
  { from: { element: { type: 'driver-registry' } }, allow: to('common', 'driver-registry', 'driver', 'driver-shared') },
  { from: { element: { type: 'collector' } }, allow: to('common', 'collector', 'driver-registry', 'driver', 'driver-shared') },
  { from: { element: { type: 'alerting-core' } }, allow: to('common', 'alerting-core') },
  { from: { element: { type: 'alerting-notify' } }, allow: to('common', 'alerting-core', 'alerting-notify', 'alerting') },
  { from: { element: { type: 'alerting' } }, allow: to('common', 'alerting-core', 'alerting-notify', 'alerting') },
  { from: { element: { type: 'api' } }, allow: to('common', 'api', 'alerting', 'alerting-core', 'reports') },
  // Reports and dashboards read what is stored (common/contracts/stored.ts) and the templates' contracts.
  { from: { element: { type: 'reports' } }, allow: to('common', 'reports') },
  { from: { element: { type: 'dashboards' } }, allow: to('common', 'dashboards', 'reports') },
  {
    from: { element: { type: 'app' } },
    allow: to('common', 'app', 'collector', 'driver-registry', 'driver', 'driver-shared', 'alerting', 'alerting-core', 'alerting-notify', 'api', 'reports', 'dashboards'),
  },
  { from: { element: { type: 'mocks' } }, allow: to('common', 'mocks', 'collector', 'driver-registry', 'driver', 'driver-shared') },
  {
    from: { element: { type: 'cli' } },
    allow: to('common', 'cli', 'app', 'mocks', 'collector', 'driver-registry', 'driver', 'driver-shared', 'alerting', 'alerting-core', 'alerting-notify', 'api', 'reports', 'dashboards'),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': ELEMENTS,
      // Silences the deprecation notice for driver-registry's `mode: 'full'` on every run.
      'boundaries/legacy-warnings': false,
      // Tests and benchmarks may reach anything: they wire parts together the way cli/ does.
      'boundaries/ignore': ['**/*.test.ts', 'test/**', 'bench/**', 'vitest.config.ts'],
      'import/resolver': { typescript: { alwaysTryTypes: true } },
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
      // Without these import-x cannot parse the .ts files it resolves to, and no-cycle sees no edges.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: ALLOWED }],
      'import-x/no-cycle': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
);
