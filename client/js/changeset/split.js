// Splitting a changeset in two, for a commit too large for one message (a paste of a
// whole book): the first part makes at most so many changes (ops that insert, delete or
// change attributes) and inserts at most so many units, and the two composed are the whole. The client sends the first and keeps the
// second, split again if need be, for after its ack.

import { INSERT, KEEP, countNewlines, splitsPair } from './base.js';
import { Builder } from './builder.js';
import { unpack } from './core.js';

/**
 * Return [first, second] such that applying `first` then `second` is applying `cs`, with
 * `first` inserting at most `maxInserted` units in at most `maxOps` ops that change
 * something (at least one, so that a split always makes progress); second is null if
 * `cs` is within both already.
 * @param {string} cs a canonical changeset (an op spanning newlines ends with one)
 * @param {number} maxInserted
 * @param {number} [maxOps]
 * @returns {[string, string|null]}
 */
export function splitChangeset(cs, maxInserted, maxOps = Infinity) {
  maxInserted = Math.max(1, maxInserted);
  const parsed = unpack(cs);
  const ops = [...parsed.ops];
  if (parsed.charBank.length <= maxInserted && changing(ops) <= maxOps) return [cs, null];
  const bank = parsed.charBank;
  const first = new Builder(parsed.oldLen);
  let banked = 0; // units of the char bank read so far
  let made = 0; // units of the text after the first part, up to where it stops
  let lines = 0; // newlines in those
  let lineEnd = 0; // where the last of them ends
  let changes = 0; // ops that change something (a plain keep costs next to nothing)
  let index = 0;
  for (; index < ops.length; index++) {
    const op = ops[index];
    const plain = op.opcode === KEEP && !op.attribs;
    if (!plain && changes >= Math.max(1, maxOps)) break;
    if (op.opcode === INSERT && banked + op.chars > maxInserted) break;
    if (!plain) changes += 1;
    banked = copyOp(first, op, bank, banked);
    if (op.opcode !== INSERT && op.opcode !== KEEP) continue; // a deletion makes no text
    made += op.chars;
    if (op.lines > 0) {
      lines += op.lines;
      lineEnd = made; // a canonical op spanning newlines ends with one
    }
  }
  // the insert that does not fit whole: as much of it as fits (never half a surrogate pair)
  let rest = '';
  let restAttribs = '';
  if (index < ops.length && ops[index].opcode === INSERT && changes < Math.max(1, maxOps)) {
    const op = ops[index];
    const text = bank.slice(banked, banked + op.chars);
    let take = maxInserted - banked;
    if (splitsPair(text, take)) take += take > 1 || banked > 0 ? -1 : 1;
    const head = text.slice(0, take);
    if (head) {
      first.insert(head, op.attribs);
      const newline = head.lastIndexOf('\n');
      if (newline >= 0) {
        lines += countNewlines(head);
        lineEnd = made + newline + 1;
      }
      made += head.length;
    }
    rest = text.slice(take);
    restAttribs = op.attribs;
    banked += op.chars; // (the rest of it goes in the second part)
    index += 1;
  }
  const firstPart = first.toString();
  const second = new Builder(unpack(firstPart).newLen);
  if (lineEnd > 0) second.keep(lineEnd, lines);
  if (made > lineEnd) second.keep(made - lineEnd, 0);
  if (rest) second.insert(rest, restAttribs);
  for (let at = banked; index < ops.length; index++) at = copyOp(second, ops[index], bank, at);
  return [firstPart, second.toString()];
}

/** Append `op` to `builder` (an insert's text is `bank` from `at`); return where the
 * next insert's text begins. */
function copyOp(builder, op, bank, at) {
  if (op.opcode === INSERT) {
    builder.insert(bank.slice(at, at + op.chars), op.attribs);
    return at + op.chars;
  }
  if (op.opcode === KEEP) builder.keep(op.chars, op.lines, op.attribs);
  else builder.remove(op.chars, op.lines);
  return at;
}

/** How many of `ops` change something. */
function changing(ops) {
  let count = 0;
  for (const op of ops) if (op.opcode !== KEEP || op.attribs) count += 1;
  return count;
}
