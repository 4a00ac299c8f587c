// The shared test vectors (tests/vectors/changesets.json), answered by the JavaScript
// engine: each case's answer must equal its `expect`, which the Python engine wrote.
// One subtest per case, named by the case. POLICYPAD_VECTORS=path runs another file.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCase } from './vector_runner.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const vectorsPath = process.env.POLICYPAD_VECTORS ?? resolve(here, '../vectors/changesets.json');

test('changeset vectors', { skip: existsSync(vectorsPath) ? false : `no ${vectorsPath}` }, async (t) => {
  const { cases } = JSON.parse(readFileSync(vectorsPath, 'utf8'));
  assert.ok(Array.isArray(cases) && cases.length > 0, 'the vectors file holds no cases');
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.deepStrictEqual(runCase(c), c.expect);
    });
  }
});
