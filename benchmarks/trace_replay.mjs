#!/usr/bin/env node
// Replays a real editing trace through the JavaScript changeset engine and times it.
//
// Usage: node benchmarks/trace_replay.mjs [TRACE.json.gz]
// (default: ../shared/data/traces/automerge-paper.json.gz, relative to the repo root)
//
// Trace format: {startContent, endContent, txns: [{time, patches: [[pos, delCount, insText]]}]},
// positions in code points. The engine counts UTF-16 units, so positions are converted
// when the trace holds astral characters (the default trace is ASCII).
//
// Phases, each printed as "name: total seconds, µs per edit":
//   floor    plain string splicing of the whole trace (no engine)
//   engine   per patch: makeSplice on the AText, checkRep, applyToAText
//   compose  the engine's changesets composed in runs of 1000 consecutive edits
//            (pairwise, as a balanced tree)
// then one JSON line with the figures.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  AttributePool,
  applyToAText,
  applyToText,
  checkRep,
  compose,
  makeAText,
  makeSplice,
} from '../client/js/changeset.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tracePath = process.argv[2] ?? resolve(repoRoot, '../shared/data/traces/automerge-paper.json.gz');
const RUN = 1000;

const trace = JSON.parse(gunzipSync(readFileSync(tracePath)).toString('utf8'));
// The engine's documents end with a newline; when the trace's start does not, one is
// appended, and it stays last (no patch reaches past the trace's own text).
const addedNewline = !trace.startContent.endsWith('\n');
const startText = addedNewline ? `${trace.startContent}\n` : trace.startContent;
const expectedText = addedNewline ? `${trace.endContent}\n` : trace.endContent;
const patches = [];
for (const txn of trace.txns) for (const patch of txn.patches) patches.push(patch);
const edits = patches.length;
// Without astral characters a code point is one UTF-16 unit, so positions need no
// conversion (the default trace is ASCII); otherwise each patch converts, slowly.
const astral = /[\u{10000}-\u{10ffff}]/u;
const unitsAreCodePoints = !astral.test(trace.startContent + trace.endContent) && patches.every(([, , ins]) => !astral.test(ins));

// Code point position -> UTF-16 unit position in `text`.
function toUnits(text, pos) {
  let units = 0;
  for (let cp = 0; cp < pos; cp++) units += text.codePointAt(units) > 0xffff ? 2 : 1;
  return units;
}

function report(name, seconds) {
  console.log(`${name}: ${seconds.toFixed(3)} s, ${((seconds * 1e6) / edits).toFixed(2)} µs per edit`);
}

function check(ok, what) {
  if (!ok) {
    console.error(`FAILED: ${what}`);
    process.exit(1);
  }
}

// (a) floor: the cost of the edits on a plain string
let t0 = performance.now();
let plain = startText;
for (const [pos, del, ins] of patches) {
  const at = unitsAreCodePoints ? pos : toUnits(plain, pos);
  const end = unitsAreCodePoints ? pos + del : toUnits(plain, pos + del);
  plain = plain.slice(0, at) + ins + plain.slice(end);
}
const floorSeconds = (performance.now() - t0) / 1000;
check(plain === expectedText, 'floor: final text differs from endContent');
report('floor', floorSeconds);

// (b) engine: each patch as a changeset, checked and applied to the AText
const pool = new AttributePool();
const author = [['author', 'a1']];
const start = makeAText(startText);
const changesets = new Array(edits);
let atext = start;
t0 = performance.now();
for (let i = 0; i < edits; i++) {
  const [pos, del, ins] = patches[i];
  let at = pos;
  let units = del;
  if (!unitsAreCodePoints) {
    const text = atext.text;
    at = toUnits(text, pos);
    units = toUnits(text, pos + del) - at;
  }
  const cs = makeSplice(atext, at, units, ins, author, pool);
  checkRep(cs);
  atext = applyToAText(cs, atext, pool);
  changesets[i] = cs;
}
const engineSeconds = (performance.now() - t0) / 1000;
check(atext.text === expectedText, 'engine: final text differs from endContent');
report('engine', engineSeconds);

// (c) compose: runs of RUN consecutive changesets into one each
const composed = [];
t0 = performance.now();
for (let i = 0; i < edits; i += RUN) {
  // Pairwise, as a balanced tree (as the Python twin does): a left fold would re-walk
  // an ever-growing changeset for every edit of the run.
  let run = changesets.slice(i, i + RUN);
  while (run.length > 1) {
    const paired = [];
    for (let j = 0; j + 1 < run.length; j += 2) paired.push(compose(run[j], run[j + 1], pool));
    if (run.length % 2) paired.push(run[run.length - 1]);
    run = paired;
  }
  composed.push(run[0]);
}
const composeSeconds = (performance.now() - t0) / 1000;
let replay = start;
for (const cs of composed) replay = applyToAText(cs, replay, pool);
check(replay.text === atext.text, 'compose: the composed runs do not reproduce the final text');
check(replay.attribs === atext.attribs, 'compose: the composed runs do not reproduce the attribution');
check(applyToText(composed[0], start.text) === applyToAText(composed[0], start, pool).text, 'compose: text and AText disagree');
report('compose', composeSeconds);

console.log(
  JSON.stringify({
    lang: 'js',
    floor_s: +floorSeconds.toFixed(4),
    engine_s: +engineSeconds.toFixed(4),
    compose_s: +composeSeconds.toFixed(4),
    edits,
  }),
);
