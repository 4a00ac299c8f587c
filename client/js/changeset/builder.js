// Building changesets: the Builder, splices and attribute changes over a range.
// Twin of builder.py.

import {
  ChangesetError,
  INSERT,
  KEEP,
  REMOVE,
  checkNoLoneSurrogate,
  countNewlines,
  cutUnits,
  formatBase36,
  splitsPair,
} from './base.js';
import { AText } from './atext.js';
import { attribsFrom } from './attributes.js';
import { pack } from './core.js';
import { OpAssembler, formatOps, textOps } from './ops.js';

/**
 * @typedef {string|Array<[string, string]>|null|undefined} Attribs
 * An attribs string like "*0*1", or [key, value] pairs (which need a pool).
 */

/**
 * Writes a changeset op by op over a text of `oldLen` units.
 *
 * Call `keep`/`keepText`, `remove`/`removeText` and `insert` in document order,
 * then `toString`. What is not covered at the end is kept unchanged.
 */
export class Builder {
  /**
   * @param {number} oldLen length of the text the changeset applies to
   */
  constructor(oldLen) {
    this._oldLen = oldLen;
    this._newLen = oldLen;
    this._consumed = 0;
    this._assembler = new OpAssembler();
    this._bank = [];
  }

  _consume(chars) {
    this._consumed += chars;
    if (this._consumed > this._oldLen) {
      throw new ChangesetError(`the builder covers ${this._consumed} units of a ${this._oldLen}-unit text`);
    }
  }

  /**
   * Keep `chars` units spanning `lines` newlines, optionally changing attributes.
   * @param {number} chars
   * @param {number} [lines]
   * @param {Attribs} [attribs]
   * @param {import('./pool.js').AttributePool|null} [pool]
   * @returns {Builder} this
   * @throws {ChangesetError} if the builder would cover more than the text
   */
  keep(chars, lines = 0, attribs = null, pool = null) {
    this._consume(chars);
    this._assembler.append({ opcode: KEEP, chars, lines, attribs: attribsFrom(attribs, pool) });
    return this;
  }

  /**
   * Keep the units of `text` (which must be the text there), newlines counted for you.
   * @param {string} text
   * @param {Attribs} [attribs]
   * @param {import('./pool.js').AttributePool|null} [pool]
   * @returns {Builder} this
   * @throws {ChangesetError} if the builder would cover more than the text
   */
  keepText(text, attribs = null, pool = null) {
    for (const op of textOps(KEEP, text, attribsFrom(attribs, pool))) {
      this._consume(op.chars);
      this._assembler.append(op);
    }
    return this;
  }

  /**
   * Delete `chars` units spanning `lines` newlines.
   * @param {number} chars
   * @param {number} [lines]
   * @returns {Builder} this
   * @throws {ChangesetError} if the builder would cover more than the text
   */
  remove(chars, lines = 0) {
    this._consume(chars);
    this._newLen -= chars;
    this._assembler.append({ opcode: REMOVE, chars, lines, attribs: '' });
    return this;
  }

  /**
   * Delete `text` (which must be the text there), newlines counted for you.
   * @param {string} text
   * @returns {Builder} this
   * @throws {ChangesetError} if the builder would cover more than the text
   */
  removeText(text) {
    for (const op of textOps(REMOVE, text)) {
      this._consume(op.chars);
      this._newLen -= op.chars;
      this._assembler.append(op);
    }
    return this;
  }

  /**
   * Insert `text` with attributes.
   * @param {string} text
   * @param {Attribs} [attribs]
   * @param {import('./pool.js').AttributePool|null} [pool]
   * @returns {Builder} this
   * @throws {ChangesetError} if the text holds a lone surrogate
   */
  insert(text, attribs = null, pool = null) {
    checkNoLoneSurrogate(text, 'inserted text');
    for (const op of textOps(INSERT, text, attribsFrom(attribs, pool, true))) {
      this._newLen += op.chars;
      this._assembler.append(op);
    }
    this._bank.push(text);
    return this;
  }

  /**
   * Return the changeset written so far.
   * @returns {string}
   */
  toString() {
    return pack(this._oldLen, this._newLen, this._assembler.toOps(), this._bank.join(''));
  }
}

