#!/usr/bin/env node
// Runs shared test-vector cases with the JavaScript engine, for the cross-language test.
// Usage: node tests/js/run_cases.mjs IN.json OUT.json
// IN.json holds a JSON array of cases; OUT.json gets the array of results, in order.
// A case that throws anything but ChangesetError stops the run (exit status 1).

import { readFileSync, writeFileSync } from 'node:fs';
import { runCase } from './vector_runner.mjs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: node tests/js/run_cases.mjs IN.json OUT.json\n');
  process.exit(2);
}
const cases = JSON.parse(readFileSync(input, 'utf8'));
if (!Array.isArray(cases)) {
  process.stderr.write(`${input}: expected a JSON array of cases\n`);
  process.exit(2);
}
const results = cases.map((c) => runCase(c));
writeFileSync(output, JSON.stringify(results));
