// The changeset algebra: compose, follow (operational transform) and inverse.
// Twin of compose.py, follow.py and inverse.py.

import { ChangesetError, INSERT, KEEP, REMOVE, cutUnits, hasAstral } from './base.js';
import { asAText } from './atext.js';
import { followAttributes, invertAttributes } from './attributes.js';
import { Changeset, pack, unpack } from './core.js';
import { OpAssembler, attribNumbers, parseOps, textOps } from './ops.js';
import { slicerStep, takePart, zipOps } from './zip.js';

/**
 * Return the changeset that does `cs1` then `cs2`.
 *
 * `applyToText(compose(a, b), t) === applyToText(b, applyToText(a, t))`.
 * @param {string|Changeset} cs1
 * @param {string|Changeset} cs2
 * @param {import('./pool.js').AttributePool|null} [pool] needed when either changes attributes
 * @returns {string}
 * @throws {ChangesetError} if cs2 does not apply to cs1's result length, or they disagree about newlines
 */
export function compose(cs1, cs2, pool = null) {
  return composeParsed(unpack(cs1), unpack(cs2), pool).pack();
}

/**
 * `compose` on parsed changesets.
 * @param {Changeset} first
 * @param {Changeset} second
 * @param {import('./pool.js').AttributePool|null} pool
 * @returns {Changeset}
 * @throws {ChangesetError}
 */
export function composeParsed(first, second, pool) {
  if (first.newLen !== second.oldLen) {
    throw new ChangesetError(
      `length mismatch: the first changeset makes ${first.newLen} units, the second applies to ${second.oldLen}`,
    );
  }
  const bank1 = first.charBank;
  const bank2 = second.charBank;
  // Python slices a bank without astral characters unchecked, so a short bank does
  // not fail here; an astral one is cut with checks. Mirror both.
  const astral1 = hasAstral(bank1);
  const astral2 = hasAstral(bank2);
  let position1 = 0;
  let position2 = 0;
  let pieces = '';
  const slicer = slicerStep(pool);

  function take1(units) {
    const start = position1;
    position1 = astral1 ? cutUnits(bank1, units, start) : start + units;
    return bank1.slice(start, position1);
  }

  function take2(units) {
    const start = position2;
    position2 = astral2 ? cutUnits(bank2, units, start) : start + units;
    return bank2.slice(start, position2);
  }

  function step(op1, op2) {
    const code1 = op1[0];
    const code2 = op2[0];
    if (code1 === INSERT && code2 === REMOVE) take1(op1[1] < op2[1] ? op1[1] : op2[1]);
    const out = slicer(op1, op2);
    if (out !== null && out.opcode === INSERT) {
      pieces += code2 === INSERT ? take2(out.chars) : take1(out.chars);
    }
    return out;
  }

  const ops = zipOps(first.ops, second.ops, step);
  return new Changeset(first.oldLen, second.newLen, ops, pieces);
}

/**
 * Return `cs2` rebased to apply after `cs1` (both made on the same text).
 *
 * `compose(A, follow(A, B, false))` and `compose(B, follow(B, A, true))` give the
 * same document, attributes included. Where both insert at the same place, the order
 * is decided by, in turn: an insert carrying insertorder=first goes first; an insert
 * not starting with a newline goes first; else cs1's insert goes first unless
 * `reverseInsertOrder` is set.
 * @param {string|Changeset} cs1
 * @param {string|Changeset} cs2
 * @param {boolean} [reverseInsertOrder]
 * @param {import('./pool.js').AttributePool|null} [pool]
 * @returns {string}
 * @throws {ChangesetError} if they are not made on texts of the same length, or disagree about newlines
 */
export function follow(cs1, cs2, reverseInsertOrder = false, pool = null) {
  return followParsed(unpack(cs1), unpack(cs2), reverseInsertOrder, pool).pack();
}

/**
 * `follow` on parsed changesets.
 * @param {Changeset} first
 * @param {Changeset} second
 * @param {boolean} reverseInsertOrder
 * @param {import('./pool.js').AttributePool|null} pool
 * @returns {Changeset}
 * @throws {ChangesetError}
 */