/**
 * Return the changeset that replaces `ndel` units at `start` of a text with `ins`.
 *
 * Positions count UTF-16 units. Given an AText, its line index spares a count of
 * the newlines before `start`. `makeSplice("\n", 0, 0, "😀")` is "Z:1>2+2$😀". The
 * inserted text carries `attribs`: an attribs string, or pairs read as Etherpad reads
 * them (see attributes.js attribsFrom): cited in order of key, a repeated key's last
 * value, no empty value. Throws where Etherpad would clamp the splice into the text.
 * @param {string|AText} text the text the changeset applies to
 * @param {number} start
 * @param {number} ndel
 * @param {string} ins
 * @param {Attribs} [attribs] attributes of the inserted text
 * @param {import('./pool.js').AttributePool|null} [pool] needed for attribute pairs
 * @returns {string}
 * @throws {ChangesetError} if the range is outside the text, a cut splits a surrogate
 *   pair, or `ins` holds a lone surrogate
 * @throws {TypeError} if `text` is neither a string nor an AText, or pairs come without a pool
 */
export function makeSplice(text, start, ndel, ins, attribs = null, pool = null) {
  const atext = text instanceof AText ? text : null;
  if (atext === null && typeof text !== 'string') throw new TypeError('makeSplice needs a string or an AText');
  const length = atext !== null ? atext._length : text.length;
  if (start < 0 || ndel < 0 || start + ndel > length) {
    throw new ChangesetError(`splice ${start}+${ndel} is outside the text (0..${length})`);
  }
  const end = start + ndel;
  const splits = atext !== null ? atext._splitsPair(start) || atext._splitsPair(end) : splitsPair(text, start) || splitsPair(text, end);
  if (splits) throw new ChangesetError('a changeset must not split a surrogate pair');
  // before the no-op return: pairs enter the pool even when nothing is inserted, as
  // in Etherpad, so that a pool grows alike in both
  const attribText = attribsFrom(attribs, pool, true);
  if (!ndel && !ins) return pack(length, length, [], '');
  let ops = '';
  if (start) {
    let lines;
    let lineStart;
    if (atext !== null) {
      [lines, lineStart] = atext.locate(start);
    } else {
      lines = countNewlines(text, 0, start);
      lineStart = text.lastIndexOf('\n', start - 1) + 1;
    }
    if (lines) ops += `|${formatBase36(lines)}=${formatBase36(lineStart)}`;
    if (start > lineStart) ops += `=${formatBase36(start - lineStart)}`;
  }
  if (ndel) {
    const removed = atext !== null ? atext._slice(start, end) : text.slice(start, end);
    ops += removed.includes('\n') ? formatOps(textOps(REMOVE, removed)) : `-${formatBase36(ndel)}`;
  }
  let newLen = length - ndel;
  if (ins) {
    checkNoLoneSurrogate(ins, 'inserted text');
    ops += ins.includes('\n') ? formatOps(textOps(INSERT, ins, attribText)) : `${attribText}+${formatBase36(ins.length)}`;
    newLen += ins.length;
  }
  const header =
    newLen >= length
      ? `Z:${formatBase36(length)}>${formatBase36(newLen - length)}`
      : `Z:${formatBase36(length)}<${formatBase36(length - newLen)}`;
  return `${header}${ops}$${ins}`;
}

/**
 * Return the changeset that applies `attribs` to units [start, end) of a text.
 *
 * A pair with an empty value removes that attribute (["bold", ""]).
 * @param {string|AText} text
 * @param {number} start
 * @param {number} end
 * @param {Attribs} attribs
 * @param {import('./pool.js').AttributePool|null} [pool] needed for attribute pairs
 * @returns {string}
 * @throws {ChangesetError} if the range is outside the text or a cut splits a surrogate pair
 * @throws {TypeError} if `text` is neither a string nor an AText, or pairs come without a pool
 */
export function makeAttributeChange(text, start, end, attribs, pool = null) {
  if (text instanceof AText) text = text.text;
  if (typeof text !== 'string') throw new TypeError('makeAttributeChange needs a string or an AText');
  const length = text.length;
  if (!(start >= 0 && start <= end && end <= length)) {
    throw new ChangesetError(`range ${start}..${end} is outside the text (0..${length})`);
  }
  const startIndex = cutUnits(text, start);
  const endIndex = cutUnits(text, end - start, startIndex);
  const builder = new Builder(length);
  builder.keepText(text.slice(0, startIndex));
  builder.keepText(text.slice(startIndex, endIndex), attribs, pool);
  return builder.toString();
}
