// What a rich editor showed, as the session keeps it: its lines, with their text joined
// only when asked for; the changeset from one such projection to the next (only the lines
// that differ are diffed); and the model's lines moved through a change (only the lines it
// touches are converted again). Diffs keep the final newline (see
// diffGroupsKeepingFinalNewline).

import { applyToAText } from './changeset.js';
import { pack, unpack } from './changeset/core.js';
import {
  changesetFromATexts, changesetFromTexts, diffGroupsKeepingFinalNewline,
} from './changeset/diff.js';
import { OpAssembler } from './changeset/ops.js';
import { atextToLines, linesToAText } from './document/lines.js';

/**
 * What a rich editor showed: its lines; the text is joined only when asked for, from the
 * text of the `previous` projection where its lines are the same objects (an editor read
 * again hands back the lines it did not change).
 */
export class LineProjection {
  /**
   * @param {Array} lines what the editor showed
   * @param {LineProjection|null} [previous] the projection before (for the text)
   * @param {boolean} [residue] the editor held more than these lines (Document.residue)
   */
  constructor(lines, previous = null, residue = false) {
    this.lines = lines;
    this.residue = residue;
    this._text = null;
    this._length = -1;
    // kept only while its text is known, so projections never chain
    this._previous = previous !== null && previous._text !== null ? previous : null;
  }

  get text() {
    if (this._text === null) {
      const previous = this._previous;
      this._previous = null;
      this._text = previous === null ? joinLines(this.lines, 0, this.lines.length) : textAfter(previous, this.lines);
    }
    return this._text;
  }

  get length() {
    if (this._length < 0) {
      if (this._text !== null || this._previous !== null) {
        this._length = this.text.length;
      } else {
        let length = 0;
        for (const line of this.lines) length += lineLength(line);
        this._length = length;
      }
    }
    return this._length;
  }
}

/** The text of lines[start..end), a newline after each. */
function joinLines(lines, start, end) {
  const parts = [];
  for (let i = start; i < end; i++) {
    for (const [text] of lines[i][0]) parts.push(text);
    parts.push('\n');
  }
  return parts.join('');
}

/** The text of `lines`, from a projection whose text is known: only the lines that differ are joined. */
function textAfter(previous, lines) {
  const old = previous.lines;
  const text = previous.text;
  let start = 0;
  while (start < old.length && start < lines.length && old[start] === lines[start]) start += 1;
  let endOld = old.length;
  let endNew = lines.length;
  while (endOld > start && endNew > start && old[endOld - 1] === lines[endNew - 1]) {
    endOld -= 1;
    endNew -= 1;
  }
  let head = 0;
  for (let i = 0; i < start; i++) head += lineLength(old[i]);
  let tail = 0;
  for (let i = endOld; i < old.length; i++) tail += lineLength(old[i]);
  return text.slice(0, head) + joinLines(lines, start, endNew) + text.slice(text.length - tail);
}

function lineLength([runs]) {
  let length = 1;
  for (const [text] of runs) length += text.length;
  return length;
}

function sameAttrs(a, b) {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

function sameLine(a, b) {
  if (a === b) return true;
  const [runsA, blockA] = a;
  const [runsB, blockB] = b;
  if (runsA.length !== runsB.length || !sameAttrs(blockA, blockB)) return false;
  for (let i = 0; i < runsA.length; i++) {
    if (runsA[i][0] !== runsB[i][0] || !sameAttrs(runsA[i][1], runsB[i][1])) return false;
  }
  return true;
}

/**
 * The changeset from one projection to the next, cited in `pool`: the lines that differ
 * are found first (unchanged blocks come back as the same line objects, so this is a
 * quick walk from both ends), and only they are diffed, with their attributes.
 */
export function linesChangeset(before, after, pool) {
  const a = before.lines;
  const b = after.lines;
  let start = 0;
  while (start < a.length && start < b.length && sameLine(a[start], b[start])) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && sameLine(a[endA - 1], b[endB - 1])) {
    endA -= 1;
    endB -= 1;
  }
  if (start === endA && start === endB) return null;
  if (start === endA || start === endB) {
    // whole lines added or removed: diff them with a neighbour, so that neither side is empty
    if (endA < a.length) {
      endA += 1;
      endB += 1;
    } else {
      start -= 1;
    }
  }
  let prefix = 0;
  for (let i = 0; i < start; i++) prefix += lineLength(a[i]);
  const middle = unpack(atextChangeset(
    linesToAText(a.slice(start, endA), pool), linesToAText(b.slice(start, endB), pool), pool,
  ));
  const assembler = new OpAssembler();
  if (prefix > 0) assembler.append({ opcode: '=', chars: prefix, lines: start, attribs: '' });
  for (const op of middle.ops) assembler.append(op);
  const rest = before.length - prefix - middle.oldLen;
  return pack(before.length, prefix + middle.newLen + rest, assembler.toOps(), middle.charBank);
}

/** changesetFromTexts, keeping the final newline. */
export function textChangeset(oldText, newText) {
  return changesetFromTexts(oldText, newText, diffGroupsKeepingFinalNewline);
}

/** changesetFromATexts, keeping the final newline. */
export function atextChangeset(oldAText, newAText, pool) {
  return changesetFromATexts(oldAText, newAText, pool, diffGroupsKeepingFinalNewline);
}

/**
 * The lines of a document after `changeset`, from its lines before: the touched lines
 * are cut out as a small AText, changed, and converted back; the others are reused.
 * Throws if the change does not fit the lines (the caller then converts the whole text).
 */
export function linesAfter(lines, changeset, pool) {
  const parsed = unpack(changeset);
  const ops = parsed.ops;
  let line = 0; // newlines of the old text before the current op
  let consumed = 0; // old units before the current op
  let first = -1;
  let last = -1;
  let prefix = 0;
  let delta = 0; // newlines inserted minus newlines deleted
  for (const op of ops) {
    const change = !(op.opcode === '=' && op.attribs === '');
    if (change && first < 0) {
      first = line;
      prefix = consumed;
    }
    if (op.opcode === '+') {
      delta += op.lines;
    } else {
      line += op.lines;
      consumed += op.chars;
      if (op.opcode === '-') delta -= op.lines;
    }
    if (change) last = line;
  }
  if (first < 0) return lines; // no change at all
  last = Math.min(last, lines.length - 1);
  let lineStart = 0; // old units before line `first`
  for (let i = 0; i < first; i++) lineStart += lineLength(lines[i]);
  const region = lines.slice(first, last + 1);
  const before = linesToAText(region, pool);
  // the same ops on the region alone: the leading plain keeps (all before the first change,
  // `first` newlines in them) shrink to the part inside line `first`
  const assembler = new OpAssembler();
  let index = 0;
  while (index < ops.length && ops[index].opcode === '=' && ops[index].attribs === '') index += 1;
  if (prefix > lineStart) assembler.append({ opcode: '=', chars: prefix - lineStart, lines: 0, attribs: '' });
  for (; index < ops.length; index++) assembler.append(ops[index]);
  const change = pack(before.length, before.length + parsed.newLen - parsed.oldLen, assembler.toOps(), parsed.charBank);
  const after = atextToLines(applyToAText(change, before, pool), pool);
  if (after.length !== region.length + delta) throw new Error('lines out of step');
  return [...lines.slice(0, first), ...after, ...lines.slice(last + 1)];
}
