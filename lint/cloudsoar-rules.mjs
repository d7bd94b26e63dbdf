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
          ctx.report({
            message:
              'Boolean schema: write `not: {}` for false and `{}` for true; several generators refuse a document with boolean schemas.',
            location: ctx.location.child(where),
          });
        for (const key of SUBSCHEMA_KEYWORDS) if (typeof schema[key] === 'boolean') report([key]);
        for (const key of SUBSCHEMA_LIST_KEYWORDS) {
          if (!Array.isArray(schema[key])) continue;
          for (const [index, sub] of schema[key].entries()) if (typeof sub === 'boolean') report([key, index]);
        }
        for (const key of SUBSCHEMA_MAP_KEYWORDS) {
          for (const [name, sub] of Object.entries(schema[key] ?? {}))
            if (typeof sub === 'boolean') report([key, name]);
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
          ctx.report({
            message: 'An array needs `items` (a described `{}` when any value is allowed).',
            location: ctx.location.child(['type']),
          });
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
            const typedElsewhere = members.some(
              (other, at) => at !== index && ctx.resolve(other.properties?.[name]).node?.type !== undefined,
            );
            if (typedElsewhere) {
              ctx.report({
                message: `\`const\` on "${name}", which another allOf member types: write \`type\` and a one-value \`enum\` instead.`,
                location: ctx.location.child(['allOf', index]),
              });
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
    (existsSync(EVIDENCE_DIR) ? readdirSync(EVIDENCE_DIR) : [])
      .filter((name) => name.endsWith('.json') && name !== 'record.schema.json')
      .map((name) => `L-${name.slice(0, -'.json'.length)}`),
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
        const valid =
          ['E', 'O', 'P', 'L'].includes(evidence?.grade) &&
          Array.isArray(sources) &&
          sources.length > 0 &&
          sources.every((source) => /^(S\d+|L-[\w.-]+)$/.test(source));
        if (!valid) {
          ctx.report({
            message: 'x-evidence must be {grade: E|O|P, sources: [S1, …]} with at least one source.',
            location: ctx.location.child(['x-evidence']),
          });
          return;
        }
        const records = sources.filter((source) => source.startsWith('L-'));
        const unknown = records.filter((source) => !committedRecordKeys().has(source));
        if (unknown.length > 0 || (evidence.grade === 'L' && records.length === 0)) {
          const why =
            unknown.length > 0
              ? `${unknown.join(', ')} names no record in spec/evidence/`
              : 'grade L needs an L-<record> source';
          ctx.report({
            message: `x-evidence: ${why}; grade L comes only from committed observation records (npm run generate adds it).`,
            location: ctx.location.child(['x-evidence']),
          });
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
          ctx.report({
            message: `${String(ctx.key).toUpperCase()} ${path} has an id in its path but no 404 response.`,
            location: ctx.location.child(['responses']),
          });
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
      if (Object.keys(examples).length === 0)
        ctx.report({
          message: `${type} has no named example (\`examples\`).`,
          location: ctx.location.child(['content', type]),
        });
    }
    const isFile = types.every((type) => FILE_MEDIA_TYPES.includes(type));
    if (isFile) return;
    for (const type of ['application/json', 'application/xml']) {
      if (!content[type])
        ctx.report({
          message: `Every body that is not a file is offered as application/json and application/xml; ${type} is missing.`,
          location: ctx.location.child(['content']),
        });
    }
  };
  return { RequestBody: { enter: check }, Response: { enter: check } };
}

// ---------- Portability rules from trying the bundle in adopters' tools (issue 20) ----------

/** A schema that becomes a component: the root of its own file (source) or a components/schemas entry (bundle). */
function isNamedSchema(ctx) {
  const pointer = ctx.location.pointer;
  return pointer === '#/' || /^#\/components\/schemas\/[^/]+$/.test(pointer);
}

/** kubb 4.39 overflows its stack ("Maximum call stack size exceeded") on a component whose `type` lists several types. */
function NoListTypeComponent() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (!isNamedSchema(ctx) || !Array.isArray(schema.type)) return;
        if (schema.type.filter((type) => type !== 'null').length > 1) {
          ctx.report({
            message:
              'A named schema whose `type` lists several types crashes kubb: write the list where the schema is used (inline), or one type per component.',
            location: ctx.location.child(['type']),
          });
        }
      },
    },
  };
}

