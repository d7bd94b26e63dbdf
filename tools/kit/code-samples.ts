// x-codeSamples for one operation, made from the spec itself: the first named request example, the
// examples of its parameters, and the first server of the path (or of the document). curl and
// Python `requests` follow the vendor's documentation; TypeScript uses this project's client.
// Hand-written rather than a snippet generator (httpsnippet): the vendor's token variable, the
// multipart upload as Sumo Logic's actions send it, and this client's calls are specific to this API.
import type { Json } from './spec.js';

const TOKEN_ENV = 'CLOUDSOAR_TOKEN';
const BASE_URL_ENV = 'CLOUDSOAR_BASE_URL';
const ACCESS_ID_ENV = 'CLOUDSOAR_ACCESS_ID';
const ACCESS_KEY_ENV = 'CLOUDSOAR_ACCESS_KEY';

function serverUrl(server: Json): string {
  return server.url.replace(/\{(\w+)\}/g, (_: string, name: string) => server.variables?.[name]?.default ?? name);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A Python literal for a JSON value, indented like black would. */
function python(value: unknown, indent = 0): string {
  const pad = '    '.repeat(indent + 1);
  const end = '    '.repeat(indent);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${pad}${python(item, indent + 1)},`).join('\n')}\n${end}]`;
  }
  const entries = Object.entries(value as object);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${pad}${JSON.stringify(key)}: ${python(item, indent + 1)},`).join('\n')}\n${end}}`;
}

/** A TypeScript literal for a JSON value (unquoted keys where they are identifiers). */
function typescript(value: unknown, indent = 0): string {
  const pad = '  '.repeat(indent + 1);
  const end = '  '.repeat(indent);
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${pad}${typescript(item, indent + 1)},`).join('\n')}\n${end}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replace(/'/g, "\\'")}'`);
  return `{\n${entries.map(([name, item]) => `${pad}${key(name)}: ${typescript(item, indent + 1)},`).join('\n')}\n${end}}`;
}

export interface SampleInput {
  /** The spec path, e.g. /incidents/{id}/ */
  path: string;
  /** Lower-case HTTP method. */
  method: string;
  /** Resolved parameters (path-level and operation-level), each with its example. */
  parameters: { name: string; in: string; example: unknown }[];
  /** The request example. */
  body: { mediaType: string; value: Json } | undefined;
  /** What the success answer is. */
  response: { binary: boolean; hasBody: boolean };
  /** The server of the operation (a path may override the document's). */
  server: Json;
  /** The document's first server, which the client is created for. */
  clientServer: Json;
}

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

