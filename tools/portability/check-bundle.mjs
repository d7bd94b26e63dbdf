// Runs on the Node from this package (node24): validates a bundled description with
// @apidevtools/swagger-parser and @readme/openapi-parser, and generates a hey-api client from it.
// Usage: check-bundle.mjs <openapi.yaml> <output dir>. Prints one JSON object: {tool: verdict}.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createClient } from '@hey-api/openapi-ts';
import { compileErrors, validate as readmeValidate } from '@readme/openapi-parser';
import ts from 'typescript';

const [input, output] = process.argv.slice(2).map((arg) => resolve(arg));
if (process.argv.length !== 4) {
  console.error('usage: check-bundle.mjs <openapi.yaml> <output dir>');
  process.exit(2);
}

const firstLines = (text, count = 12) => String(text).split('\n').slice(0, count).join('\n');

async function verdict(run) {
  try {
    return { ok: true, detail: (await run()) ?? '' };
  } catch (error) {
    return { ok: false, detail: firstLines(error?.message ?? error) };
  }
}

const results = {
  'swagger-parser': await verdict(() => SwaggerParser.validate(input).then(() => undefined)),
  'readme-parser': await verdict(async () => {
    const result = await readmeValidate(input);
    if (!result.valid) throw new Error(compileErrors(result));
    return result.warnings.length > 0 ? `${result.warnings.length} warnings` : undefined;
  }),
  'hey-api tsc': await verdict(async () => {
    await createClient({ input, output, logs: { level: 'silent' } });
    // What an adopter's strict project would compile: the generated types, SDK and fetch client.
    const files = readdirSync(output, { recursive: true })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(output, file));
    const options = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
    };
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram(files, options));
    if (diagnostics.length > 0)
      throw new Error(
        ts.formatDiagnostics(diagnostics, {
          getCanonicalFileName: (name) => name,
          getCurrentDirectory: () => output,
          getNewLine: () => '\n',
        }),
      );
    return `${files.length} files`;
  }),
};
console.log(JSON.stringify(results));
