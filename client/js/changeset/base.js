// Shared internals of the changeset engine: the error type, base-36 numbers,
// UTF-16 checks and Python-compatible string ordering. Twin of the Python
// modules errors.py, _base36.py and utf16.py.
//
// JavaScript strings are already UTF-16, so lengths and positions need no
// conversion here; what remains are the checks Python makes while converting:
// no cut may fall inside a surrogate pair, and text must hold no lone surrogate.

/**
 * A changeset, attribution, pool or text that is malformed, non-canonical or does not fit.
 *
 * The message says what was expected and what was found. Any other exception
 * thrown by the engine is a programming error (as in the Python twin).
 */
export class ChangesetError extends Error {
  /**
   * @param {string} message what was wrong
   */
  constructor(message) {
    super(message);
    this.name = 'ChangesetError';
  }
}

/** Opcodes of the ops string. */
export const KEEP = '=';
export const REMOVE = '-';
export const INSERT = '+';

/**
 * Return `n` (a non-negative integer) in base 36, as easysync writes it.
 * @param {number} n
 * @returns {string}
 * @throws {RangeError} if n is negative (Python raises ValueError: a programming error)
 */
export function formatBase36(n) {
  if (n < 0) throw new RangeError(`base-36 numbers are non-negative, got ${n}`);
  return n.toString(36);
}

/**
 * Return the index just after the base-36 number that starts at `i`, or -1.
 *
 * A number is "0" or has no leading zero, so each value has one spelling.
 * @param {string} text
 * @param {number} i
 * @returns {number}
 */
export function scanNumber(text, i) {
  const c = text.charCodeAt(i);
  if (c === 48) return i + 1; // "0" stands alone
  if (!((c >= 49 && c <= 57) || (c >= 97 && c <= 122))) return -1;
  const n = text.length;
  i++;
  while (i < n) {
    const d = text.charCodeAt(i);
    if ((d >= 48 && d <= 57) || (d >= 97 && d <= 122)) i++;
    else break;
  }
  return i;
}

/**
 * Return the value of the base-36 digits text[start:end] (syntax already checked).
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {number}
 */
export function parseBase36(text, start = 0, end = text.length) {
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    value = value * 36 + (c <= 57 ? c - 48 : c - 87);
  }
  return value;
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Throw ChangesetError if `text` holds a lone surrogate (Python cannot hold such text as Unicode).
 * @param {string} text
 * @param {string} what names the text in the message
 * @throws {ChangesetError}
 */
export function checkNoLoneSurrogate(text, what) {
  // A scan rather than a regex with lookbehind, which older browsers lack.
  let i = text.search(ANY_SURROGATE);
  if (i < 0) return;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        const code = c.toString(16).toUpperCase();
        throw new ChangesetError(`${what} holds a lone surrogate U+${code} at ${i}`);
      }
      i += 2;
    } else {
      i++;
    }
  }
}

/**
 * Return whether `text` holds a character outside the BMP (a surrogate pair).
 * @param {string} text
 * @returns {boolean}
 */
export function hasAstral(text) {
  return SURROGATE_PAIR.test(text);
}

/**
 * Return whether a cut at unit `pos` of `text` would split a surrogate pair.
 * @param {string} text
 * @param {number} pos
 * @returns {boolean}
 */
export function splitsPair(text, pos) {
  if (pos <= 0 || pos >= text.length) return false;
  const before = text.charCodeAt(pos - 1);
  if (before < 0xd800 || before > 0xdbff) return false;
  const after = text.charCodeAt(pos);
  return after >= 0xdc00 && after <= 0xdfff;
}

/**
 * Return the unit index `units` after `start`, checked like Python's utf16.index.
 * @param {string} text
 * @param {number} units
 * @param {number} start
 * @returns {number}
 * @throws {ChangesetError} when the position is past the end or inside a surrogate pair
 */
export function cutUnits(text, units, start = 0) {
  const end = start + units;
  if (end > text.length) throw new ChangesetError(`position ${units} is past the end of the text`);
  if (splitsPair(text, end)) throw new ChangesetError('a changeset must not split a surrogate pair');
  return end;
}

/**
 * Return how many newlines text[start:end] holds.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {number}
 */
export function countNewlines(text, start = 0, end = text.length) {
  let count = 0;
  let i = text.indexOf('\n', start);
  while (i >= 0 && i < end) {
    count++;
    i = text.indexOf('\n', i + 1);
  }
  return count;
}

/**
 * Return the start of a string for an error message.
 * @param {string} text
 * @param {number} [limit]
 * @returns {string}
 */
export function excerpt(text, limit = 60) {
  return text.length <= limit ? text : `${text.slice(0, limit)}...`;
}
