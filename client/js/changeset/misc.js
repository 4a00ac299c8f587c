// Moving carets through a changeset, and moving changesets between attribute pools.
// Twin of ranges.py and transfer.py.

import { ChangesetError, KEEP, REMOVE, formatBase36 } from './base.js';
import { pack, unpack } from './core.js';
import { formatOps } from './ops.js';

/**
 * Return where the range [start, end) of the old text lies after `cs`.
 *
 * Etherpad's rules (drawn in ranges.py): text inserted or deleted before an end moves
 * it; a splice (deleted and/or inserted text between keeps) around the whole range, or
 * at a caret, collapses it to after the inserted text, or before it with
 * `insertionsAfter`; otherwise a non-empty range keeps out what is inserted at its
 * edges, and an end inside replaced text goes to the replacement's outer side (the
 * start after it, the end before it). Positions count UTF-16 units.
 * @param {string|import('./core.js').Changeset} cs
 * @param {number} start
 * @param {number} end
 * @param {boolean} [insertionsAfter]
 * @returns {[number, number]}
 * @throws {ChangesetError} if the range is outside the old text (Etherpad does not check)
 */
export function characterRangeFollow(cs, start, end, insertionsAfter = false) {
  const parsed = unpack(cs);
  if (!(start >= 0 && start <= end && end <= parsed.oldLen)) {
    throw new ChangesetError(`range ${start}..${end} is outside the text (0..${parsed.oldLen})`);
  }
  let shift = 0; // new length minus old length of the text before the splice at hand
  let newStart = null; // an end, once no later splice can move it
  let newEnd = null;
  for (const [spliceStart, spliceEnd, inserted] of splices(parsed.ops)) {
    if (spliceStart <= start && end <= spliceEnd) {
      // the range lies within the replaced text; later splices are past it
      const point = spliceStart + shift + (insertionsAfter ? 0 : inserted);
      return [point, point];
    }
    if (newStart === null && start < spliceEnd) {
      // replaced: after the new text; else before this splice, so before all the rest
      newStart = spliceStart < start ? spliceStart + shift + inserted : start + shift;
    }
    if (newEnd === null && (end < spliceEnd || end <= spliceStart)) {
      // before this splice it stays; inside it, it goes back to the splice's start
      newEnd = Math.min(end, spliceStart) + shift;
    }
    if (newStart !== null && newEnd !== null) return [newStart, newEnd];
    shift += inserted - (spliceEnd - spliceStart);
  }
  return [newStart ?? start + shift, newEnd ?? end + shift];
}

/** [start, end, inserted units] of each stretch of deletes and inserts between keeps. */
function* splices(ops) {
  let old = 0;
  let begin = null;
  let inserted = 0;
  for (const { opcode, chars } of ops) {
    if (opcode === KEEP) {
      if (begin !== null) yield [begin, old, inserted];
      begin = null;
      old += chars;
      continue;
    }
    if (begin === null) {
      begin = old;
      inserted = 0;
    }
    if (opcode === REMOVE) old += chars;
    else inserted += chars;
  }
  if (begin !== null) yield [begin, old, inserted];
}

const ATTRIB_NUM = /\*([0-9a-z]+)/g;

/**
 * Return an attribs or ops string with its numbers renumbered into `newPool`.
 *
 * Distinct pairs keep distinct numbers and attribute order is by key, so a
 * canonical input stays canonical. Pairs new to `newPool` are added in the order cited.
 * @param {string} attribs
 * @param {import('./pool.js').AttributePool} oldPool
 * @param {import('./pool.js').AttributePool} newPool
 * @returns {string}
 * @throws {ChangesetError} if a number is not in `oldPool`
 */
export function moveAttribsToPool(attribs, oldPool, newPool) {
  return attribs.replace(
    ATTRIB_NUM,
    (_, num) => `*${formatBase36(newPool.putAttrib(oldPool.getAttrib(parseInt(num, 36))))}`,
  );
}

/**
 * Return `cs` citing `newPool`'s numbers for the attributes it cites in `oldPool`.
 * @param {string|import('./core.js').Changeset} cs
 * @param {import('./pool.js').AttributePool} oldPool
 * @param {import('./pool.js').AttributePool} newPool
 * @returns {string}
 * @throws {ChangesetError} if `cs` is malformed or cites a number not in `oldPool`
 */
export function moveToPool(cs, oldPool, newPool) {
  const parsed = unpack(cs);
  const ops = moveAttribsToPool(formatOps(parsed.ops), oldPool, newPool);
  return pack(parsed.oldLen, parsed.newLen, ops, parsed.charBank);
}
