// The build puts each Markdown paragraph of a description on one line (tools/kit/post-process.ts):
// Redoc's search index drops soft line breaks, so its snippets ran words together
// ("closing_noteappears"). Only soft breaks inside paragraphs and list items may go.
import { expect, it } from 'vitest';
import { unwrapParagraphs } from '../../tools/kit/post-process.js';

it('joins soft-wrapped lines and leaves every other block as it is', () => {
  expect(unwrapParagraphs('with a `closing_note`\n  appears in Get Incident.\n\nNext\nparagraph.')).toBe(
    'with a `closing_note` appears in Get Incident.\n\nNext paragraph.',
  );
  expect(unwrapParagraphs('- item one\n  continues\n- item two')).toBe('- item one continues\n- item two');
  for (const untouched of [
    '| a | b |\n|---|---|\n| 1 | 2 |',
    'text:\n\n    code line\n    code 2\n\nafter',
    '```sh\nfoo\nbar\n```',
    'hard  \nbreak',
    '# Heading\ntext',
    'text\n- a list',
  ]) {
    expect(unwrapParagraphs(untouched)).toBe(untouched);
  }
});
