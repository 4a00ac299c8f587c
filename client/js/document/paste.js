// Pasting lines into a document's lines at a selection: what a session does with a paste
// it takes over from the editor (Word's list paragraphs, which every editor's own paste
// flattens; see Session.paste).
//
// The pasted lines go in as blocks of their own. The text before the selection stays a
// line with its block attributes, and so does the text after it: the paragraph a list
// lands in never becomes a list item, nor does the list's first item join the paragraph.
// Pasted into an empty line, the lines replace it. Pasted into a table cell or a quote, they go into it
// (unless they bring tables of their own, which cannot nest). Their table, row and cell
// ids are moved past every id in use, so a pasted table never joins a neighbour.

import { appendShifted } from './incremental.js';
import { TABLE_KEYS } from './parse.js';

const ID_KEYS = ['table', 'row', 'cell'];
const NUMBERED_ID = /^[a-z]([0-9]+)$/;

/**
 * The highest table, row and cell numbers the ids in `lineLists` use ("t3" -> 3), so that
 * ids counted past them are new to all of them.
 * @param {...Array<[Array, object]>} lineLists
 * @returns {{table: number, row: number, cell: number}}
 */
export function highestIds(...lineLists) {
  const highest = { table: 0, row: 0, cell: 0 };
  for (const lines of lineLists) {
    for (const [, block] of lines) {
      for (const key of ID_KEYS) {
        const found = block[key] === undefined ? null : NUMBERED_ID.exec(block[key]);
        if (found !== null) highest[key] = Math.max(highest[key], Number(found[1]));
      }
    }
  }
  return highest;
}

/**
 * Return `lines` with `pasted` in place of the selection, and the offset just after the
 * pasted text (where the caret goes).
 * @param {Array<[Array<[string, object]>, object]>} lines the document's lines
 * @param {{start: number, end: number}} selection offsets into their text (a "\n" a line)
 * @param {Array<[Array<[string, object]>, object]>} pasted the pasted lines (ids from 1)
 * @param {{table: number, row: number, cell: number}} usedIds ids the pasted lines must
 *   not take (see highestIds)
 * @returns {{lines: Array, caret: number}}
 */
export function pasteLines(lines, selection, pasted, usedIds) {
  const from = Math.min(selection.start, selection.end);
  const to = Math.max(selection.start, selection.end);
  const [first, firstColumn, firstOffset] = lineAt(lines, from);
  const [last, lastColumn] = lineAt(lines, to);
  const head = sliceRuns(lines[first][0], 0, firstColumn);
  const tail = sliceRuns(lines[last][0], lastColumn, Infinity);

  const moved = [];
  appendShifted(moved, pasted, usedIds);
  const inside = containerOf(lines[first][1], pasted);
  const inserted = inside === null ? moved
    : moved.map(([runs, block]) => [runs, Object.freeze({ ...block, ...inside })]);

  const result = lines.slice(0, first);
  let caret = firstOffset;
  if (head.length > 0) {
    result.push([head, lines[first][1]]);
    caret += lineLength(head);
  }
  for (const line of inserted) {
    result.push(line);
    caret += lineLength(line[0]);
  }
  if (tail.length > 0) result.push([tail, lines[last][1]]);
  for (let index = last + 1; index < lines.length; index++) result.push(lines[index]);
  // the caret ends the last pasted line (before its newline)
  return { lines: result, caret: inserted.length > 0 ? caret - 1 : caret };
}

/** [line index, column, offset of the line's start] of `offset` (clamped to the text). */
function lineAt(lines, offset) {
  let start = 0;
  for (let index = 0; index < lines.length; index++) {
    const length = lineLength(lines[index][0]);
    if (offset < start + length || index === lines.length - 1) {
      return [index, Math.max(0, Math.min(offset - start, length - 1)), start];
    }
    start += length;
  }
  throw new RangeError('a document has at least one line');
}

/** The runs' characters from..to, as runs. */
function sliceRuns(runs, from, to) {
  const out = [];
  let start = 0;
  for (const [text, attrs] of runs) {
    const end = start + text.length;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) out.push([text.slice(a - start, b - start), attrs]);
    start = end;
  }
  return out;
}

/** What pasted lines take from the line they land in: its cell, or its quote. */
function containerOf(block, pasted) {
  if (block.table !== undefined) {
    if (pasted.some(([, line]) => line.table !== undefined)) return null;
    const cell = {};
    for (const key of TABLE_KEYS) if (block[key] !== undefined) cell[key] = block[key];
    return cell;
  }
  if (block.quote !== undefined) return { quote: block.quote };
  return null;
}

function lineLength(runs) {
  let length = 1;
  for (const [text] of runs) length += text.length;
  return length;
}
