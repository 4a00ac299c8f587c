// The JavaScript half of benchmarks/diff_bench.py: diffs the same pairs of revisions with
// diffHtml and prints {"ms": [...]} (wall-clock milliseconds per diff, in pair order).
// Usage: node benchmarks/diff_bench.mjs PAIRS.json  (written by diff_bench.py)

import { readFileSync } from 'node:fs';
import { Document, diffHtml } from '../client/js/document.js';

const { texts, pairs } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = texts.map((text) => Document.fromText(text).toLines());
for (const [a, b] of pairs.slice(0, 5)) diffHtml(documents[a], documents[b]); // warm-up
const ms = pairs.map(([a, b]) => {
  const began = performance.now();
  diffHtml(documents[a], documents[b]);
  return performance.now() - began;
});
process.stdout.write(JSON.stringify({ ms }));
