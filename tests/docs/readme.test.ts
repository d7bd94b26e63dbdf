// The README cannot lie: every fenced block in it is checked, by default.
//   ```sh / bash / shell   run with bash against the mock (its http://127.0.0.1:4010 is the test's
//                          mock); each `curl` must answer 2xx, or the status `Prefer: code=` asks for.
//   ```ts                  type-checked with the client (tests/spec/code-samples.test.ts).
// A block that cannot run here is marked by an HTML comment on the line before it:
//   <!-- readme-check: commands (why) -->  needs a tenant or is `npm test` itself: bash must parse
//                                          it and every npm script it names must exist.
//   <!-- readme-check: output (what) -->   what a command prints; not run.
// Any other block, or an unknown mark, fails: a new block is covered or refused, never ignored.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mockUrl = inject('mockUrl');
const README_MOCK = 'http://127.0.0.1:4010';
const SHELL = new Set(['sh', 'bash', 'shell']);
const MARKS = new Set(['commands', 'output']);

interface ReadmeBlock {
  line: number;
  lang: string;
  mark: { kind: string; why: string } | undefined;
  source: string;
}

/** The fenced blocks of a Markdown text, each with its language and the readme-check mark before it. */
function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[index]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const end = lines.findIndex((text, at) => at > index && text.trim() === fence);
    if (end < 0) throw new Error(`README.md:${index + 1}: fence never closed`);
    let before = index - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const mark = /^\s*<!--\s*readme-check:\s*([\w-]+)\s*(.*?)\s*-->\s*$/.exec(lines[before] ?? '');
    blocks.push({
      line: index + 1,
      lang: lang!,
      mark: mark ? { kind: mark[1]!, why: mark[2]! } : undefined,
      source: lines
        .slice(index + 1, end)
        .map((text) => text.slice(indent!.length))
        .join('\n'),
    });
    index = end;
  }
  return blocks;
}

/** Sourced first: `curl` fails unless it gets 2xx or the status `Prefer: code=` asks for. */
const CHECKED_CURL = `. '${fileURLToPath(new URL('../support/checked-curl.sh', import.meta.url))}'`;

const run = promisify(execFile);
const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
const scripts = Object.keys(
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>,
);
const where = (block: ReadmeBlock) =>
  `README.md:${block.line} (${block.lang || 'no language'}${block.mark ? `, ${block.mark.kind}` : ''})`;

/** How a block is checked, or why it cannot be. */
function checkOf(block: ReadmeBlock): 'run' | 'typecheck' | 'commands' | 'output' | `refused: ${string}` {
  if (block.mark) {
    if (!MARKS.has(block.mark.kind))
      return `refused: unknown mark "${block.mark.kind}" (known: ${[...MARKS].join(', ')})`;
    if (!block.mark.why) return `refused: the mark says not why the block cannot run`;
    if (block.mark.kind === 'commands' && !SHELL.has(block.lang))
      return 'refused: a commands mark on a block that is not shell';
    return block.mark.kind as 'commands' | 'output';
  }
  if (SHELL.has(block.lang)) return 'run';
  if (block.lang === 'ts') return 'typecheck';
  return `refused: a ${block.lang || 'plain'} block with no readme-check mark`;
}

/** The npm scripts a shell text invokes (`npm start`, `npm test`, `npm run x`). */
function npmScriptsIn(source: string): string[] {
  return [...source.matchAll(/\bnpm\s+(?:run\s+([\w:.-]+)|(start|test)\b)/g)].map((match) => match[1] ?? match[2]!);
}

describe('README.md', () => {
  it('has blocks, each checked one way', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(
      blocks.map(checkOf).filter((check) => check.startsWith('refused')).length,
      blocks.map((block) => `${where(block)}: ${checkOf(block)}`).join('\n'),
    ).toBe(0);
    expect(blocks.filter((block) => checkOf(block) === 'run').length).toBeGreaterThan(0);
  });

  it('runs every shell block against the mock', async () => {
    const problems: string[] = [];
    await Promise.all(
      blocks
        .filter((block) => checkOf(block) === 'run')
        .map(async (block) => {
          const script = `set -eo pipefail\n${CHECKED_CURL}\n${block.source.replaceAll(README_MOCK, mockUrl)}`;
          await run('bash', ['-c', script], {
            cwd: root,
            env: { ...process.env, NODE_OPTIONS: '' },
            timeout: 60_000,
          }).catch((error: { stderr?: string; message: string }) =>
            problems.push(`${where(block)}: ${(error.stderr || error.message).trim().slice(-600)}`),
          );
        }),
    );
    expect(problems).toEqual([]);
  }, 90_000);

  it('parses every block marked "commands", and every npm script it names exists', async () => {
    const problems: string[] = [];
    for (const block of blocks.filter((candidate) => checkOf(candidate) === 'commands')) {
      await run('bash', ['-n', '-c', block.source]).catch((error: { stderr?: string }) =>
        problems.push(`${where(block)}: ${error.stderr}`),
      );
      for (const script of npmScriptsIn(block.source))
        if (!scripts.includes(script)) problems.push(`${where(block)}: npm script "${script}" does not exist`);
    }
    expect(problems).toEqual([]);
  });

  it('would refuse an unmarked block, a wrong curl claim and a missing npm script', async () => {
    const sample = readmeBlocks(
      'x\n\n```\nplain\n```\n\n<!-- readme-check: commands (needs a tenant) -->\n```sh\nnpm run no-such-script\n```\n',
    );
    expect(sample.map(checkOf)).toEqual(['refused: a plain block with no readme-check mark', 'commands']);
    expect(npmScriptsIn(sample[1]!.source).filter((script) => !scripts.includes(script))).toEqual(['no-such-script']);
    // The claim this test was written for: a request example's name is not a response example's.
    const claim = `curl -s -H "Authorization: Bearer demo-token" -H "Prefer: example=IncidentCreateByType" ${mockUrl}/incidents/8508/`;
    await expect(run('bash', ['-c', `set -eo pipefail\n${CHECKED_CURL}\n${claim}`])).rejects.toMatchObject({
      stderr: expect.stringContaining('curl answered HTTP 404, not 2xx'),
    });
  });
});
