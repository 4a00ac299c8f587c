// Word's list paragraphs -> the model's list lines. Twin of the Python module
// server/policypad/document/office_lists.py, which explains the format; in short:
//
//   <p style='mso-list:l1 level2 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>
//     a.<span>&nbsp; </span></span><![endif]>Text</p>      and in the page's style sheet
//   @list l1:level2 {mso-level-number-format:alpha-lower}
//
// The parser (parse.js) reads such a paragraph as a list line at its level, leaves the
// marker out of the text and keeps it on the line under OFFICE_KEY; `resolveOfficeLists`
// then settles, over the whole document, the list type (the style sheet's format, else the
// marker's shape) and the start number (the marker's, where render would show another).
// Both steps follow the Python module exactly: the shared vectors hold them to it.

/** Block key of a Word list line between the walk and `resolveOfficeLists`. */
export const OFFICE_KEY = '~office';

const MAX_INDENT = 8;
const ITEM = /^(l[0-9]+)[ \t\n\r\f]+level([0-9]+)/;
const DEFINITION = /@list[ \t\n\r\f]+(l[0-9]+):level([0-9]+)[ \t\n\r\f]*\{([^}]*)\}/gi;
const NUMBER_FORMAT = /mso-level-number-format[ \t\n\r\f]*:[ \t\n\r\f]*([a-z-]+)/i;
const MARKER_SPACE = /[ \t\n\r\f\u00a0]+/;
const MARKER_TRIM = /^[ \t\n\r\f\u00a0]+|[ \t\n\r\f\u00a0]+$/g;
const DIGIT_MARKER = /^\(?(?:[0-9]+\.)*([0-9]{1,9})[.)]?\)?$/;
const LETTER_MARKER = /^\(?([a-zA-Z]{1,8})[.)]\)?$/;
const ROMAN = /^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/;
const BULLET_FORMATS = new Set(['bullet', 'image']);
const DIGITS = /^[0-9]+$/;
// Python's str.strip() whitespace, as the parsers' style values are stripped
const PY_SPACE = /^[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Whether HTML (a clipboard's) holds Word list paragraphs. */
export function hasOfficeLists(html) {
  return /mso-list\s*:\s*l[0-9]+\s+level[0-9]/i.test(html);
}

/** One Word list paragraph being walked: its list, level and marker text. */
export class OfficeItem {
  /**
   * @param {string} listId
   * @param {number} level
   * @param {Node|null} owner the paragraph's element (so the walk knows where it ends);
   *   null for a paragraph already in a real list, whose marker is only left out
   */
  constructor(listId, level, owner) {
    this.listId = listId;
    this.level = level;
    this.owner = owner;
    this.marker = '';
    /** Between `[if !supportLists]` and `[endif]`: text there is the marker. */
    this.inCommentMarker = false;
    /** Whether a line has taken the marker (an item's later lines are plain list lines). */
    this.used = false;
  }

  encode() {
    const marker = this.marker.replace(MARKER_TRIM, '').split(MARKER_SPACE)[0];
    return `${this.listId}:${this.level}:${marker}`;
  }
}

/**
 * The list id and level (1..8) a `mso-list` value names ("l0 level2 lfo1" -> ["l0", 2]),
 * or null.
 * @param {string|null} msoList
 */
export function listItem(msoList) {
  if (!msoList) return null;
  const found = ITEM.exec(msoList.replace(PY_SPACE, '').toLowerCase());
  if (found === null) return null;
  return [found[1], Math.min(Math.max(parseInt(found[2], 10), 1), MAX_INDENT)];
}

/** Whether a `mso-list` value marks the element holding a list item's marker. */
export function isMarkerStyle(msoList) {
  return msoList !== null && msoList.replace(PY_SPACE, '').toLowerCase() === 'ignore';
}

/** A comment inside a list paragraph: Word's conditional comments fence the marker. */
export function noteComment(item, data) {
  const text = data.replace(PY_SPACE, '').toLowerCase();
  if (text === '[if !supportlists]') item.inCommentMarker = true;
  else if (text === '[endif]') item.inCommentMarker = false;
}

/**
 * The number format of each list level a Word style sheet defines: "l1:2" ->
 * "alpha-lower" ("decimal" where it names none).
 * @param {Iterable<string>} styles
 * @returns {Map<string, string>}
 */
export function listDefinitions(styles) {
  const found = new Map();
  for (const style of styles) {
    if (!style.includes('@list')) continue;
    for (const [, listId, level, body] of style.matchAll(DEFINITION)) {
      const format = NUMBER_FORMAT.exec(body);
      found.set(`${listId.toLowerCase()}:${parseInt(level, 10)}`, format ? format[1].toLowerCase() : 'decimal');
    }
  }
  return found;
}

/** The text of the `style` elements inside `scope` (a document or an element). */
export function styleTexts(scope) {
  if (scope === null || scope === undefined || typeof scope.querySelectorAll !== 'function') return [];
  return [...scope.querySelectorAll('style')].map((style) => style.textContent);
}

function letterValue(letters) {
  const lower = letters.toLowerCase();
  if (lower !== lower[0].repeat(lower.length)) return null;
  return (lower.length - 1) * 26 + lower.charCodeAt(0) - 96;
}

const ROMAN_VALUES = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

function romanValue(letters) {
  const lower = letters.toLowerCase();
  if (!ROMAN.test(lower)) return null;
  let total = 0;
  for (let index = 0; index < lower.length; index++) {
    const value = ROMAN_VALUES[lower[index]];
    const following = index + 1 < lower.length ? ROMAN_VALUES[lower[index + 1]] : 0;
    total += value < following ? -value : value;
  }
  return total;
}

/**
 * The numbers a marker may stand for, most likely first; null for a bullet (see the
 * Python twin's `marker_numbers`).
 * @param {string} marker
 * @param {string|undefined} format the level's number format, if the style sheet has it
 * @returns {number[]|null}
 */
export function markerNumbers(marker, format) {
  if (format !== undefined && BULLET_FORMATS.has(format)) return null;
  const digits = DIGIT_MARKER.exec(marker);
  if (digits !== null) return [parseInt(digits[1], 10)];
  const letters = LETTER_MARKER.exec(marker);
  if (letters === null) return format !== undefined ? [] : null;
  const text = letters[1];
  let letter = letterValue(text);
  let roman = romanValue(text);
  if (format !== undefined && format.startsWith('alpha')) roman = null;
  else if (format !== undefined && format.startsWith('roman')) letter = null;
  const values = roman !== null && (text.length > 1 || text.toLowerCase() === 'i') ? [roman, letter] : [letter, roman];
  const found = values.filter((value) => value !== null);
  if (found.length === 0 && format === undefined) return null;
  return found;
}

/** The numbers a browser shows for list lines, as render nests them (see the Python twin). */
class ListCounter {
  constructor() {
    /** @type {Array<{tag: string, level: number, itemOpen: boolean, next: number}>} */
    this.stack = [];
  }

  /** The number the next line would show at `level` without a start number. */
  expected(tag, level) {
    let top = null;
    for (const entry of this.stack) if (entry.level <= level) top = entry;
    return top !== null && top.level === level && top.tag === tag ? top.next : 1;
  }

  add(tag, level, start) {
    const stack = this.stack;
    while (stack.length > 0 && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (top !== undefined && top.level === level && (top.tag !== tag || start)) stack.pop();
    top = stack[stack.length - 1];
    if (top === undefined || top.level !== level) {
      let current = top === undefined ? 0 : top.level;
      while (current < level) {
        current += 1;
        const parent = stack[stack.length - 1];
        if (parent !== undefined && !parent.itemOpen) {
          parent.itemOpen = true;
          parent.next += 1;
        }
        stack.push({ tag, level: current, itemOpen: false, next: current === level && start ? start : 1 });
      }
    }
    top = stack[stack.length - 1];
    top.itemOpen = true;
    top.next += 1;
  }
}

function levelOf(block) {
  const indent = block.indent ?? '';
  return DIGITS.test(indent) ? Math.min(Math.max(parseInt(indent, 10), 1), MAX_INDENT) : 1;
}

function startOf(block) {
  const start = block.start ?? '';
  return DIGITS.test(start) && parseInt(start, 10) > 1 ? parseInt(start, 10) : 0;
}

function sameContainer(a, b) {
  return a.table === b.table && a.row === b.row && a.cell === b.cell && a.quote === b.quote;
}

/**
 * Settle the Word list lines (those holding OFFICE_KEY) of a parse: their list type and
 * start number. Returns new lines for those it changes (the others, and all runs, are
 * shared), none holding OFFICE_KEY.
 * @param {Array<[Array, object]>} lines
 * @param {() => Map<string, string>} definitions the style sheet's formats (see
 *   listDefinitions), asked once if a line needs them
 */
export function resolveOfficeLists(lines, definitions) {
  let formats = null;
  let counter = new ListCounter();
  let previous = null;
  const resolved = [];
  for (const line of lines) {
    let block = line[1];
    const office = block[OFFICE_KEY];
    let numbers = null;
    if (office !== undefined) {
      formats ??= definitions();
      const first = office.indexOf(':');
      const second = office.indexOf(':', first + 1);
      const key = office.slice(0, second);
      numbers = markerNumbers(office.slice(second + 1), formats.get(key));
      block = { ...block };
      delete block[OFFICE_KEY];
      block.list = numbers === null ? 'bullet' : 'number';
    }
    if (block.list === undefined) {
      counter = new ListCounter();
      previous = null;
      resolved.push(line);
      continue;
    }
    if (previous === null || !sameContainer(block, previous)) {
      counter = new ListCounter();
    }
    previous = block;
    const tag = block.list === 'number' ? 'ol' : 'ul';
    const level = levelOf(block);
    if (office !== undefined && tag === 'ol' && numbers !== null && numbers.length > 0) {
      const expected = counter.expected(tag, level);
      if (!numbers.includes(expected) && numbers[0] > 1) block.start = String(numbers[0]);
    }
    counter.add(tag, level, tag === 'ol' ? startOf(block) : 0);
    resolved.push(office !== undefined ? [line[0], Object.freeze(block)] : line);
  }
  return resolved;
}
