// The changeset value: its wire form, parsing, the validity check, and applying it
// to plain text. Twin of changeset.py and apply.py.
//
// Wire form (Etherpad's easysync, byte for byte):
//
//   Z:5g>1|5=2p=v*4*5+1$x
//   | |  | |           | '-- char bank: the inserted text, in op order
//   | |  | |           '-- end of ops
//   | |  | '-- ops (see ops.js): keep 5 lines (97 units), keep 31, insert 1 with *4*5
//   | |  '-- new length - old length, after '>' (grows or same) or '<' (shrinks)
//   | '-- old length: the text this applies to has 196 units
//   '-- magic
//
// All numbers are base 36 and all lengths UTF-16 code units.

import {
  ChangesetError,
  INSERT,
  KEEP,
  REMOVE,
  checkNoLoneSurrogate,
  countNewlines,
  cutUnits,
  formatBase36,
  hasAstral,
  parseBase36,
  scanNumber,
  splitsPair,
} from './base.js';
import { attribNumbers, formatOp, parseOps } from './ops.js';

/** A parsed changeset: lengths, ops and char bank. Build with `unpack`, write with `pack`. */
export class Changeset {
  /**
   * @param {number} oldLen
   * @param {number} newLen
   * @param {import('./ops.js').Op[]} ops
   * @param {string} charBank
   */
  constructor(oldLen, newLen, ops, charBank) {
    this.oldLen = oldLen;
    this.newLen = newLen;
    this.ops = ops;
    this.charBank = charBank;
  }

  /** @returns {string} the wire form */
  pack() {
    return pack(this.oldLen, this.newLen, this.ops, this.charBank);
  }

  /** @returns {string} the wire form */
  toString() {
    return this.pack();
  }
}

// Parsed changesets by wire string. Callers often check a changeset and then apply
// it, or compose it with several others; the cache makes every parse after the first
// a lookup. It keeps two generations, recent and older, of up to CACHE_SIZE / 2
// entries each: a hit in the older one moves the entry to the recent one, and a full
// recent generation becomes the older one. That approximates an LRU of CACHE_SIZE
// entries without reordering a Map on every hit. Parsed values are shared, so no
// caller may change them (freezing them would cost more than the parse).
const CACHE_SIZE = 4096;
// Huge changesets (whole-document rewrites) are parsed each time rather than pinned
// in memory, which bounds what the cache can hold.
const CACHE_MAX_KEY = 1 << 16;
let recentParses = new Map();
let olderParses = new Map();

/**
 * Parse the wire form into a Changeset.
 *
 * Only syntax and the sign of the length change are checked here; `checkRep`
 * checks the rest. Parsed values are cached and shared: treat them as read-only.
 * @param {string|Changeset} cs
 * @returns {Changeset} (read-only)
 * @throws {ChangesetError} if it is malformed
 */
export function unpack(cs) {
  if (cs instanceof Changeset) return cs;
  if (typeof cs !== 'string') {
    throw new ChangesetError(`a changeset is a string, got ${cs === null ? 'null' : typeof cs}`);
  }
  let parsed = recentParses.get(cs);
  if (parsed !== undefined) return parsed;
  parsed = olderParses.get(cs);
  if (parsed === undefined) {
    parsed = parseChangeset(cs);
    if (cs.length > CACHE_MAX_KEY) return parsed;
  }
  if (recentParses.size >= CACHE_SIZE / 2) {
    olderParses = recentParses;
    recentParses = new Map();
  }
  recentParses.set(cs, parsed);
  return parsed;
}

function badHeader(cs) {
  return new ChangesetError(
    `bad changeset header in ${JSON.stringify(cs.slice(0, 40))}: expected 'Z:<len><>|<><delta>'`,
  );
}

function parseChangeset(cs) {
  if (cs.charCodeAt(0) !== 90 /* Z */ || cs.charCodeAt(1) !== 58 /* : */) throw badHeader(cs);
  const oldEnd = scanNumber(cs, 2);
  if (oldEnd < 0) throw badHeader(cs);
  const sign = cs[oldEnd];
  if (sign !== '>' && sign !== '<') throw badHeader(cs);
  const headerEnd = scanNumber(cs, oldEnd + 1);
  if (headerEnd < 0) throw badHeader(cs);
  const oldLen = parseBase36(cs, 2, oldEnd);
  const delta = parseBase36(cs, oldEnd + 1, headerEnd);
  let newLen;
  if (sign === '>') {
    newLen = oldLen + delta;
  } else {
    if (delta === 0) throw new ChangesetError("bad changeset header: no change is written '>0', not '<0'");
    newLen = oldLen - delta;
    if (newLen < 0) throw new ChangesetError(`bad changeset header: shrinks ${oldLen} units by ${delta}`);
  }
  const dollar = cs.indexOf('$', headerEnd);
  if (dollar < 0) throw new ChangesetError("changeset has no '$' before its char bank");
  const ops = parseOps(cs.slice(headerEnd, dollar));
  return new Changeset(oldLen, newLen, ops, cs.slice(dollar + 1));
}

