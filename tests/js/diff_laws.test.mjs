// Laws of the structure-aware diff (docs/document-model.md, "Diff"), checked with fast-check
// on random documents (random_documents.mjs) and random edits of them:
//
// - acceptLines(diffLines(a, b)) equals b and rejectLines(diffLines(a, b)) equals a;
// - diffLines(a, a) equals a: nothing marked;
// - text typed into one line marks as many inserted characters, and nothing else;
// - formatting set on a stretch marks `format` on characters only;
// - the merged table, less what is inserted, has the old table's rows and cells, and less
//   what is deleted the new one's.
// The Python twin checks the same laws with Hypothesis; the cross-language test checks that
// both give the same answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Document, acceptLines, diffLines, rejectLines } from '../../client/js/document.js';
import { DIFF, withoutMarks } from '../../client/js/document/changes.js';
import { normalizedDocument as randomDocument } from './random_documents.mjs';

const RUNS = 300;

// in the line form documents have: neighbouring runs of equal attributes joined
const normalizedDocument = randomDocument.map((lines) => Document.fromLines(lines).toLines());

const textOf = ([runs]) => runs.map(([text]) => text).join('');

/** Runs before and after code point `position` of a line's runs. */
function cut(runs, position) {
  const before = [];
  const after = [];
  let at = 0;
  for (const [text, attrs] of runs) {
    const points = Array.from(text);
    if (at + points.length <= position) before.push([text, attrs]);
    else if (at >= position) after.push([text, attrs]);
    else {
      before.push([points.slice(0, position - at).join(''), attrs]);
      after.push([points.slice(position - at).join(''), attrs]);
    }
    at += points.length;
  }
  return [before, after];
}

function merged(runs) {
  const out = [];
  for (const [text, attrs] of runs) {
    const last = out[out.length - 1];
    if (!text) continue;
    if (last !== undefined && JSON.stringify(last[1]) === JSON.stringify(attrs)) last[0] += text;
    else out.push([text, attrs]);
  }
  return out;
}

/**
 * An edit, as fast-check values picked once and applied to whatever document comes: the
 * numbers are taken modulo the sizes they index.
 */
const edit = fc.record({
  kind: fc.constantFrom('type', 'delete', 'format', 'block', 'insert line', 'delete line', 'split', 'join', 'delete row', 'add column', 'copy row'),
  line: fc.nat(),
  at: fc.nat(),
  length: fc.nat({ max: 8 }),
  text: fc.constantFrom('x', ' new words ', 'cats', 'é😀', 's'),
  flag: fc.constantFrom('bold', 'italic', 'code'),
  block: fc.constantFrom({}, { heading: '2' }, { list: 'bullet' }, { list: 'number' }, { quote: 'true' }, { pre: 'true' }),
});

function apply(lines, e) {
  if (lines.length === 0) return lines;
  const out = lines.map(([runs, block]) => [runs, block]);
  const index = e.line % out.length;
  const [runs, block] = out[index];
  const size = Array.from(textOf(out[index])).length;
  const at = e.at % (size + 1);
  switch (e.kind) {
    case 'type': {
      const [before, after] = cut(runs, at);
      out[index] = [merged([...before, [e.text, {}], ...after]), block];
      break;
    }
    case 'delete': {
      const [before, rest] = cut(runs, at);
      out[index] = [merged([...before, ...cut(rest, e.length)[1]]), block];
      break;
    }
    case 'format': {
      const [before, rest] = cut(runs, at);
      const [middle, after] = cut(rest, e.length);
      out[index] = [merged([...before, ...middle.map(([t, a]) => [t, { ...a, [e.flag]: 'true' }]), ...after]), block];
      break;
    }
    case 'block':
      if (block.table === undefined) out[index] = [runs, e.block];
      break;
    case 'insert line':
      out.splice(index, 0, [[[e.text.trim(), {}]], block.table === undefined ? e.block : block]);
      break;
    case 'delete line':
      if (out.length > 1) out.splice(index, 1);
      break;
    case 'split': {
      const [before, after] = cut(runs, at);
      out.splice(index, 1, [merged(before), block], [merged(after), { ...block }]);
      break;
    }
    case 'join':
      if (index + 1 < out.length) out.splice(index, 2, [merged([...runs, ...out[index + 1][0]]), out[index + 1][1]]);
      break;
    case 'delete row':
    case 'copy row':
    case 'add column': {
      if (block.row === undefined) break;
      const rowLines = out.filter(([, b]) => b.table === block.table && b.row === block.row);
      const first = out.indexOf(rowLines[0]);
      if (e.kind === 'delete row') out.splice(first, rowLines.length);
      else if (e.kind === 'copy row') {
        out.splice(first, 0, ...rowLines.map(([r, b]) => [r, { ...b, row: `${b.row}x`, cell: `${b.cell}x` }]));
      } else {
        // a new cell at the end of every row of the table
        for (let k = out.length - 1; k >= 0; k--) {
          const b = out[k][1];
          const next = out[k + 1];
          const lastOfRow = b.table === block.table && (next === undefined || next[1].row !== b.row || next[1].table !== b.table);
          if (lastOfRow) out.splice(k + 1, 0, [[[e.text.trim(), {}]], { table: b.table, row: b.row, cell: `${b.cell}+` }]);
        }
      }
      break;
    }
    default:
      break;
  }
  return out.length ? out : lines;
}