export function followParsed(first, second, reverseInsertOrder, pool) {
  if (first.oldLen !== second.oldLen) {
    throw new ChangesetError(
      `length mismatch: follow needs changesets on the same text, got ${first.oldLen} and ${second.oldLen} units`,
    );
  }
  const bank1 = first.charBank;
  const bank2 = second.charBank;
  const astral1 = hasAstral(bank1);
  const astral2 = hasAstral(bank2);
  let position1 = 0;
  let position2 = 0;

  function insertsFirst(attribs) {
    if (!attribs || pool == null) return false;
    for (const num of attribNumbers(attribs)) {
      const [key, value] = pool.getAttrib(num);
      if (key === 'insertorder' && value === 'first') return true;
    }
    return false;
  }

  function step(op1, op2) {
    const code1 = op1[0];
    const code2 = op2[0];
    if (code1 === INSERT || code2 === INSERT) {
      let firstWins;
      if (code2 !== INSERT) {
        firstWins = true;
      } else if (code1 !== INSERT) {
        firstWins = false;
      } else {
        const first1 = insertsFirst(op1[3]);
        const first2 = insertsFirst(op2[3]);
        const newline1 = bank1.charCodeAt(position1) === 10;
        const newline2 = bank2.charCodeAt(position2) === 10;
        if (first1 !== first2) firstWins = first1;
        else if (newline1 !== newline2) firstWins = newline2; // inserts starting with a newline go last
        else firstWins = !reverseInsertOrder;
      }
      if (firstWins) {
        position1 = astral1 ? cutUnits(bank1, op1[1], position1) : position1 + op1[1];
        op1[0] = '';
        return { opcode: KEEP, chars: op1[1], lines: op1[2], attribs: '' };
      }
      position2 = astral2 ? cutUnits(bank2, op2[1], position2) : position2 + op2[1];
      op2[0] = '';
      return { opcode: INSERT, chars: op2[1], lines: op2[2], attribs: op2[3] };
    }
    if (code1 === REMOVE) {
      if (!code2) {
        op1[0] = '';
      } else if (op1[1] <= op2[1]) {
        takePart(op2, op1[1], op1[2]);
        op1[0] = '';
      } else {
        takePart(op1, op2[1], op2[2]);
        op2[0] = '';
      }
      return null;
    }
    if (code2 === REMOVE) {
      if (!code1) {
        op2[0] = '';
        return { opcode: REMOVE, chars: op2[1], lines: op2[2], attribs: op2[3] };
      }
      if (op2[1] <= op1[1]) {
        const out = { opcode: REMOVE, chars: op2[1], lines: op2[2], attribs: op2[3] };
        takePart(op1, op2[1], op2[2]);
        op2[0] = '';
        return out;
      }
      const out = { opcode: REMOVE, chars: op1[1], lines: op1[2], attribs: op2[3] };
      takePart(op2, op1[1], op1[2]);
      op1[0] = '';
      return out;
    }
    if (!code1) {
      op2[0] = '';
      return { opcode: code2, chars: op2[1], lines: op2[2], attribs: op2[3] };
    }
    if (!code2) {
      // cs2 keeps the rest implicitly; cs1's attribute changes are not cs2's to repeat
      op1[0] = '';
      return null;
    }
    const attribs = followAttributes(op1[3], op2[3], pool);
    if (op1[1] <= op2[1]) {
      const out = { opcode: KEEP, chars: op1[1], lines: op1[2], attribs };
      takePart(op2, op1[1], op1[2]);
      op1[0] = '';
      return out;
    }
    const out = { opcode: KEEP, chars: op2[1], lines: op2[2], attribs };
    takePart(op1, op2[1], op2[2]);
    op2[0] = '';
    return out;
  }

  const ops = zipOps(first.ops, second.ops, step);
  let newLen = first.newLen;
  for (const op of ops) {
    if (op.opcode === INSERT) newLen += op.chars;
    else if (op.opcode === REMOVE) newLen -= op.chars;
  }
  return new Changeset(first.newLen, newLen, ops, second.charBank);
}

/**
 * Return the changeset that turns `applyToAText(cs, atext)` back into `atext`.
 *
 * Deleted text comes back with its old attributes, and a keep that changed
 * attributes is undone key by key, including attributes the keep removed.
 * @param {string|Changeset} cs
 * @param {import('./atext.js').AText|{text: string, attribs: string|null}} atext the text `cs` applies to
 * @param {import('./pool.js').AttributePool|null} [pool] needed when `cs` changes attributes
 * @returns {string}
 * @throws {ChangesetError} on a length mismatch or an unknown attribute
 */
export function inverse(cs, atext, pool = null) {
  const parsed = unpack(cs);
  const old = asAText(atext);
  if (parsed.oldLen !== old.length) {
    throw new ChangesetError(
      `length mismatch: changeset applies to ${parsed.oldLen} units, text has ${old.length}`,
    );
  }
  const text = old.text;
  const attribution = parseOps(old.attribs);
  let opIndex = 0; // attribution op in use
  let opUsed = 0; // units used of that op
  let position = 0;
  const assembler = new OpAssembler();
  let bank = '';

  // Consume `units` of the old text; return its [text, attribs] runs.
  function segments(units) {
    const runs = [];
    while (units) {
      const op = attribution[opIndex];
      // Python fails here with an IndexError (not a ChangesetError); so does this.
      if (op === undefined) throw new ChangesetError('length mismatch: the changeset runs past the end of the text');
      const available = op.chars - opUsed;
      const take = available < units ? available : units;
      const end = cutUnits(text, take, position);
      runs.push([text.slice(position, end), op.attribs]);
      position = end;
      units -= take;
      opUsed += take;
      if (opUsed === op.chars) {
        opIndex++;
        opUsed = 0;
      }
    }
    return runs;
  }

  for (const op of parsed.ops) {
    const { opcode, chars, lines, attribs } = op;
    if (opcode === INSERT) {
      assembler.append({ opcode: REMOVE, chars, lines, attribs: '' });
    } else if (opcode === KEEP && !attribs) {
      segments(chars);
      assembler.append({ opcode: KEEP, chars, lines, attribs: '' });
    } else if (opcode === KEEP) {
      if (pool == null) throw new Error('attribute changes need a pool');
      for (const [piece, oldAttribs] of segments(chars)) {
        for (const part of textOps(KEEP, piece, invertAttributes(oldAttribs, attribs, pool))) {
          assembler.append(part);
        }
      }
    } else {
      for (const [piece, oldAttribs] of segments(chars)) {
        for (const part of textOps(INSERT, piece, oldAttribs)) assembler.append(part);
        bank += piece;
      }
    }
  }
  return pack(parsed.newLen, parsed.oldLen, assembler.toOps(), bank);
}
