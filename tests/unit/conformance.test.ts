// The conformance check must be able to fail: each departure from the spec is reported.
import { describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { conformanceProblems } from '../../tools/kit/contract/conformance.js';

const spec = await loadBundledSpec();
const incident = spec.document.components.examples.Incident.value;

describe('conformanceProblems', () => {
  it('accepts the spec’s own example', () => {
    expect(
      conformanceProblems(spec, {
        operationId: 'incidents_retrieve',
        status: 200,
        contentType: 'application/json',
        body: incident,
      }),
    ).toEqual([]);
  });

  it('reports a body that violates the schema, naming the field', () => {
    const problems = conformanceProblems(spec, {
      operationId: 'incidents_retrieve',
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: { ...incident, id: '8508' },
    });
    expect(problems.join('\n')).toMatch(/body\/id must be integer/);
  });

  it('reports a missing required field', () => {
    const { id: _id, ...withoutId } = incident;
    const problems = conformanceProblems(spec, {
      operationId: 'incidents_retrieve',
      status: 200,
      contentType: 'application/json',
      body: withoutId,
    });
    expect(problems.join('\n')).toMatch(/must have required property 'id'/);
  });

  it('reports an undocumented status', () => {
    expect(
      conformanceProblems(spec, {
        operationId: 'incidents_list',
        status: 404,
        contentType: 'application/json',
        body: {},
      }),
    ).toEqual(['incidents_list: status 404 is not documented']);
  });

  it('reports an undocumented media type', () => {
    const problems = conformanceProblems(spec, {
      operationId: 'incidents_retrieve',
      status: 200,
      contentType: 'text/html',
      body: '<html></html>',
    });
    expect(problems).toEqual([
      'incidents_retrieve 200: Content-Type text/html is not documented (documented: application/json, application/xml)',
    ]);
  });

  it('reports an error body that is neither error shape', () => {
    const problems = conformanceProblems(spec, {
      operationId: 'incidents_retrieve',
      status: 404,
      contentType: 'application/json',
      body: { detail: 'Not found.' },
    });
    expect(problems.length).toBeGreaterThan(0);
  });

  it('reports a body where the spec documents none', () => {
    const problems = conformanceProblems(spec, {
      operationId: 'incidents_folder_partial_update',
      status: 204,
      contentType: null,
      body: { moved: true },
    });
    expect(problems).toEqual(['incidents_folder_partial_update 204: a body came back where none is documented']);
  });
});