/**
 * Return the wire form of a changeset from its parts.
 * @param {number} oldLen
 * @param {number} newLen
 * @param {import('./ops.js').Op[]|Array<Array>|string} ops ops, [opcode, chars, lines, attribs] arrays, or an ops string
 * @param {string} charBank
 * @returns {string}
 */
export function pack(oldLen, newLen, ops, charBank) {
  let opsText;
  if (typeof ops === 'string') {
    opsText = ops;
  } else {
    opsText = '';
    for (const op of ops) {
      opsText += Array.isArray(op)
        ? formatOp({ opcode: op[0], chars: op[1], lines: op[2] ?? 0, attribs: op[3] ?? '' })
        : formatOp(op);
    }
  }
  const header =
    newLen >= oldLen
      ? `Z:${formatBase36(oldLen)}>${formatBase36(newLen - oldLen)}`
      : `Z:${formatBase36(oldLen)}<${formatBase36(oldLen - newLen)}`;
  return `${header}${opsText}$${charBank}`;
}

/**
 * Return the changeset that changes nothing in a text of `length` units.
 * @param {number} length
 * @returns {string}
 */
export function identity(length) {
  return pack(length, length, [], '');
}

/**
 * Return whether `cs` changes neither text nor attributes.
 * @param {string|Changeset} cs
 * @returns {boolean}
 * @throws {ChangesetError} if it is malformed
 */
export function isIdentity(cs) {
  const parsed = unpack(cs);
  return parsed.oldLen === parsed.newLen && parsed.ops.length === 0;
}

/**
 * Check that `cs` is valid and canonical; return it parsed.
 *
 * Valid: the ops add up to the header's lengths, the char bank is consumed exactly,
 * each insert's newline count matches its text, and no op splits a surrogate pair.
 * Canonical: see ops.js. With `pool`, every cited attribute must be in it, and each
 * op's attributes distinct keys in key order.
 * @param {string|Changeset} cs
 * @param {import('./pool.js').AttributePool|null} [pool]
 * @returns {Changeset}
 * @throws {ChangesetError} naming the first problem found
 */
export function checkRep(cs, pool = null) {
  const parsed = unpack(cs);
  checkParsed(parsed, pool);
  return parsed;
}

/**
 * `checkRep` for an already parsed changeset.
 * @param {Changeset} parsed
 * @param {import('./pool.js').AttributePool|null} [pool]
 * @throws {ChangesetError}
 */
export function checkParsed(parsed, pool = null) {
  const bank = parsed.charBank;
  checkNoLoneSurrogate(bank, 'char bank');
  let oldPos = 0;
  let newLen = 0;
  let bankPos = 0;
  let previous = null;
  for (const op of parsed.ops) {
    const { opcode, chars, lines, attribs } = op;
    if (chars === 0) throw new ChangesetError(`op ${JSON.stringify(formatOp(op))} has no chars`);
    if (lines && chars < lines) {
      throw new ChangesetError(`op ${JSON.stringify(formatOp(op))} spans more newlines than chars`);
    }
    if (opcode === INSERT) {
      const end = bankPos + chars;
      if (end > bank.length) throw new ChangesetError('char bank is shorter than the inserts need');
      if (splitsPair(bank, end)) throw new ChangesetError('a changeset must not split a surrogate pair');
      const found = countNewlines(bank, bankPos, end);
      if (found !== lines) {
        throw new ChangesetError(
          `bad newline count: insert ${JSON.stringify(formatOp(op))} says ${lines}, its text has ${found}`,
        );
      }
      if (lines && bank.charCodeAt(end - 1) !== 10) {
        throw new ChangesetError(
          `insert ${JSON.stringify(formatOp(op))} spans lines but does not end with a newline`,
        );
      }
      bankPos = end;
      newLen += chars;
    } else {
      oldPos += chars;
      if (opcode === KEEP) newLen += chars;
    }
    if (previous !== null) checkNeighbours(previous, op);
    if (attribs && pool != null) {
      checkAttribs(attribs, pool);
    } else if (attribs) {
      const numbers = attribNumbers(attribs);
      if (new Set(numbers).size !== numbers.length) {
        throw new ChangesetError(`op ${JSON.stringify(formatOp(op))} cites an attribute twice`);
      }
    }
    previous = op;
  }
  if (oldPos > parsed.oldLen) {
    throw new ChangesetError(
      `length mismatch: ops keep and delete ${oldPos} units of a ${parsed.oldLen}-unit text`,
    );
  }
  newLen += parsed.oldLen - oldPos;
  if (newLen !== parsed.newLen) {
    throw new ChangesetError(`length mismatch: header says new length ${parsed.newLen}, ops give ${newLen}`);
  }
  if (bankPos !== bank.length) {
    throw new ChangesetError(`unconsumed char bank: ${bank.length - bankPos} units left over`);
  }
  if (previous !== null && previous.opcode === KEEP && !previous.attribs) {
    throw new ChangesetError('non-canonical: ends with a plain keep');
  }
}

