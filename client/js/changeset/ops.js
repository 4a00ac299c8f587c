// Ops and the ops string syntax, and the assembler of canonical op sequences.
// Twin of op.py and assembler.py.
//
// An op is [*attrib]...[|lines]<opcode><chars>, numbers in base 36 (lines never 0):
//   *0*1|2=1c    keep 48 units spanning 2 newlines, setting attributes 0 and 1
//   -5           delete 5 units
//   *3+2         insert 2 units (from the char bank) with attribute 3
// `chars` counts UTF-16 code units; `lines` counts the newlines the op spans.
//
// Canonical form, which checkRep demands and every operation here produces:
// ops with the same opcode and attribs that follow each other are merged into at
// most two (whole lines, then a partial line); between two keeps every delete
// comes before every insert; a plain keep at the end is dropped; no op is empty.

import {
  ChangesetError,
  INSERT,
  KEEP,
  REMOVE,
  countNewlines,
  excerpt,
  formatBase36,
  parseBase36,
  scanNumber,
} from './base.js';

/**
 * @typedef {object} Op
 * @property {string} opcode '=', '-' or '+'
 * @property {number} chars UTF-16 units covered
 * @property {number} lines newlines covered
 * @property {string} attribs attribute numbers like "*0*3"
 */

/**
 * Return a new op.
 * @param {string} opcode
 * @param {number} chars
 * @param {number} [lines]
 * @param {string} [attribs]
 * @returns {Op}
 */
export function makeOp(opcode, chars, lines = 0, attribs = '') {
  return { opcode, chars, lines, attribs };
}

/**
 * Parse an ops string into ops.
 * @param {string} text
 * @returns {Op[]}
 * @throws {ChangesetError} on any syntax error
 */
export function parseOps(text) {
  const ops = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    while (i < n && text.charCodeAt(i) === 42 /* * */) {
      i = scanNumber(text, i + 1);
      if (i < 0) throw malformed(text);
    }
    const attribs = start === i ? '' : text.slice(start, i);
    let lines = 0;
    if (text.charCodeAt(i) === 124 /* | */) {
      // a line count is never written "|0": an op without newlines has no count
      const numStart = i + 1;
      i = text.charCodeAt(numStart) === 48 ? -1 : scanNumber(text, numStart);
      if (i < 0) throw malformed(text);
      lines = parseBase36(text, numStart, i);
    }
    const opcode = text[i];
    if (opcode !== KEEP && opcode !== REMOVE && opcode !== INSERT) throw malformed(text);
    const numStart = i + 1;
    i = scanNumber(text, numStart);
    if (i < 0) throw malformed(text);
    ops.push({ opcode, chars: parseBase36(text, numStart, i), lines, attribs });
  }
  return ops;
}

function malformed(text) {
  return new ChangesetError(`malformed ops ${JSON.stringify(excerpt(text))}`);
}

/**
 * Return the ops-string spelling of one op.
 * @param {Op} op
 * @returns {string}
 */
export function formatOp(op) {
  if (op.lines) return `${op.attribs}|${formatBase36(op.lines)}${op.opcode}${formatBase36(op.chars)}`;
  return `${op.attribs}${op.opcode}${formatBase36(op.chars)}`;
}

/**
 * Return the ops string of a sequence of ops.
 * @param {Iterable<Op>} ops
 * @returns {string}
 */
export function formatOps(ops) {
  let out = '';
  for (const op of ops) out += formatOp(op);
  return out;
}

/**
 * Return the pool numbers cited by an attribs string like "*0*1c".
 *
 * Like Python's findall of `\*([0-9a-z]+)`: anything else in the string is skipped.
 * @param {string} attribs
 * @returns {number[]}
 */
export function attribNumbers(attribs) {
  const out = [];
  const n = attribs.length;
  let i = attribs.indexOf('*');
  while (i >= 0) {
    let end = i + 1;
    while (end < n) {
      const c = attribs.charCodeAt(end);
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) end++;
      else break;
    }
    if (end > i + 1) out.push(parseBase36(attribs, i + 1, end));
    i = attribs.indexOf('*', end);
  }
  return out;
}

/**
 * Return the ops (one or two) that cover `text`: whole lines, then the partial line.
 * @param {string} opcode
 * @param {string} text
 * @param {string} [attribs]
 * @returns {Op[]}
 */
export function textOps(opcode, text, attribs = '') {
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline < 0) return text ? [{ opcode, chars: text.length, lines: 0, attribs }] : [];
  const ops = [{ opcode, chars: lastNewline + 1, lines: countNewlines(text), attribs }];
  if (lastNewline + 1 < text.length) {
    ops.push({ opcode, chars: text.length - lastNewline - 1, lines: 0, attribs });
  }
  return ops;
}

/**
 * Append `op` to `run`, merging it with the run's tail where canonical form says so.
 * @param {Op[]} run
 * @param {Op} op
 */
export function mergeOp(run, op) {
  const size = run.length;
  if (size) {
    const last = run[size - 1];
    if (last.opcode === op.opcode && last.attribs === op.attribs) {
      if (last.lines) {
        if (op.lines) {
          run[size - 1] = {
            opcode: op.opcode,
            chars: last.chars + op.chars,
            lines: last.lines + op.lines,
            attribs: op.attribs,
          };
          return;
        }
        run.push(op);
        return;
      }
      if (size >= 2) {
        const before = run[size - 2];
        if (before.opcode === op.opcode && before.attribs === op.attribs) {
          // the run ends (whole lines, partial line): fold op into that pair
          if (op.lines) {
            run.pop();
            run[size - 2] = {
              opcode: op.opcode,
              chars: before.chars + last.chars + op.chars,
              lines: before.lines + op.lines,
              attribs: op.attribs,
            };
          } else {
            run[size - 1] = { opcode: op.opcode, chars: last.chars + op.chars, lines: 0, attribs: op.attribs };
          }
          return;
        }
      }
      run[size - 1] = { opcode: op.opcode, chars: last.chars + op.chars, lines: op.lines, attribs: op.attribs };
      return;
    }
  }
  run.push(op);
}

/**
 * Collects ops in document order and gives them back in canonical form.
 * Call `append` for each op, then `toOps` or `toString` once.
 */
export class OpAssembler {
  constructor() {
    this._done = [];
    this._keeps = [];
    this._removes = [];
    this._inserts = [];
  }

  /**
   * Add `op` (ops with no chars are ignored).
   * @param {Op} op
   */
  append(op) {
    if (!(op.chars > 0)) return;
    if (op.opcode === KEEP) {
      if (this._removes.length || this._inserts.length) this._flushEdits();
      mergeOp(this._keeps, op);
    } else {
      if (this._keeps.length) {
        for (const keep of this._keeps) this._done.push(keep);
        this._keeps.length = 0;
      }
      mergeOp(op.opcode === REMOVE ? this._removes : this._inserts, op);
    }
  }

  _flushEdits() {
    for (const op of this._removes) this._done.push(op);
    for (const op of this._inserts) this._done.push(op);
    this._removes.length = 0;
    this._inserts.length = 0;
  }

  /**
   * Return the canonical ops (trailing plain keeps dropped).
   * @returns {Op[]}
   */
  toOps() {
    this._flushEdits();
    const keeps = this._keeps;
    while (keeps.length && keeps[keeps.length - 1].attribs === '') keeps.pop();
    for (const keep of keeps) this._done.push(keep);
    keeps.length = 0;
    return this._done;
  }

  /**
   * Return the canonical ops string.
   * @returns {string}
   */
  toString() {
    return formatOps(this.toOps());
  }
}
