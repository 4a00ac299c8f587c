import DiffMatchPatch from '../vendor/diff-match-patch.js';
// A small changeset between two texts, found with diff-match-patch. Twin of diff.py.
//
// The diff runs on UTF-16 code units (Python converts its strings to units to match);
// a boundary that falls inside a surrogate pair is then moved out of it.

import { attribsToPairs, pairsToAttribs } from './attributes.js';
import { Builder } from './builder.js';
import { parseOps } from './ops.js';

const EQUAL = 0;
const DELETE = -1;

const differ = new DiffMatchPatch();
// No deadline: a time-dependent diff would differ between runs and languages.
differ.Diff_Timeout = 0;

function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Return the diff of two texts as [equal, deleted, inserted] groups.
 *
 * No boundary splits a surrogate pair: an equal run ending in a high surrogate gives it
 * to the edit after it, and one starting with a low surrogate gives it to the edit before it.
 * @param {string} oldText
 * @param {string} newText
 * @returns {Array<[string, string, string]>}
 */
export function diffGroups(oldText, newText) {
  const groups = [['', '', '']];
  for (const diff of differ.diff_main(oldText, newText, false)) {
    const kind = diff[0];
    const piece = diff[1];
    if (kind === EQUAL) groups.push([piece, '', '']);
    else if (kind === DELETE) groups[groups.length - 1][1] += piece;
    else groups[groups.length - 1][2] += piece;
  }
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index];
    let equal = group[0];
    if (equal && isLow(equal.charCodeAt(0)) && index > 0) {
      const before = groups[index - 1];
      before[1] += equal[0];
      before[2] += equal[0];
      equal = equal.slice(1);
    }
    if (equal && isHigh(equal.charCodeAt(equal.length - 1))) {
      const high = equal[equal.length - 1];
      group[1] = high + group[1];
      group[2] = high + group[2];
      equal = equal.slice(0, -1);
    }
    group[0] = equal;
  }
  return groups;
}

// A text always ends with a newline. A diff may still delete that newline and end the text
// with an earlier one ("ab\ncd\n" -> "ab\n" deletes "cd\n"), or insert after it
// ("ab\n" -> "ab\n\n"). Each is valid alone, but merged with a concurrent edit (another
// user joining the last two lines) the result can lose its final newline, which no
// client can apply. So a session's own changes always keep the final newline: the same
// diff, with its last group turned around it.

/** diffGroups(oldText, newText), with the old text's final newline kept. */
export function diffGroupsKeepingFinalNewline(oldText, newText) {
  const groups = diffGroups(oldText, newText);
  const last = groups[groups.length - 1];
  const [equal, deleted, inserted] = last;
  if (!deleted && !inserted) return groups;
  if (deleted.endsWith('\n') && inserted.endsWith('\n')) {
    last[1] = deleted.slice(0, -1);
    last[2] = inserted.slice(0, -1);
  } else if (equal.endsWith('\n') && (deleted.endsWith('\n') || inserted.endsWith('\n'))) {
    // the newline before the change becomes the one kept at the end
    last[0] = equal.slice(0, -1);
    if (deleted) last[1] = `\n${deleted.slice(0, -1)}`;
    if (inserted) last[2] = `\n${inserted.slice(0, -1)}`;
  } else {
    return groups;
  }
  groups.push(['\n', '', '']);
  return groups;
}

/**
 * Return a small changeset that turns text `oldText` into text `newText`.
 * @param {string} oldText
 * @param {string} newText
 * @param {(a: string, b: string) => string[][]} [groups] the diff to build from
 *   (diffGroups; a session passes diffGroupsKeepingFinalNewline)
 * @returns {string}
 * @throws {ChangesetError} if `newText` holds a lone surrogate where it differs
 */
export function changesetFromTexts(oldText, newText, groups = diffGroups) {
  const builder = new Builder(oldText.length);
  for (const [equal, deleted, inserted] of groups(oldText, newText)) {
    builder.keepText(equal);
    builder.removeText(deleted);
    if (inserted) builder.insert(inserted);
  }
  return builder.toString();
}

/** Walks an attribution (insert ops) unit by unit, reporting attribute runs. */
class AttributionCursor {
  constructor(attribs) {
    this.ops = parseOps(attribs);
    this.index = 0;
    this.used = 0;
  }

  /** Consume `units`; return [units, attribs] runs covering them. */
  take(units) {
    const runs = [];
    while (units > 0) {
      const op = this.ops[this.index];
      const size = Math.min(op.chars - this.used, units);
      runs.push([size, op.attribs]);
      units -= size;
      this.used += size;
      if (this.used === op.chars) {
        this.index += 1;
        this.used = 0;
      }
    }
    return runs;
  }
}

/** The keep attribs that turn text attributed `oldAttribs` into text attributed `newAttribs`. */
function attributeChange(oldAttribs, newAttribs, pool) {
  if (oldAttribs === newAttribs) return '';
  const before = new Map(attribsToPairs(oldAttribs, pool));
  const after = new Map(attribsToPairs(newAttribs, pool));
  const pairs = [];
  for (const [key, value] of after) if (before.get(key) !== value) pairs.push([key, value]);
  for (const key of before.keys()) if (!after.has(key)) pairs.push([key, '']);
  return pairsToAttribs(pairs, pool);
}

/**
 * Return a small changeset turning AText `oldAText` into `newAText`, attributes included
 * (the twin of Python's changeset_from_atexts). Both cite `pool`. Text changes come from
 * the same diff as changesetFromTexts; kept text whose attributes differ gets a keep that
 * sets the new attributes and removes the others.
 * @param {{text: string, attribs: string}} oldAText
 * @param {{text: string, attribs: string}} newAText
 * @param {import('./pool.js').AttributePool} pool
 * @param {(a: string, b: string) => string[][]} [groups] as for changesetFromTexts
 * @returns {string}
 */
export function changesetFromATexts(oldAText, newAText, pool, groups = diffGroups) {
  const oldCursor = new AttributionCursor(oldAText.attribs);
  const newCursor = new AttributionCursor(newAText.attribs);
  const builder = new Builder(oldAText.text.length);
  for (const [equal, deleted, inserted] of groups(oldAText.text, newAText.text)) {
    if (equal) {
      const oldRuns = oldCursor.take(equal.length);
      const newRuns = newCursor.take(equal.length);
      let position = 0;
      while (oldRuns.length) {
        const units = Math.min(oldRuns[0][0], newRuns[0][0]);
        const change = attributeChange(oldRuns[0][1], newRuns[0][1], pool);
        builder.keepText(equal.slice(position, position + units), change || null);
        position += units;
        oldRuns[0][0] -= units;
        newRuns[0][0] -= units;
        if (!oldRuns[0][0]) oldRuns.shift();
        if (!newRuns[0][0]) newRuns.shift();
      }
    }
    if (deleted) {
      oldCursor.take(deleted.length);
      builder.removeText(deleted);
    }
    if (inserted) {
      let position = 0;
      for (const [units, attribs] of newCursor.take(inserted.length)) {
        builder.insert(inserted.slice(position, position + units), attribs || null);
        position += units;
      }
    }
  }
  return builder.toString();
}
