// Moving carets through a changeset, and moving changesets between attribute pools.
// Twin of ranges.py and transfer.py.

import { ChangesetError, INSERT, REMOVE, formatBase36 } from './base.js';
import { pack, unpack } from './core.js';
import { formatOps } from './ops.js';

/**
 * Return where the range [start, end) of the old text lies after `cs`.
 *
 * Text inserted before a position moves it right; text deleted around it pulls it to
 * the deletion's start. Text inserted exactly at a position moves it right too, unless
 * `insertionsAfter` (then the insertion lands after the position, which stays). Both
 * ends follow the same rule. Positions count UTF-16 units.
 * @param {string|import('./core.js').Changeset} cs
 * @param {number} start
 * @param {number} end
 * @param {boolean} [insertionsAfter]
 * @returns {[number, number]}
 * @throws {ChangesetError} if the range is outside the old text
 */
export function characterRangeFollow(cs, start, end, insertionsAfter = false) {
  const parsed = unpack(cs);
  if (!(start >= 0 && start <= end && end <= parsed.oldLen)) {
    throw new ChangesetError(`range ${start}..${end} is outside the text (0..${parsed.oldLen})`);
  }
  return [
    positionFollow(parsed.ops, start, insertionsAfter),
    positionFollow(parsed.ops, end, insertionsAfter),
  ];
}

function positionFollow(ops, position, insertionsAfter) {
  // `position` is a gap in the old text; walk the ops, counting the new text before it.
  let old = 0;
  let fresh = 0;
  for (const { opcode, chars } of ops) {
    if (opcode === INSERT) {
      if (position > old || !insertionsAfter) fresh += chars;
      else return fresh;
    } else if (position < old + chars) {
      if (opcode !== REMOVE) return fresh + position - old;
      // inside a deletion: the gap collapses to the deletion's end
      position = old + chars;
      old += chars;
    } else {
      old += chars;
      if (opcode !== REMOVE) fresh += chars;
    }
  }
  return fresh + position - old;
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
