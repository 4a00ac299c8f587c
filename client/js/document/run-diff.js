// The diff of one line's runs: inserted, deleted and reformatted text, marked. Twin of
// server/policypad/document/_run_diff.py, whose docstring states the rules. Positions
// count code points, as Python's strings do, so that both languages cut text alike.

import { EMBED } from './parse.js';
import {
  DELETED,
  DIFF,
  DIFF_BEFORE,
  FORMATTED,
  INSERTED,
  encodeAttributes,
  isVisibleInlineChange,
} from './changes.js';
import { mergeRuns } from './lines.js';
import { DELETE, EQUAL, INSERT, cleanupSemantic, diffSymbols, mergeOps, segments } from './sequences.js';

const LETTERS = '0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02af\\u0300-\\u036f\\u0370-\\u03ff\\u0400-\\u052f';
const WORD = new RegExp(`[${LETTERS}]+`, 'gu');
const TOKEN = new RegExp(`[${LETTERS}]+|[\\s\\S]`, 'gu');
const EMBED_KEYS = ['embed', 'src', 'alt', 'width', 'height'];

/**
 * The symbol of an embed character: the character and its embed attributes.
 * @param {Object<string, string>} attrs
 * @returns {string}
 */
export function embedSymbol(attrs) {
  const own = {};
  for (const key of EMBED_KEYS) if (attrs[key] !== undefined) own[key] = attrs[key];
  return EMBED + encodeAttributes(own);
}

function textOf(runs) {
  let text = '';
  for (const [piece] of runs) text += piece;
  return text;
}

/** The symbol of each U+FFFC of a line, in order. */
function embedSymbols(runs) {
  const out = [];
  for (const [piece, attrs] of runs) {
    if (!piece.includes(EMBED)) continue;
    const symbol = embedSymbol(attrs);
    for (const char of piece) if (char === EMBED) out.push(symbol);
  }
  return out;
}

/**
 * Return a line's tokens: their texts, and their symbols (what compares).
 * @param {Array<[string, object]>} runs
 * @returns {[string[], string[]]}
 */
export function tokens(runs) {
  const text = textOf(runs);
  const texts = text.match(TOKEN) ?? [];
  if (!text.includes(EMBED)) return [texts, texts];
  const embeds = embedSymbols(runs);
  let next = 0;
  return [texts, texts.map((token) => (token === EMBED ? embeds[next++] : token))];
}

/**
 * Return the words of a line and its embeds' symbols: what two lines share when alike.
 * @param {Array<[string, object]>} runs
 * @returns {Set<string>}
 */
export function words(runs) {
  const text = textOf(runs);
  const found = new Set(text.match(WORD) ?? []);
  if (text.includes(EMBED)) for (const symbol of embedSymbols(runs)) found.add(symbol);
  return found;
}

/**
 * What makes two lines the same text: the characters, and each embed's attributes.
 * @param {Array<[string, object]>} runs
 * @returns {string}
 */
export function lineKey(runs) {
  const text = textOf(runs);
  if (!text.includes(EMBED)) return text;
  return `${text}\u0000${embedSymbols(runs).join('\u0000')}`;
}

/** A token's size in code points (a word holds BMP letters only; others are one character). */
function size(token) {
  return token.length === 2 && token.codePointAt(0) > 0xffff ? 1 : token.length;
}

/**
 * Return the merged runs of two lines.
 * @param {Array<[string, object]>} old
 * @param {Array<[string, object]>} next
 * @param {import('./sequences.js').Budget} budget
 * @returns {Array<[string, object]>}
 */
export function diffRuns(old, next, budget) {
  const [oldTexts, oldSymbols] = tokens(old);
  const [newTexts, newSymbols] = tokens(next);
  let ops = diffSymbols(oldSymbols, newSymbols, budget);
  ops = cleanupSemantic(ops, oldTexts.map(size), newTexts.map(size));
  const oldLetters = lettersOf(oldTexts, oldSymbols);
  const newLetters = lettersOf(newTexts, newSymbols);
  let letters = refine(ops, oldLetters, newLetters);
  letters = slide(letters, oldLetters.flat(), newLetters.flat(), perLetter(old), perLetter(next));
  const out = [];
  const oldCursor = new Cursor(old);
  const newCursor = new Cursor(next);
  for (const [kind, count] of letters) {
    if (kind === EQUAL) out.push(...keptRuns(oldCursor.take(count), newCursor.take(count)));
    else if (kind === DELETE) for (const [text, attrs] of oldCursor.take(count)) out.push([text, { ...attrs, [DIFF]: DELETED }]);
    else for (const [text, attrs] of newCursor.take(count)) out.push([text, { ...attrs, [DIFF]: INSERTED }]);
  }
  return mergeRuns(out);
}

/** Each token's letters as symbols: its code points, or an embed's one symbol. */
function lettersOf(texts, symbols) {
  return texts.map((text, index) => (text === symbols[index] ? Array.from(text) : [symbols[index]]));
}

/** Token ops -> character ops, each replaced stretch trimmed of the letters it keeps. */
function refine(ops, old, next) {
  const out = [];
  let oldAt = 0;
  let newAt = 0;
  for (const [equal, deleted, inserted] of segments(ops)) {
    if (equal) {
      let characters = 0;
      for (let k = oldAt; k < oldAt + deleted; k++) characters += old[k].length;
      out.push([EQUAL, characters]);
      oldAt += deleted;
      newAt += inserted;
      continue;
    }
    const before = old.slice(oldAt, oldAt + deleted).flat();
    const after = next.slice(newAt, newAt + inserted).flat();
    oldAt += deleted;
    newAt += inserted;
    const shorter = Math.min(before.length, after.length);
    let prefix = 0;
    while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
    let suffix = 0;
    while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
    if (shorter && 2 * (prefix + suffix) <= shorter) {
      prefix = 0;
      suffix = 0;
    }
    out.push(
      [EQUAL, prefix],
      [DELETE, before.length - prefix - suffix],
      [INSERT, after.length - prefix - suffix],
      [EQUAL, suffix],
    );
  }
  return mergeOps(out);
}