/**
 * kubb types `patternProperties` as an index signature: beside `additionalProperties` it is a
 * duplicate one (TS2374), beside optional properties they do not fit it (TS2411).
 */
function NoPatternPropertiesBesideProperties() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (schema.patternProperties === undefined) return;
        if (schema.properties !== undefined || schema.additionalProperties !== undefined) {
          ctx.report({
            message:
              "`patternProperties` beside `properties`/`additionalProperties` gives kubb's types clashing index signatures (TS2374, TS2411): describe the keys in `additionalProperties` instead.",
            location: ctx.location.child(['patternProperties']),
          });
        }
      },
    },
  };
}

/** openapi-zod-client 1.18 makes a discriminated union of `allOf` variants that throws on import and fails tsc (TS2740). */
function NoDiscriminatorOverAllOf() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (schema.discriminator === undefined) return;
        const variants = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
        if (variants.some((variant) => Array.isArray(ctx.resolve(variant).node?.allOf))) {
          ctx.report({
            message:
              '`discriminator` over variants written with `allOf` breaks openapi-zod-client: drop the discriminator (each variant pins the property with a one-value `enum`) or write the variants flat.',
            location: ctx.location.child(['discriminator']),
          });
        }
      },
    },
  };
}

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'];

/**
 * Scalar 1.46 reports "Expected union value" for an `allOf` with inline members and no `type`, for
 * a property whose `anyOf`/`oneOf` has inline members and no `type`, and for an untyped schema
 * (other than `{}`) inside an inline member. (A component's own `anyOf` of inline members, as in
 * IncidentList, passes; a `type` list there would crash kubb, see NoListTypeComponent.)
 */
function TypedComposition() {
  const isEmpty = (schema) => Object.keys(schema).length === 0;
  /** Reports every untyped schema under an inline composition member, without following `$ref`s. */
  function checkInline(schema, where, report) {
    if (typeof schema !== 'object' || schema === null || '$ref' in schema || isEmpty(schema)) return;
    if (schema.type === undefined)
      report(
        where,
        'A schema inside an inline `allOf`/`anyOf`/`oneOf` member needs `type` (a list of every type when any value is allowed)',
      );
    for (const key of COMPOSITIONS)
      for (const [index, member] of (Array.isArray(schema[key]) ? schema[key] : []).entries())
        checkInline(member, [...where, key, index], report);
    for (const key of ['properties', 'patternProperties'])
      for (const [name, property] of Object.entries(schema[key] ?? {}))
        checkInline(property, [...where, key, name], report);
    for (const key of ['items', 'additionalProperties', 'not']) checkInline(schema[key], [...where, key], report);
  }
  return {
    Schema: {
      enter(schema, ctx) {
        const report = (where, message) =>
          ctx.report({
            message: `${message}: Scalar refuses it ("Expected union value").`,
            location: ctx.location.child(where),
          });
        for (const key of COMPOSITIONS) {
          if (!Array.isArray(schema[key])) continue;
          const inline = schema[key]
            .map((member, index) => [member, index])
            .filter(([member]) => typeof member === 'object' && member !== null && !('$ref' in member));
          const needsType = key === 'allOf' || /\/properties\/[^/]+$/.test(ctx.location.pointer);
          if (inline.length > 0 && needsType && schema.type === undefined)
            report([key], `\`${key}\` with inline members needs \`type\` beside it`);
          for (const [member, index] of inline) {
            for (const [name, property] of Object.entries(member.properties ?? {}))
              checkInline(property, [key, index, 'properties', name], report);
            for (const child of ['items', 'additionalProperties'])
              checkInline(member[child], [key, index, child], report);
          }
        }
      },
    },
  };
}

/**
 * openapi-zod-client 1.18 turns an object with an `additionalProperties` schema into `z.record(that
 * schema)`, dropping `properties`: a declared property whose type that schema does not allow makes
 * every valid example fail to parse.
 */
