// Pasting lines at a selection (client/js/document/paste.js): what a session does with a
// Word list it takes from an editor's paste.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highestIds, pasteLines } from '../../client/js/document/paste.js';

const p = (text, block = {}) => [text ? [[text, {}]] : [], block];
const LIST = [p('one', { list: 'number', start: '3' }), p('deep', { list: 'bullet', indent: '2' })];
const NO_IDS = { table: 0, row: 0, cell: 0 };
const textOf = (lines) => lines.map(([runs]) => runs.map(([text]) => text).join('')).join('\n');

test('into an empty line, the pasted lines replace it; the caret ends them', () => {
  const lines = [p('First.'), p(''), p('Last.')];
  const { lines: after, caret } = pasteLines(lines, { start: 7, end: 7 }, LIST, NO_IDS);
  assert.deepEqual(after, [p('First.'), ...LIST, p('Last.')]);
  assert.equal(caret, 'First.\none\ndeep'.length);
});

test('in the middle of a line, its two halves stay lines with its block', () => {
  const lines = [p('Heading', { heading: 'h2' })];
  const { lines: after, caret } = pasteLines(lines, { start: 4, end: 4 }, LIST, NO_IDS);
  assert.deepEqual(after, [p('Head', { heading: 'h2' }), ...LIST, p('ing', { heading: 'h2' })]);
  assert.equal(caret, 'Head\none\ndeep'.length);
});

test('at the end or the start of a line, no empty half is left', () => {
  const lines = [p('ab'), p('cd')];
  assert.equal(textOf(pasteLines(lines, { start: 2, end: 2 }, LIST, NO_IDS).lines), 'ab\none\ndeep\ncd');
  assert.equal(textOf(pasteLines(lines, { start: 3, end: 3 }, LIST, NO_IDS).lines), 'ab\none\ndeep\ncd');
});

test('a selection over lines is replaced, backwards or not', () => {
  const lines = [p('abc'), p('def'), p('ghi')];
  for (const selection of [{ start: 1, end: 6 }, { start: 6, end: 1 }]) {
    const { lines: after, caret } = pasteLines(lines, selection, LIST, NO_IDS);
    assert.equal(textOf(after), 'a\none\ndeep\nf\nghi');
    assert.equal(caret, 'a\none\ndeep'.length);
  }
});

test('offsets past the text are clamped to its end', () => {
  const { lines: after } = pasteLines([p('x')], { start: 99, end: 99 }, LIST, NO_IDS);
  assert.equal(textOf(after), 'x\none\ndeep');
});

test('runs keep their attributes when a line is cut, embeds count one', () => {
  const line = [[['bo', { bold: 'true' }], ['\uFFFC', { embed: 'br' }], ['ld', { bold: 'true' }]], {}];
  const { lines: after } = pasteLines([line], { start: 3, end: 3 }, LIST, NO_IDS);
  assert.deepEqual(after[0], [[['bo', { bold: 'true' }], ['\uFFFC', { embed: 'br' }]], {}]);
  assert.deepEqual(after[3], [[['ld', { bold: 'true' }]], {}]);
});

test('into a table cell or a quote, the pasted lines go into it', () => {
  const cell = { table: 't1', row: 'r1', cell: 'c2', th: 'true' };
  const { lines: after } = pasteLines([p('', cell)], { start: 0, end: 0 }, LIST, NO_IDS);
  assert.deepEqual(after.map(([, block]) => block), [
    { list: 'number', start: '3', ...cell }, { list: 'bullet', indent: '2', ...cell },
  ]);
  const quoted = pasteLines([p('', { quote: 'true' })], { start: 0, end: 0 }, LIST, NO_IDS).lines;
  assert.ok(quoted.every(([, block]) => block.quote === 'true'));
});

test('pasted tables get ids no line uses, and never nest in a cell', () => {
  const table = [p('a', { table: 't1', row: 'r1', cell: 'c1' })];
  const lines = [p('x', { table: 't1', row: 'r1', cell: 'c1' }), p('y', { table: 't4', row: 'r7', cell: 'c9' })];
  const used = highestIds(lines, [p('z', { table: 't5', row: 'r2', cell: 'c3' })]);
  assert.deepEqual(used, { table: 5, row: 7, cell: 9 });
  const { lines: after } = pasteLines(lines, { start: 1, end: 1 }, table, used);
  assert.deepEqual(after[1], p('a', { table: 't6', row: 'r8', cell: 'c10' }));
});
