// The marks of a merged document (what diffLines builds), and its two views. Twin of
// server/policypad/document/changes.py; docs/document-model.md ("Diff") has the rules.
//
// A merged document is in the line form and holds both revisions at once:
// - `diff`: on a run 'ins' (only in the new revision), 'del' (only in the old) or 'format'
//   (in both, formatted differently); on a line 'ins', 'del' or 'block';
// - `diff-before`: on a run or line in both revisions, the old attributes as canonical
//   JSON whenever they differ from the ones it carries; on a deleted line whose table ids
//   were renumbered to sit in the merged table, its old block attributes.
// Without the marks a run or line carries the new attributes (the old ones if deleted), so
// acceptLines(diffLines(a, b)) equals b and rejectLines(diffLines(a, b)) equals a.

import { mergeRuns } from './lines.js';
import { compareCodePoints } from './schema.js';

export const DIFF = 'diff';
export const DIFF_BEFORE = 'diff-before';
export const INSERTED = 'ins';
export const DELETED = 'del';
export const FORMATTED = 'format';
export const REBLOCKED = 'block';

/** Block keys compared by presence only: ids are renumbered whenever a table changes. */
export const TABLE_IDS = Object.freeze(['table', 'row', 'cell']);

/** Inline keys whose change alone is not marked: who typed a word is not a change to it. */
const INVISIBLE_INLINE_KEYS = new Set(['author']);

/**
 * Return attributes as canonical JSON: keys sorted by code point, no spaces (the same
 * bytes as Python's json.dumps(..., ensure_ascii=False, separators=(",", ":"))).
 * @param {Object<string, string>} attrs
 * @returns {string}
 */
export function encodeAttributes(attrs) {
  const keys = Object.keys(attrs).sort(compareCodePoints);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(attrs[key])}`).join(',')}}`;
}

/**
 * Return the attributes encodeAttributes wrote, or null if `text` is not such.
 * @param {unknown} text
 * @returns {Object<string, string>|null}
 */
export function decodeAttributes(text) {
  if (typeof text !== 'string') return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  if (!Object.values(value).every((v) => typeof v === 'string')) return null;
  return value;
}

/**
 * Return attributes without `diff` and `diff-before`.
 * @param {Object<string, string>} attrs
 * @returns {Object<string, string>}
 */
export function withoutMarks(attrs) {
  if (attrs[DIFF] === undefined && attrs[DIFF_BEFORE] === undefined) return attrs;
  const out = { ...attrs };
  delete out[DIFF];
  delete out[DIFF_BEFORE];
  return out;
}

/**
 * Whether two runs' attributes differ in a key a reader sees (not the author).
 * @param {Object<string, string>} old
 * @param {Object<string, string>} next
 * @returns {boolean}
 */
export function isVisibleInlineChange(old, next) {
  for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
    if (!INVISIBLE_INLINE_KEYS.has(key) && old[key] !== next[key]) return true;
  }
  return false;
}

/**
 * The block attributes a reader sees: table ids only as being in a table, row, cell; not
 * the author of the newline (pressing Enter at a line's end makes it the typist's, which
 * changes nothing a reader sees in that line).
 * @param {Object<string, string>} block
 * @returns {Object<string, string>}
 */
export function visibleBlock(block) {
  const out = {};
  for (const [key, value] of Object.entries(block)) {
    if (!INVISIBLE_INLINE_KEYS.has(key)) out[key] = TABLE_IDS.includes(key) ? '' : value;
  }
  return out;
}

/**
 * Whether two lines' block attributes differ in more than the table ids and author.
 * @param {Object<string, string>} old
 * @param {Object<string, string>} next
 * @returns {boolean}
 */
export function isVisibleBlockChange(old, next) {
  return encodeAttributes(visibleBlock(old)) !== encodeAttributes(visibleBlock(next));
}

/**
 * Return the new revision of a merged document: deletions dropped, marks removed.
 * @param {Array<[Array<[string, object]>, object]>} merged
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function acceptLines(merged) {
  const out = [];
  for (const [runs, block] of merged) {
    if (block[DIFF] === DELETED) continue;
    const kept = runs.filter(([, attrs]) => attrs[DIFF] !== DELETED).map(([text, attrs]) => [text, withoutMarks(attrs)]);
    out.push([mergeRuns(kept), withoutMarks(block)]);
  }
  return out;
}

/**
 * Return the old revision of a merged document: insertions dropped, old attributes back.
 * @param {Array<[Array<[string, object]>, object]>} merged
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function rejectLines(merged) {
  const out = [];
  for (const [runs, block] of merged) {
    if (block[DIFF] === INSERTED) continue;
    const kept = runs.filter(([, attrs]) => attrs[DIFF] !== INSERTED).map(([text, attrs]) => [text, before(attrs)]);
    out.push([mergeRuns(kept), before(block)]);
  }
  return out;
}

function before(attrs) {
  if (attrs[DIFF_BEFORE] !== undefined) {
    const old = decodeAttributes(attrs[DIFF_BEFORE]);
    if (old !== null) return old;
  }
  return withoutMarks(attrs);
}
