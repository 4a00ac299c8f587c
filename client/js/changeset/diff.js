import DiffMatchPatch from 'diff-match-patch';
// A small changeset between two texts, found with diff-match-patch. Twin of diff.py.
//
// The diff runs on UTF-16 code units (Python converts its strings to units to match);
// a boundary that falls inside a surrogate pair is then moved out of it.

import { Builder } from './builder.js';

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

/**
 * Return a small changeset that turns text `oldText` into text `newText`.
 * @param {string} oldText
 * @param {string} newText
 * @returns {string}
 * @throws {ChangesetError} if `newText` holds a lone surrogate where it differs
 */
export function changesetFromTexts(oldText, newText) {
  const builder = new Builder(oldText.length);
  for (const [equal, deleted, inserted] of diffGroups(oldText, newText)) {
    builder.keepText(equal);
    builder.removeText(deleted);
    if (inserted) builder.insert(inserted);
  }
  return builder.toString();
}
