#!/usr/bin/env node
// Runs diff cases with the JavaScript diff, for the cross-language test.
// Usage: node tests/js/run_diffs.mjs IN.json OUT.json
// IN.json holds a JSON array of {old, new} line forms; OUT.json gets [{merged, html}, ...].

import { readFileSync, writeFileSync } from 'node:fs';
import { diffHtml, diffLines } from '../../client/js/document.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: node tests/js/run_diffs.mjs IN.json OUT.json\n');
  process.exit(2);
}
const cases = JSON.parse(readFileSync(input, 'utf8'));
const results = cases.map((c) => ({ merged: diffLines(c.old, c.new), html: diffHtml(c.old, c.new) }));
writeFileSync(output, JSON.stringify(results));
