// The shared document cases (tests/vectors/documents.json, written from the Python twin):
// the JavaScript model must give the same lines and the same HTML for each.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runDocumentCase } from './document_runner.mjs';

const VECTORS = new URL('../vectors/documents.json', import.meta.url);

if (!existsSync(VECTORS)) {
  test('documents.json is missing: nothing to compare', { skip: 'tests/vectors/documents.json not written yet' }, () => {});
} else {
  const { cases } = JSON.parse(readFileSync(VECTORS, 'utf8'));

  test('the shared document vectors are there', () => {
    assert.ok(Array.isArray(cases) && cases.length > 0);
  });

  for (const c of cases) {
    test(`vector: ${c.name}`, () => {
      const got = runDocumentCase(c);
      assert.deepEqual(got.lines, c.expect.lines, 'lines');
      assert.equal(got.html, c.expect.html, 'html');
    });
  }
}
