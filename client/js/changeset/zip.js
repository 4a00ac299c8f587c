// Walking two op sequences side by side (Etherpad's applyZip), and the slicer step.
// Twin of _zip.py.
//
// Both `compose` and applying a changeset to an attribution zip the ops of a first
// sequence (text as it is) with the ops of a second (a change to that text). The
// step function consumes a part of one or both current ops, marks a consumed op by
// emptying its opcode, and returns the op to emit (or null).
//
// While zipping, ops are mutable arrays [opcode, chars, lines, attribs]; opcode '' = consumed.

import { ChangesetError, INSERT, KEEP, REMOVE } from './base.js';
import { composeAttributes } from './attributes.js';
import { OpAssembler } from './ops.js';

/**
 * Run `step` over both sequences until both are consumed; return canonical ops.
 * @param {import('./ops.js').Op[]} first
 * @param {import('./ops.js').Op[]} second
 * @param {(op1: Array, op2: Array) => (import('./ops.js').Op|null)} step
 * @returns {import('./ops.js').Op[]}
 */
export function zipOps(first, second, step) {
  const n1 = first.length;
  const n2 = second.length;
  let i1 = 0;
  let i2 = 0;
  let op1 = ['', 0, 0, ''];
  let op2 = ['', 0, 0, ''];
  const assembler = new OpAssembler();
  for (;;) {
    if (!op1[0] && i1 < n1) {
      const next = first[i1++];
      op1 = [next.opcode, next.chars, next.lines, next.attribs];
    }
    if (!op2[0] && i2 < n2) {
      const next = second[i2++];
      op2 = [next.opcode, next.chars, next.lines, next.attribs];
    }
    if (!op1[0] && !op2[0]) break;
    const out = step(op1, op2);
    if (out !== null) assembler.append(out);
  }
  return assembler.toOps();
}

/**
 * Consume `chars` units spanning `lines` newlines from the front of a mutable op.
 * @param {Array} op
 * @param {number} chars
 * @param {number} lines
 * @throws {ChangesetError} when the newline counts cannot agree
 */
export function takePart(op, chars, lines) {
  op[1] -= chars;
  op[2] -= lines;
  if (op[2] < 0 || op[2] > op[1]) {
    throw new ChangesetError('bad newline count: the two changesets disagree about newlines');
  }
  if (!op[1]) {
    if (op[2]) throw new ChangesetError('bad newline count: the two changesets disagree about newlines');
    op[0] = '';
  }
}

/**
 * Return the step that applies a change (second) to text or to a change (first).
 *
 * Used by compose (first = cs1, second = cs2) and by attribution application
 * (first = the attribution's inserts, second = the changeset).
 * @param {import('./pool.js').AttributePool|null} pool
 * @returns {(att: Array, cs: Array) => (import('./ops.js').Op|null)}
 */
export function slicerStep(pool) {
  return function step(att, cs) {
    const attCode = att[0];
    if (attCode === REMOVE) {
      att[0] = '';
      return { opcode: REMOVE, chars: att[1], lines: att[2], attribs: att[3] };
    }
    const csCode = cs[0];
    if (!attCode) {
      // past the first sequence's ops: its implicit trailing keep
      cs[0] = '';
      return { opcode: csCode, chars: cs[1], lines: cs[2], attribs: cs[3] };
    }
    if (csCode === INSERT) {
      cs[0] = '';
      return { opcode: INSERT, chars: cs[1], lines: cs[2], attribs: cs[3] };
    }
    if (!csCode) {
      att[0] = '';
      return { opcode: attCode, chars: att[1], lines: att[2], attribs: att[3] };
    }
    let chars;
    let lines;
    const consumedAttribs = att[3];
    if (cs[1] <= att[1]) {
      chars = cs[1];
      lines = cs[2];
      cs[0] = '';
      takePart(att, chars, lines);
    } else {
      chars = att[1];
      lines = att[2];
      att[0] = '';
      takePart(cs, chars, lines);
    }
    if (csCode === REMOVE) {
      // removing inserted text leaves nothing; removing kept text is a delete
      return attCode === KEEP ? { opcode: REMOVE, chars, lines, attribs: cs[3] } : null;
    }
    return {
      opcode: attCode,
      chars,
      lines,
      attribs: composeAttributes(consumedAttribs, cs[3], attCode === KEEP, pool),
    };
  };
}
