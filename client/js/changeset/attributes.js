// Attribute strings ("*0*3"): reading them, and combining two of them. Twin of attributes.py.
//
// An attribs string cites pool numbers, one per attribute key, in order of key. It
// is read two ways. On text (an insert, an attribution) it says what the characters
// carry. On a keep it is a change: each pair sets its key, and an empty value
// removes the key (["bold", ""] un-bolds).

import { compareStrings, formatBase36 } from './base.js';
import { attribNumbers } from './ops.js';

/**
 * Return the [key, value] pairs an attribs string cites, in order.
 * @param {string} attribs
 * @param {import('./pool.js').AttributePool} pool
 * @returns {[string, string][]}
 * @throws {ChangesetError} if a number is not in the pool
 */
export function attribsToPairs(attribs, pool) {
  return attribNumbers(attribs).map((num) => pool.getAttrib(num));
}

function comparePairs(a, b) {
  return compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]);
}

/**
 * Return the canonical attribs string for pairs: sorted by key then value (in
 * Python's code point order, so both engines number new pairs alike), added to the pool.
 * @param {[string, string][]} pairs
 * @param {import('./pool.js').AttributePool} pool
 * @returns {string}
 */
export function pairsToAttribs(pairs, pool) {
  const sorted = pairs.length > 1 ? [...pairs].sort(comparePairs) : pairs;
  let out = '';
  for (const pair of sorted) out += `*${formatBase36(pool.putAttrib(pair))}`;
  return out;
}

/**
 * Accept attributes as an attribs string or as [key, value] pairs; return the string.
 * @param {string|Array<[string, string]>|null|undefined} attribs
 * @param {import('./pool.js').AttributePool|null|undefined} pool needed for pairs
 * @returns {string}
 * @throws {TypeError} when pairs come without a pool (a programming error)
 */
export function attribsFrom(attribs, pool) {
  if (!attribs || attribs.length === 0) return '';
  if (typeof attribs === 'string') return attribs;
  if (pool == null) throw new TypeError('attributes given as pairs need a pool');
  const pairs = [];
  for (const [key, value] of attribs) pairs.push([key, value]);
  return pairsToAttribs(pairs, pool);
}

/**
 * Return the attributes of `first` after the change `second` is applied to them.
 *
 * With `resultIsMutation` (composing two keeps) an empty value stays in the
 * result as "remove this key"; otherwise (a keep over text) it removes the key.
 * @param {string} first attribs string
 * @param {string} second attribs string (a change)
 * @param {boolean} resultIsMutation
 * @param {import('./pool.js').AttributePool|null} pool
 * @returns {string}
 * @throws {ChangesetError} if a cited number is not in the pool
 * @throws {Error} if attributes must be combined and there is no pool (a programming error)
 */
export function composeAttributes(first, second, resultIsMutation, pool) {
  if (!first && resultIsMutation) return second;
  if (!second) return first;
  if (pool == null) throw new Error('attributes need a pool');
  const memoKey = `c${resultIsMutation ? 1 : 0}${first.length}:${first}${second}`;
  const cached = pool._cache.get(memoKey);
  if (cached !== undefined) return cached;
  const merged = new Map(attribsToPairs(first, pool));
  for (const [key, value] of attribsToPairs(second, pool)) {
    if (value || resultIsMutation) merged.set(key, value);
    else merged.delete(key);
  }
  const result = pairsToAttribs([...merged], pool);
  pool._cache.set(memoKey, result);
  return result;
}

/**
 * Return the part of keep-change `second` still to apply after keep-change `first`.
 *
 * Where both set the same key, the smaller value (code point order) wins, so both
 * orders of application agree: `second`'s pair is kept only if its value is the smaller.
 * @param {string} first attribs string (a change)
 * @param {string} second attribs string (a change)
 * @param {import('./pool.js').AttributePool|null} pool
 * @returns {string}
 * @throws {ChangesetError} if a cited number is not in the pool
 */
export function followAttributes(first, second, pool) {
  if (!second || pool == null) return '';
  if (!first) return second;
  const memoKey = `f${first.length}:${first}${second}`;
  const cached = pool._cache.get(memoKey);
  if (cached !== undefined) return cached;
  const wanted = new Map(attribsToPairs(second, pool));
  for (const [key, value] of attribsToPairs(first, pool)) {
    if (wanted.has(key) && compareStrings(value, wanted.get(key)) <= 0) wanted.delete(key);
  }
  const result = pairsToAttribs([...wanted], pool);
  pool._cache.set(memoKey, result);
  return result;
}

/**
 * Return the keep-change that turns text attributed `old` + `change` back into `old`.
 * @param {string} old attribs of the text before the change
 * @param {string} change the keep-change applied to it
 * @param {import('./pool.js').AttributePool} pool
 * @returns {string}
 * @throws {ChangesetError} if a cited number is not in the pool
 */
export function invertAttributes(old, change, pool) {
  if (!change) return '';
  const before = new Map(attribsToPairs(old, pool));
  const restore = [];
  for (const [key, value] of attribsToPairs(change, pool)) {
    const oldValue = before.has(key) ? before.get(key) : '';
    if (oldValue !== value) restore.push([key, oldValue]);
  }
  return pairsToAttribs(restore, pool);
}