function PropertiesFitAdditionalProperties() {
  /** The JSON types a schema can take, or undefined when it does not say. */
  function typesOf(schema, ctx, depth = 0) {
    const node = ctx.resolve(schema).node;
    if (typeof node !== 'object' || node === null || depth > 8) return undefined;
    if (node.type !== undefined)
      return new Set([node.type].flat().map((type) => (type === 'integer' ? 'number' : type)));
    if (Array.isArray(node.allOf)) return typesOf(node.allOf[0], ctx, depth + 1);
    const choices = node.anyOf ?? node.oneOf;
    if (!Array.isArray(choices)) return undefined;
    const union = new Set();
    for (const choice of choices) {
      const types = typesOf(choice, ctx, depth + 1);
      if (types === undefined) return undefined;
      for (const type of types) union.add(type);
    }
    return union;
  }
  return {
    Schema: {
      enter(schema, ctx) {
        const additional = schema.additionalProperties;
        if (typeof additional !== 'object' || additional === null || schema.properties === undefined) return;
        const allowed = typesOf(additional, ctx);
        if (allowed === undefined) return;
        for (const [name, property] of Object.entries(schema.properties)) {
          const types = typesOf(property, ctx);
          const misfits = [...(types ?? [])].filter((type) => !allowed.has(type));
          if (misfits.length > 0) {
            ctx.report({
              message: `"${name}" can be ${misfits.join('/')}, which the \`additionalProperties\` schema does not allow: openapi-zod-client types every key by that schema and refuses it. Widen it, or write \`additionalProperties: true\` and say the rest in the description.`,
              location: ctx.location.child(['properties', name]),
            });
          }
        }
      },
    },
  };
}

/** openapi-backend 5.21 (its ref parser) builds an invalid schema from a `$ref` with a sibling such as `description`. */
function NoRefSiblings() {
  // `xml` beside a `$ref` names the element of a property (src/xml/codec.ts); the tools tried read it.
  const allowed = new Set(['$ref', 'xml']);
  const check = (node, where, ctx) => {
    if (typeof node !== 'object' || node === null || typeof node.$ref !== 'string') return;
    const siblings = Object.keys(node).filter((key) => !allowed.has(key));
    if (siblings.length > 0)
      ctx.report({
        message: `\`$ref\` with ${siblings.map((key) => `\`${key}\``).join(', ')} beside it: openapi-backend cannot validate against it; wrap it (\`type\` + \`allOf: [$ref]\` + the keywords) or move the text to the parent.`,
        location: ctx.location.child([...where, siblings[0]]),
      });
  };
  return {
    Schema: {
      enter(schema, ctx) {
        for (const key of ['properties', 'patternProperties'])
          for (const [name, property] of Object.entries(schema[key] ?? {})) check(property, [key, name], ctx);
        for (const key of COMPOSITIONS)
          for (const [index, member] of (Array.isArray(schema[key]) ? schema[key] : []).entries())
            check(member, [key, index], ctx);
        for (const key of ['items', 'additionalProperties', 'not']) check(schema[key], [key], ctx);
      },
    },
    MediaType: { enter: (mediaType, ctx) => check(mediaType.schema, ['schema'], ctx) },
  };
}

/** openapi-to-postmanv2 6.3 keys requests by path segments: `/a` and `/a/` collide and one request is dropped. */
function NoTrailingSlashTwins() {
  return {
    Paths: {
      enter(paths, ctx) {
        const seen = new Map();
        for (const path of Object.keys(paths)) {
          const key = path.replace(/\/+$/, '');
          if (seen.has(key))
            ctx.report({
              message: `${path} and ${seen.get(key)} differ only by a trailing slash; Postman's converter keeps one of them. Describe one and name the other spelling in its description.`,
              location: ctx.location.child([path]).key(),
            });
          else seen.set(key, path);
        }
      },
    },
  };
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
        'no-list-type-component': NoListTypeComponent,
        'no-pattern-properties-beside-properties': NoPatternPropertiesBesideProperties,
        'no-discriminator-over-allof': NoDiscriminatorOverAllOf,
        'typed-composition': TypedComposition,
        'properties-fit-additional-properties': PropertiesFitAdditionalProperties,
        'no-ref-siblings': NoRefSiblings,
        'no-trailing-slash-twins': NoTrailingSlashTwins,
      },
    },
  };
}