/** How far a lone insertion or deletion may slide, each way. */
export const SLIDE_CHARACTERS = 32;

function perLetter(runs) {
  const out = [];
  for (const [text, attrs] of runs) for (const _ of text) out.push(attrs);
  return out;
}

/**
 * Slide each lone insertion or deletion (equal text on both sides) along the text it
 * repeats, up to SLIDE_CHARACTERS each way, to where the fewest equal characters change
 * formatting; ties go to the smallest move, then to the left.
 */
function slide(ops, old, next, oldAttrs, newAttrs) {
  ops = [[EQUAL, 0], ...ops.map((op) => [...op]), [EQUAL, 0]]; // every edit between two equal runs, maybe empty
  let oldAt = 0;
  let newAt = 0;
  for (let index = 1; index < ops.length - 1; index++) {
    const [kind, count] = ops[index];
    if (kind === EQUAL) {
      oldAt += count;
      newAt += count;
      continue;
    }
    const lone = ops[index - 1][0] === EQUAL && ops[index + 1][0] === EQUAL;
    const before = ops[index - 1][1];
    const after = ops[index + 1][1];
    const [edited, start, other] = kind === INSERT ? [next, newAt, oldAt] : [old, oldAt, newAt];
    let left = 0;
    let right = 0;
    if (lone) {
      while (left < Math.min(before, SLIDE_CHARACTERS) && edited[start - 1 - left] === edited[start + count - 1 - left]) left++;
      while (right < Math.min(after, SLIDE_CHARACTERS) && edited[start + right] === edited[start + count + right]) right++;
    }
    if (left || right) {
      // only letters within left/right of the edit's ends can change sides
      const window = new Set();
      for (let p = start - left; p < start + right; p++) window.add(p);
      for (let p = start + count - left; p < start + count + right; p++) window.add(p);
      const positions = [...window].sort((a, b) => a - b);
      const changed = (shift) => {
        let total = 0;
        for (const position of positions) {
          if (start + shift <= position && position < start + shift + count) continue; // inside the edit
          const paired = position - start + other - (position >= start + shift + count ? count : 0);
          const changes = kind === INSERT ? isVisibleInlineChange(oldAttrs[paired], newAttrs[position]) : isVisibleInlineChange(oldAttrs[position], newAttrs[paired]);
          if (changes) total++;
        }
        return total;
      };
      let shift = -left;
      let bestCost = changed(shift);
      for (let s = -left + 1; s <= right; s++) {
        const cost = changed(s);
        // fewest changes, then the smallest move, then the leftmost
        if (cost < bestCost || (cost === bestCost && (Math.abs(s) < Math.abs(shift)))) {
          shift = s;
          bestCost = cost;
        }
      }
      if (shift) {
        ops[index - 1] = [EQUAL, before + shift];
        ops[index + 1] = [EQUAL, after - shift];
        oldAt += shift;
        newAt += shift;
      }
    }
    if (kind === DELETE) oldAt += count;
    else newAt += count;
  }
  return mergeOps(ops);
}

/** Reads a line's runs from the start, `count` code points at a time. */
class Cursor {
  constructor(runs) {
    this.runs = runs;
    this.index = 0;
    this.offset = 0; // in UTF-16 units
  }

  take(count) {
    const pieces = [];
    while (count) {
      const [text, attrs] = this.runs[this.index];
      let end = this.offset;
      while (count && end < text.length) {
        end += text.codePointAt(end) > 0xffff ? 2 : 1;
        count--;
      }
      pieces.push([text.slice(this.offset, end), attrs]);
      this.offset = end;
      if (end === text.length) {
        this.index++;
        this.offset = 0;
      }
    }
    return pieces;
  }
}

function sameAttributes(a, b) {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}

function sameRuns(a, b) {
  return a.length === b.length && a.every(([text, attrs], index) => text === b[index][0] && sameAttributes(attrs, b[index][1]));
}

/**
 * The merged runs of the same text in both revisions: the new attributes, and the old ones
 * in `diff-before` where they differ (marked 'format' if a reader sees it).
 * @param {Array<[string, object]>} old
 * @param {Array<[string, object]>} next
 * @returns {Array<[string, object]>}
 */
export function keptRuns(old, next) {
  if (sameRuns(old, next)) return next;
  const out = [];
  let oldIndex = 0;
  let newIndex = 0;
  let oldOffset = 0;
  let newOffset = 0;
  while (oldIndex < old.length && newIndex < next.length) {
    const [oldText, oldAttrs] = old[oldIndex];
    const [newText, newAttrs] = next[newIndex];
    const length = Math.min(oldText.length - oldOffset, newText.length - newOffset);
    const text = newText.slice(newOffset, newOffset + length);
    if (sameAttributes(oldAttrs, newAttrs)) {
      out.push([text, newAttrs]);
    } else {
      const attrs = { ...newAttrs, [DIFF_BEFORE]: encodeAttributes(oldAttrs) };
      if (isVisibleInlineChange(oldAttrs, newAttrs)) attrs[DIFF] = FORMATTED;
      out.push([text, attrs]);
    }
    oldOffset += length;
    newOffset += length;
    if (oldOffset === oldText.length) {
      oldIndex++;
      oldOffset = 0;
    }
    if (newOffset === newText.length) {
      newIndex++;
      newOffset = 0;
    }
  }
  return out;
}

export { sameAttributes, sameRuns };