/**
 * Throw ChangesetError if two consecutive ops are not in canonical form.
 * @param {import('./ops.js').Op} previous
 * @param {import('./ops.js').Op} op
 * @throws {ChangesetError}
 */
export function checkNeighbours(previous, op) {
  if (previous.opcode === INSERT && op.opcode === REMOVE) {
    throw new ChangesetError('non-canonical: a delete follows an insert (deletes go first)');
  }
  if (previous.opcode === op.opcode && previous.attribs === op.attribs && !(previous.lines && !op.lines)) {
    throw new ChangesetError(
      `non-canonical: ops ${JSON.stringify(formatOp(previous))} and ${JSON.stringify(formatOp(op))} should be merged`,
    );
  }
}

function checkAttribs(attribs, pool) {
  let previousKey = null;
  for (const num of attribNumbers(attribs)) {
    if (!pool.hasAttrib(num)) {
      throw new ChangesetError(`unknown attribute number ${formatBase36(num)} (not in the pool)`);
    }
    const key = pool.getAttribKey(num);
    // strictly ascending by UTF-16 unit (as Etherpad sorts): sorted and distinct
    if (previousKey !== null && !(previousKey < key)) {
      throw new ChangesetError(
        `non-canonical attributes ${JSON.stringify(attribs)}: keys must be distinct and sorted`,
      );
    }
    previousKey = key;
  }
}

/**
 * Return `text` changed by `cs`.
 * @param {string|Changeset} cs
 * @param {string} text
 * @returns {string}
 * @throws {ChangesetError} if the text's length is not the changeset's old length, if
 *   an op's newline count does not match the text it covers, or if the result would
 *   not end with a newline
 */
export function applyToText(cs, text) {
  const parsed = unpack(cs);
  if (text.length !== parsed.oldLen) {
    throw new ChangesetError(
      `length mismatch: changeset applies to ${parsed.oldLen} units, text has ${text.length}`,
    );
  }
  const result = spliceOps(parsed.ops, parsed.charBank, text);
  if (result && result.charCodeAt(result.length - 1) !== 10) {
    throw new ChangesetError('the changed text would not end with a newline');
  }
  return result;
}

/**
 * Return `text` with `ops` applied (`bank` supplies inserted text); checks newline counts.
 * @param {import('./ops.js').Op[]} ops
 * @param {string} bank
 * @param {string} text
 * @returns {string}
 * @throws {ChangesetError}
 */
export function spliceOps(ops, bank, text) {
  let result = '';
  let position = 0;
  let bankPosition = 0;
  // Python cuts an astral bank with a checked index and any other bank by plain
  // slicing (a short bank then fails as "unconsumed"); both end in the same error.
  const bankAstral = bank.length > 0 && hasAstral(bank);
  for (const op of ops) {
    const { opcode, chars, lines } = op;
    if (opcode === INSERT) {
      const end = bankAstral ? cutUnits(bank, chars, bankPosition) : bankPosition + chars;
      const piece = bank.slice(bankPosition, end);
      const found = countNewlines(piece, 0, piece.length);
      if (found !== lines || (lines && piece.charCodeAt(piece.length - 1) !== 10)) {
        throw new ChangesetError(
          `bad newline count: insert ${JSON.stringify(formatOp(op))} says ${lines}, its text has ${found}`,
        );
      }
      result += piece;
      bankPosition = end;
      continue;
    }
    const end = position + chars;
    if (end > text.length) throw new ChangesetError(`op ${JSON.stringify(formatOp(op))} runs past the end of the text`);
    if (splitsPair(text, end)) throw new ChangesetError('a changeset must not split a surrogate pair');
    const found = countNewlines(text, position, end);
    if (lines !== found || (lines && text.charCodeAt(end - 1) !== 10)) {
      throw new ChangesetError(
        `bad newline count: op ${JSON.stringify(formatOp(op))} covers ${found} newlines of the text`,
      );
    }
    if (opcode === KEEP) result += text.slice(position, end);
    position = end;
  }
  if (bankPosition !== bank.length) {
    throw new ChangesetError(`unconsumed char bank: ${JSON.stringify(bank.slice(bankPosition, bankPosition + 30))} left over`);
  }
  return result + text.slice(position);
}

