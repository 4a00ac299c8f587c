// Attribute strings ("*0*3"): reading them, and combining two of them. Twin of attributes.py.
//
// An attribs string cites pool numbers, one per attribute key, in order of key (keys
// compared by UTF-16 unit, JavaScript's `<`, as Etherpad compares them). It is read
// two ways. On text (an insert, an attribution) it says what the characters carry. On
// a keep it is a change: each pair sets its key, and an empty value removes the key
// (["bold", ""] un-bolds).

import { formatBase36 } from './base.js';
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

const byKey = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Return the canonical attribs string for pairs of distinct keys: each pair is added
 * to the pool in the order given, then cited in order of key. Etherpad's numbering and
 * order, so that a pool grows alike in both engines and Etherpad's.
 * @param {Iterable<[string, string]>} pairs
 * @param {import('./pool.js').AttributePool} pool
 * @returns {string}
 */
export function pairsToAttribs(pairs, pool) {
  const numbered = [];
  for (const [key, value] of pairs) numbered.push([key, pool.putAttrib([key, value])]);
  if (numbered.length > 1) numbered.sort(byKey);
  let out = '';
  for (const [, num] of numbered) out += `*${formatBase36(num)}`;
  return out;
}

/**
 * Accept attributes as an attribs string or as [key, value] pairs; return the string.
 *
 * A string is taken as it is. Pairs are read in order, as Etherpad reads them: a later
 * pair of the same key replaces an earlier one, and for an insert (attributes of text)
 * an empty value removes its key instead, since text never carries an empty value. On
 * a keep an empty value stays: it is the change "remove this key".
 * @param {string|Array<[string, string]>|null|undefined} attribs
 * @param {import('./pool.js').AttributePool|null|undefined} pool needed for pairs
 * @param {boolean} [insert] whether the pairs are the attributes of inserted text
 * @returns {string}
 * @throws {TypeError} when pairs come without a pool (a programming error)
 */
export function attribsFrom(attribs, pool, insert = false) {
  if (!attribs || attribs.length === 0) return '';
  if (typeof attribs === 'string') return attribs;
  if (pool == null) throw new TypeError('attributes given as pairs need a pool');
  if (attribs.length === 1) {
    const [key, value] = attribs[0];
    return insert && !value ? '' : `*${formatBase36(pool.putAttrib([key, value]))}`;
  }
  const chosen = new Map();
  for (const [key, value] of attribs) {
    if (insert && !value) {
      chosen.delete(key);
    } else {
      // numbered now even if a later pair replaces it, as in Etherpad
      pool.putAttrib([key, value]);
      chosen.set(key, value);
    }
  }
  return pairsToAttribs(chosen, pool);
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
 * Where both set the same key, the smaller value (by UTF-16 unit) wins, so both
 * orders of application agree: `second`'s pair is kept only if its value is the
 * smaller. What is kept stays in `second`'s order (a subset of a sorted list is sorted).
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
    if (wanted.has(key) && !(wanted.get(key) < value)) wanted.delete(key);
  }
  let result = '';
  for (const pair of wanted) result += `*${formatBase36(pool.putAttrib(pair))}`;
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
