// `npm run lint` guards the spec; this proves it fails on what it must catch, on a mutated copy.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const redocly = join(createRequire(import.meta.url).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mutate(file: string, from: string, to: string) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`mutation target not found in ${file}: ${from}`);
  writeFileSync(path, text.replace(from, to));
}

// Each break, where it is made, and the rule that must report it; one lint run covers them all.
const BREAKS: { rule: string; file: string; from: string; to: string }[] = [
  {
    rule: 'no-invalid-media-type-examples',
    file: 'spec/components/examples/FolderMove.yaml',
    from: 'folder_id: 4',
    to: 'folder_id: four',
  },
  {
    rule: 'rule/operation-has-evidence',
    file: 'spec/paths/folders/folders.yaml',
    from: '  x-evidence:\n    grade: E\n    sources:\n      - S7\n',
    to: '',
  },
  {
    rule: 'rule/operation-id-drf-spectacular',
    file: 'spec/paths/users/users.yaml',
    from: 'operationId: users_list',
    to: 'operationId: listUsers',
  },
  {
    rule: 'rule/operation-has-error-set',
    file: 'spec/paths/users/groups.yaml',
    from: "    '429':\n      $ref: ../../components/responses/TooManyRequests.yaml\n",
    to: '',
  },
  // Portability: what openapi-python-client, Spectral and the generators refuse or misread.
  {
    rule: 'cloudsoar/no-boolean-schema',
    file: 'spec/components/schemas/IncidentCreateFromTemplate.yaml',
    from: '  incident_type:\n    # `not: {}` rather than the boolean schema `false`: the same meaning, and every generator reads it.\n    not: {}\n    description: Not allowed here;',
    to: '  incident_type: false\n  unrelated:\n    description: Not allowed here;',
  },
  {
    rule: 'cloudsoar/array-items',
    file: 'spec/components/schemas/WrappedValue.yaml',
    from: '    items:\n      description: One entry of a list field; its type depends on the field.\n',
    to: '',
  },
  {
    rule: 'cloudsoar/no-const-over-typed-base',
    file: 'spec/components/schemas/PlaybookStartNode.yaml',
    from: '        type: string\n        enum:\n          - devs.Start\n',
    to: '        const: devs.Start\n',
  },
  {
    rule: 'rule/no-path-servers',
    file: 'spec/paths/entities/entities_{id}.yaml',
    from: 'parameters:\n',
    to: 'servers:\n  - url: https://legacy.invalid/api/v2\nparameters:\n',
  },
  {
    rule: 'rule/no-operation-servers',
    file: 'spec/paths/incident-templates/incident_templates.yaml',
    from: '  operationId: ',
    to: '  servers:\n    - url: https://legacy.invalid/api/v2\n  operationId: ',
  },
  // Portability: what kubb, openapi-zod-client, Scalar, openapi-backend and Postman's converter broke on.
  {
    rule: 'cloudsoar/no-list-type-component',
    file: 'spec/components/schemas/PlaybookPosition.yaml',
    from: 'title: PlaybookPosition\ntype: object\n',
    to: 'title: PlaybookPosition\ntype:\n  - object\n  - string\n',
  },
  {
    rule: 'cloudsoar/no-pattern-properties-beside-properties',
    file: 'spec/components/schemas/TriageEventUpdate.yaml',
    from: 'additionalProperties:\n',
    to: 'patternProperties:\n  "^opt_([1-9][0-9]?|100)$":\n    type: string\nadditionalProperties:\n',
  },
  {
    rule: 'cloudsoar/no-discriminator-over-allof',
    file: 'spec/components/schemas/PlaybookNode.yaml',
    from: 'xml:\n  name: node\n',
    to: 'discriminator:\n  propertyName: type\nxml:\n  name: node\n',
  },
  {
    rule: 'cloudsoar/typed-composition',
    file: 'spec/components/schemas/PlaybookEndNode.yaml',
    from: 'type: object\nallOf:\n',
    to: 'allOf:\n',
  },
  {
    rule: 'cloudsoar/typed-composition',
    file: 'spec/components/schemas/PlaybookUserChoiceNode.yaml',
    from: '        description: Who may answer.\n        type:\n',
    to: '        description: Who may answer.\n        x-type:\n',
  },
  {
    rule: 'cloudsoar/properties-fit-additional-properties',
    file: 'spec/components/schemas/TimelineEvent.yaml',
    from: 'additionalProperties: true\n',
    to: 'additionalProperties:\n  $ref: ./WrappedValue.yaml\n',
  },
  {
    rule: 'cloudsoar/no-ref-siblings',
    file: 'spec/components/schemas/Incident.yaml',
    from: '  description:\n    $ref: ./WrappedString.yaml\n',
    to: '  description:\n    $ref: ./WrappedString.yaml\n    description: Short description.\n',
  },
  {
    rule: 'cloudsoar/no-trailing-slash-twins',
    file: 'spec/openapi.yaml',
    from: '  /webhook:\n    $ref: paths/webhook/webhook.yaml\n',
    to: '  /webhook:\n    $ref: paths/webhook/webhook.yaml\n  /webhook/:\n    $ref: paths/webhook/webhook.yaml\n',
  },
  // Conventions that tests/spec/rules.test.ts used to check.
  {
    rule: 'cloudsoar/operation-evidence',
    file: 'spec/paths/entities/entities_{id}.yaml',
    from: '    grade: E\n',
    to: '    grade: X\n',
  },
  {
    rule: 'cloudsoar/operation-evidence',
    file: 'spec/paths/users/users.yaml',
    from: '    grade: P\n    sources:\n      - S13\n',
    to: '    grade: L\n    sources:\n      - L-2026-11-28-probe-nowhere\n',
  },
  {
    rule: 'cloudsoar/not-found-on-id-paths',
    file: 'spec/paths/entities/entities_{id}.yaml',
    from: "    '404':\n      $ref: ../../components/responses/NotFound.yaml\n",
    to: '',
  },
  {
    rule: 'cloudsoar/body-media-types',
    file: 'spec/paths/folders/folders.yaml',
    from: '        application/xml: *response\n',
    to: '',
  },
];

it('lint fails on each break of a rule: examples, evidence, ids, error sets, portability, conventions', () => {
  cpSync(join(root, 'spec'), join(dir, 'spec'), { recursive: true });
  cpSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  cpSync(join(root, 'lint'), join(dir, 'lint'), { recursive: true });
  for (const { file, from, to } of BREAKS) mutate(file, from, to);
  const result = spawnSync(process.execPath, [redocly, 'lint', 'spec/openapi.yaml', '--format=json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  expect(result.status).not.toBe(0);
  const problems: { ruleId: string; location: { source: { ref: string } }[] }[] = JSON.parse(result.stdout).problems;
  const reported = new Set(
    problems.map(({ ruleId, location }) => `${ruleId} ${location[0]?.source.ref.replace(/^.*?spec\//, 'spec/')}`),
  );
  const missed = BREAKS.filter(({ rule, file }) => !reported.has(`${rule} ${file}`)).map(
    ({ rule, file }) => `${rule} in ${file}`,
  );
  expect(missed).toEqual([]);
});
