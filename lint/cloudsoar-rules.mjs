// Custom Redocly rules (loaded by ../redocly.yaml) for what configurable rules cannot express:
// shapes that mainstream generators misread, and the project's own conventions on operations and
// bodies. Each rule says what to write instead.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EVIDENCE_DIR = fileURLToPath(new URL('../spec/evidence/', import.meta.url));

// Keywords whose value is one subschema or a list or map of them. `additionalProperties` and
// `unevaluatedProperties` are left out: `false` there is the conventional, universally read form.
const SUBSCHEMA_KEYWORDS = ['items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems'];
const SUBSCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas'];

/** `true`/`false` as a schema: openapi-python-client, openapi-pydantic and Optic refuse the document. */
function NoBooleanSchema() {
  return {
    Schema: {
      enter(schema, ctx) {
        const report = (where) =>
          ctx.report({ message: 'Boolean schema: write `not: {}` for false and `{}` for true; several generators refuse a document with boolean schemas.', location: ctx.location.child(where) });
        for (const key of SUBSCHEMA_KEYWORDS) if (typeof schema[key] === 'boolean') report([key]);
        for (const key of SUBSCHEMA_LIST_KEYWORDS) {
          if (!Array.isArray(schema[key])) continue;
          for (const [index, sub] of schema[key].entries()) if (typeof sub === 'boolean') report([key, index]);
        }
        for (const key of SUBSCHEMA_MAP_KEYWORDS) {
          for (const [name, sub] of Object.entries(schema[key] ?? {})) if (typeof sub === 'boolean') report([key, name]);
        }
      },
    },
  };
}

/** An array without `items`: Spectral's `array-items` fails it and openapi-python-client drops the model. */
function ArrayItems() {
  return {
    Schema: {
      enter(schema, ctx) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        if (types.includes('array') && schema.items === undefined && schema.prefixItems === undefined) {
          ctx.report({ message: 'An array needs `items` (a described `{}` when any value is allowed).', location: ctx.location.child(['type']) });
        }
      },
    },
  };
}

/**
 * `const` on a property that another `allOf` member gives a `type`: generators that merge allOf
 * members cannot merge a typed property with a literal ("str can't be merged with Literal[...]").
 * A one-value `enum` with the same `type` says the same and merges.
 */
function NoConstOverTypedBase() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (!Array.isArray(schema.allOf)) return;
        const members = schema.allOf.map((member) => ctx.resolve(member).node ?? {});
        members.forEach((member, index) => {
          for (const [name, property] of Object.entries(member.properties ?? {})) {
            const constant = ctx.resolve(property).node;
            if (!constant || typeof constant !== 'object' || !('const' in constant)) continue;
            const typedElsewhere = members.some((other, at) => at !== index && ctx.resolve(other.properties?.[name]).node?.type !== undefined);
            if (typedElsewhere) {
              ctx.report({ message: `\`const\` on "${name}", which another allOf member types: write \`type\` and a one-value \`enum\` instead.`, location: ctx.location.child(['allOf', index]) });
            }
          }
        });
      },
    },
  };
}

/** Record keys `L-<name>` for spec/evidence/<name>.json; read once, beside this file's copy of spec/. */
let recordKeys;
function committedRecordKeys() {
  recordKeys ??= new Set(
    (existsSync(EVIDENCE_DIR) ? readdirSync(EVIDENCE_DIR) : []).filter((name) => name.endsWith('.json') && name !== 'record.schema.json').map((name) => `L-${name.slice(0, -'.json'.length)}`),
  );
  return recordKeys;
}

/**
 * x-evidence is {grade: E|O|P, sources: [S<n>, …]} (see the legend in openapi.yaml). The build adds
 * grade L with `L-<record>` sources from spec/evidence/; an L must name committed records, so one
 * written by hand without a record is refused.
 */
function OperationEvidence() {
  return {
    Operation: {
      enter(operation, ctx) {
        const evidence = operation['x-evidence'];
        if (evidence === undefined) return; // rule/operation-has-evidence reports the missing extension
        const sources = evidence?.sources;
        const valid = ['E', 'O', 'P', 'L'].includes(evidence?.grade) && Array.isArray(sources) && sources.length > 0 && sources.every((source) => /^(S\d+|L-[\w.-]+)$/.test(source));
        if (!valid) {
          ctx.report({ message: 'x-evidence must be {grade: E|O|P, sources: [S1, …]} with at least one source.', location: ctx.location.child(['x-evidence']) });
          return;
        }
        const records = sources.filter((source) => source.startsWith('L-'));
        const unknown = records.filter((source) => !committedRecordKeys().has(source));
        if (unknown.length > 0 || (evidence.grade === 'L' && records.length === 0)) {
          const why = unknown.length > 0 ? `${unknown.join(', ')} names no record in spec/evidence/` : 'grade L needs an L-<record> source';
          ctx.report({ message: `x-evidence: ${why}; grade L comes only from committed observation records (npm run generate adds it).`, location: ctx.location.child(['x-evidence']) });
        }
      },
    },
  };
}

/** Every operation on a path with an id documents 404. */
function NotFoundOnIdPaths() {
  // Redocly visits each path item, then its operations (keyed by method): no method list needed here.
  let path = '';
  return {
    PathItem: {
      enter(_pathItem, ctx) {
        path = String(ctx.key);
      },
    },
    Operation: {
      enter(operation, ctx) {
        if (path.includes('{') && !('404' in (operation.responses ?? {}))) {
          ctx.report({ message: `${String(ctx.key).toUpperCase()} ${path} has an id in its path but no 404 response.`, location: ctx.location.child(['responses']) });
        }
      },
    },
  };
}

// A file has no JSON or XML form: uploads are multipart, downloads are bytes.
const FILE_MEDIA_TYPES = ['multipart/form-data', 'application/octet-stream'];

/**
 * Every request and response body has a named example in each media type, and is offered as both
 * `application/json` and `application/xml` unless it is a file.
 */
function BodyMediaTypes() {
  const check = (owner, ctx) => {
    const content = owner?.content;
    if (!content) return;
    const types = Object.keys(content);
    for (const type of types) {
      // In the bundle, XML examples sit in the body's `x-examples` (tools/kit/post-process.ts).
      const examples = { ...content[type]?.examples, ...owner['x-examples']?.[type] };
      if (Object.keys(examples).length === 0) ctx.report({ message: `${type} has no named example (\`examples\`).`, location: ctx.location.child(['content', type]) });
    }
    const isFile = types.every((type) => FILE_MEDIA_TYPES.includes(type));
    if (isFile) return;
    for (const type of ['application/json', 'application/xml']) {
      if (!content[type]) ctx.report({ message: `Every body that is not a file is offered as application/json and application/xml; ${type} is missing.`, location: ctx.location.child(['content']) });
    }
  };
  return { RequestBody: { enter: check }, Response: { enter: check } };
}

export default function cloudsoarRules() {
  return {
    id: 'cloudsoar',
    rules: {
      oas3: {
        'no-boolean-schema': NoBooleanSchema,
        'array-items': ArrayItems,
        'no-const-over-typed-base': NoConstOverTypedBase,
        'operation-evidence': OperationEvidence,
        'not-found-on-id-paths': NotFoundOnIdPaths,
        'body-media-types': BodyMediaTypes,
      },
    },
  };
}