const pair = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(normalizedDocument, fc.array(edit, { minLength: 1, maxLength: 5 }))
      .map(([a, edits]) => [a, Document.fromLines(edits.reduce(apply, a)).toLines()]),
  },
  { weight: 1, arbitrary: fc.tuple(normalizedDocument, normalizedDocument) },
);

test('accepting gives the new revision, rejecting the old', () => {
  fc.assert(
    fc.property(pair, ([a, b]) => {
      const m = diffLines(a, b);
      assert.deepEqual(acceptLines(m), b);
      assert.deepEqual(rejectLines(m), a);
    }),
    { numRuns: RUNS * 2 },
  );
});

test('an unchanged document has no marks', () => {
  fc.assert(
    fc.property(normalizedDocument, (a) => {
      assert.deepEqual(diffLines(a, a), a);
    }),
    { numRuns: RUNS },
  );
});

const marksOf = (lines) => lines.flatMap(([runs, block]) => [...runs.map(([, a]) => a[DIFF]), block[DIFF]]).filter((m) => m !== undefined);

test('typed text is all that is marked', () => {
  fc.assert(
    fc.property(normalizedDocument, edit, (a, e) => {
      const b = Document.fromLines(apply(a, { ...e, kind: 'type' })).toLines();
      const m = diffLines(a, b);
      const inserted = m.flatMap(([runs]) => runs.filter(([, attrs]) => attrs[DIFF] === 'ins').map(([t]) => t)).join('');
      assert.equal(Array.from(inserted).length, Array.from(e.text).length);
      assert.ok(marksOf(m).every((mark) => mark === 'ins'));
    }),
    { numRuns: RUNS },
  );
});

test('formatting marks characters only', () => {
  fc.assert(
    fc.property(normalizedDocument, edit, (a, e) => {
      const m = diffLines(a, Document.fromLines(apply(a, { ...e, kind: 'format' })).toLines());
      assert.ok(marksOf(m).every((mark) => mark === 'format'));
    }),
    { numRuns: RUNS },
  );
});

/** Each line's text and the table, row and cell render puts it in (groups in order). */
function groupsOf(lines) {
  const counters = { table: 0, row: 0, cell: 0 };
  const previous = {};
  return lines.map((line) => {
    const place = [];
    let opened = false;
    for (const key of ['table', 'row', 'cell']) {
      const value = line[1][key];
      if (value === undefined) {
        previous[key] = undefined;
        place.push(null);
        continue;
      }
      if (opened || value !== previous[key]) {
        counters[key]++;
        opened = true;
      }
      previous[key] = value;
      place.push(counters[key]);
    }
    return [textOf(line), ...place];
  });
}

const shown = (m, dropped) =>
  m.filter(([, block]) => block[DIFF] !== dropped).map(([runs, block]) => [runs.filter(([, a]) => a[DIFF] !== dropped), withoutMarks(block)]);

test('tables stay tables in both views', () => {
  fc.assert(
    fc.property(normalizedDocument, edit, fc.constantFrom('delete row', 'copy row', 'add column'), (a, e, kind) => {
      const b = Document.fromLines(apply(a, { ...e, kind })).toLines();
      const m = diffLines(a, b);
      assert.deepEqual(groupsOf(shown(m, 'ins')), groupsOf(a));
      assert.deepEqual(groupsOf(shown(m, 'del')), groupsOf(b));
    }),
    { numRuns: RUNS },
  );
});

test("Enter pressed at a line's end marks only the new line, not the line it ends", () => {
  // the newline typed is the typist's: the block of the line it ends gains their author,
  // which a reader does not see (the Python twin has the same case)
  const old = [[[['Book.', {}]], {}]];
  const next = [[[['Book.', {}]], { author: 'a.bob' }], [[['Bob', { author: 'a.bob' }]], {}]];
  const m = diffLines(old, next);
  assert.deepEqual(marksOf(m), ['ins', 'ins']);
  assert.deepEqual(acceptLines(m), next);
  assert.deepEqual(rejectLines(m), old);
  // a heading made a paragraph by someone else still is a change
  const heading = diffLines([[[['T', {}]], { heading: '1', author: 'a.ann' }]], [[[['T', {}]], { author: 'a.bob' }]]);
  assert.deepEqual(marksOf(heading), ['block']);
});
