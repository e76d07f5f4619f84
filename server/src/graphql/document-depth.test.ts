import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocumentDepth, documentDepth, MAX_DOCUMENT_DEPTH } from './document-depth.ts';

test('braces, brackets and parentheses count; strings, block strings and comments do not', () => {
  assert.equal(documentDepth('{ cube(where: { a: { in: ["x"] } }) { events { count } } }'), 5);
  assert.equal(documentDepth('{ a(s: "{{{[[[\\"((") }'), 2);
  assert.equal(documentDepth('{ a(s: """ {{{ "" """) }'), 2);
  assert.equal(documentDepth('# {{{{{\n{ a }'), 1);
});

test('a document past the limit is a UserError; 30,000 levels are refused without recursion', () => {
  const nest = (n: number) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`;
  assert.doesNotThrow(() => checkDocumentDepth(nest(MAX_DOCUMENT_DEPTH)));
  assert.throws(() => checkDocumentDepth(nest(MAX_DOCUMENT_DEPTH + 1)), /nests deeper than 64 levels/);
  assert.throws(() => checkDocumentDepth(nest(30_000)), /nests deeper/);
});