export function codeSamples({
  path,
  method,
  parameters,
  body,
  response,
  server,
  clientServer,
}: SampleInput): CodeSample[] {
  const base = serverUrl(server);
  const clientBase = serverUrl(clientServer);
  const pathParams = Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.example]));
  const queryParams = Object.fromEntries(
    parameters.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, p.example]),
  );
  const concretePath = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(pathParams[name])));
  const query = new URLSearchParams(Object.entries(queryParams).map(([k, v]) => [k, String(v)])).toString();
  const url = `${base}${concretePath}${query ? `?${query}` : ''}`;
  const verb = method.toUpperCase();
  const multipart = body?.mediaType === 'multipart/form-data';

  // curl
  const curl = [`curl -X ${verb} ${shellQuote(url)}`, `  -H "Authorization: Bearer $${TOKEN_ENV}"`];
  curl.push(response.binary ? `  -H 'Accept: application/octet-stream'` : `  -H 'Accept: application/json'`);
  if (multipart) {
    for (const [name, value] of Object.entries(body!.value)) {
      curl.push(
        name === 'attachment'
          ? `  -F ${shellQuote(`attachment=@${body!.value.file_name ?? 'file.bin'};type=application/octet-stream`)}`
          : `  -F ${shellQuote(`${name}=${value}`)}`,
      );
    }
  } else if (body) {
    curl.push(`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(body.value, null, 2))}`);
  }
  if (response.binary) curl.push(`  -o ${shellQuote(body?.value?.file_name ?? 'attachment.bin')}`);

  // Python: base URL and credentials from the environment, both authentication styles, runs as is.
  const py = [
    'import os',
    '',
    'import requests',
    '',
    `# ${BASE_URL_ENV}: e.g. ${base}`,
    '# (SaaS: https://api.us2.sumologic.com/api/csoar/v3, with your deployment in the host)',
    `BASE_URL = os.environ["${BASE_URL_ENV}"].rstrip("/")`,
    'session = requests.Session()',
    `if os.environ.get("${TOKEN_ENV}"):  # legacy and hosted instances: your API token`,
    `    session.headers["Authorization"] = f"Bearer {os.environ['${TOKEN_ENV}']}"`,
    'else:  # SaaS: a Sumo Logic access id and key (HTTP Basic)',
    `    session.auth = (os.environ["${ACCESS_ID_ENV}"], os.environ["${ACCESS_KEY_ENV}"])`,
    `session.headers["Accept"] = ${response.binary ? '"application/octet-stream"' : '"application/json"'}`,
    '',
  ];
  const pyArgs = [`f"{BASE_URL}${concretePath}"`];
  if (Object.keys(queryParams).length > 0) {
    // As the URL carries them: requests would send a Python True as "True".
    py.push(
      `params = ${python(Object.fromEntries(Object.entries(queryParams).map(([name, value]) => [name, String(value)])))}`,
    );
    pyArgs.push('params=params');
  }
  if (multipart) {
    const { attachment: _file, ...fields } = body!.value;
    const fileName = body!.value.file_name ?? 'file.bin';
    py.push(`data = ${python(fields)}`);
    py.push(`# The file's name and bytes; for a file on disk: open(${JSON.stringify(fileName)}, "rb").read()`);
    py.push(
      `files = {"attachment": (${JSON.stringify(fileName)}, b"Example attachment content", "application/octet-stream")}`,
    );
    pyArgs.push('data=data', 'files=files');
  } else if (body) {
    py.push(`payload = ${python(body.value)}`);
    pyArgs.push('json=payload');
  }
  pyArgs.push('timeout=30');
  py.push(`response = session.${method}(${pyArgs.join(', ')})`, 'response.raise_for_status()');
  if (response.binary)
    py.push(`with open(${JSON.stringify('attachment.bin')}, "wb") as out:`, '    out.write(response.content)');
  else if (response.hasBody) py.push('print(response.json() if response.content else response.status_code)');
  else py.push('print(response.status_code)');

  // TypeScript (this project's client)
  const ts = [
    "import { createCloudSoarClient } from 'cloudsoar-v3';",
    '',
    'const soar = createCloudSoarClient({',
    `  baseUrl: '${clientBase}',`,
    `  token: process.env.${TOKEN_ENV} ?? '',`,
    '});',
    '',
  ];
  if (multipart) ts.splice(1, 0, "import { uploadAttachment } from 'cloudsoar-v3/helpers';");
  const params: Json = {};
  if (Object.keys(pathParams).length > 0) params.path = pathParams;
  if (Object.keys(queryParams).length > 0) params.query = queryParams;
  if (multipart) {
    const { attachment: _file, file_name: fileName, additional_info: additionalInfo, reference } = body!.value;
    ts.push(
      `const file = new Blob([await (await import('node:fs/promises')).readFile('${fileName}')]);`,
      `const { data, error } = await uploadAttachment(soar, '${path}', {`,
      `  params: ${typescript({ path: pathParams }, 1)},`,
      `  file,`,
      `  fileName: '${fileName}',`,
      ...(additionalInfo !== undefined ? [`  additionalInfo: ${typescript(additionalInfo)},`] : []),
      ...(reference !== undefined ? [`  reference: ${typescript(reference)},`] : []),
      '});',
    );
  } else {
    const init: string[] = [];
    if (base !== clientBase) init.push(`  baseUrl: '${base}',`);
    if (Object.keys(params).length > 0) init.push(`  params: ${typescript(params, 1)},`);
    if (body) init.push(`  body: ${typescript(body.value, 1)},`);
    if (response.binary) init.push(`  parseAs: 'blob',`);
    ts.push(
      init.length > 0
        ? `const { data, error } = await soar.${verb}('${path}', {\n${init.join('\n')}\n});`
        : `const { data, error } = await soar.${verb}('${path}');`,
    );
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the sample's own template literal
  ts.push('if (error) throw new Error(`Cloud SOAR answered ${JSON.stringify(error)}`);', 'console.log(data);');

  return [
    { lang: 'Shell', label: 'curl', source: curl.join(' \\\n') },
    { lang: 'Python', label: 'Python (requests)', source: py.join('\n') },
    { lang: 'TypeScript', label: 'TypeScript (cloudsoar-v3)', source: ts.join('\n') },
  ];
}
