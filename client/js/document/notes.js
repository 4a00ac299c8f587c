// What a reader is shown of a merged document's marks: the old attributes as the old
// revision showed them, and notes in words ("Formatted: Bold"). Twin of
// server/policypad/document/_notes.py, in the same words. Everything is checked as render
// checks it: an old link that would not render is left out, like a host attribute whose
// name is not safe. The renderer escapes and writes these.

import { DIFF_BEFORE, decodeAttributes } from './changes.js';
import { EXTRA_PREFIX, LINK_SCHEMES, cleanUrl, compareCodePoints, isSafeAttributeName } from './schema.js';

const FLAG_NAMES = new Map([
  ['bold', 'Bold'],
  ['italic', 'Italic'],
  ['underline', 'Underline'],
  ['strike', 'Strikethrough'],
  ['code', 'Code'],
  ['sub', 'Subscript'],
  ['sup', 'Superscript'],
]);
const ALIGNMENTS = new Map([
  ['center', 'centered'],
  ['right', 'right-aligned'],
  ['justify', 'justified'],
]);
const HEADING = /^[1-6]$/;
const SHOWN_BLOCK_KEYS = new Set([
  'heading', 'pre', 'list', 'indent', 'start', 'quote', 'align', 'bclass', 'th', 'head', 'colspan', 'rowspan',
]);

function isExtra(key, value) {
  return key.startsWith(EXTRA_PREFIX) && Boolean(value) && isSafeAttributeName(key.slice(1));
}

/**
 * The inline attributes render shows (links checked again; no author, no embed).
 * @param {Object<string, string>} attrs
 * @returns {Object<string, string>}
 */
export function shownInline(attrs) {
  const shown = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (FLAG_NAMES.has(key)) {
      if (value === 'true') shown[key] = value;
    } else if (key === 'link') {
      const link = cleanUrl(value, LINK_SCHEMES, false);
      if (link !== null) shown[key] = link;
    } else if ((key === 'class' && value) || isExtra(key, value)) {
      shown[key] = value;
    }
  }
  return shown;
}

/**
 * The block attributes render shows, without table ids (a reader sees no ids).
 * @param {Object<string, string>} block
 * @returns {Object<string, string>}
 */
export function shownBlock(block) {
  const shown = {};
  for (const [key, value] of Object.entries(block)) {
    if ((SHOWN_BLOCK_KEYS.has(key) && value) || isExtra(key, value)) shown[key] = value;
  }
  return shown;
}

/**
 * The old attributes of a run or line in both revisions (`diff-before`).
 * @param {Object<string, string>} attrs
 * @returns {Object<string, string>}
 */
export function oldAttributes(attrs) {
  return decodeAttributes(attrs[DIFF_BEFORE]) ?? {};
}

function change(old, next, name) {
  if (old === undefined) return `${name} ${next}`;
  if (next === undefined) return `No ${name.toLowerCase()} (was ${old})`;
  return `${name} ${next} (was ${old})`;
}

/**
 * A reader's note on a formatting change: "Formatted: Bold, Not italic".
 * @param {Object<string, string>} old shown attributes (shownInline)
 * @param {Object<string, string>} next shown attributes
 * @returns {string}
 */
export function formatNote(old, next) {
  const notes = [];
  for (const [flag, name] of FLAG_NAMES) {
    if ((flag in old) !== (flag in next)) notes.push(flag in next ? name : `Not ${name.toLowerCase()}`);
  }
  for (const [key, name] of [['link', 'Link'], ['class', 'Class']]) {
    if (old[key] !== next[key]) notes.push(change(old[key], next[key], name));
  }
  const extras = [...new Set([...Object.keys(old), ...Object.keys(next)])]
    .filter((key) => key.startsWith(EXTRA_PREFIX))
    .sort(compareCodePoints);
  for (const key of extras) if (old[key] !== next[key]) notes.push(change(old[key], next[key], key.slice(1)));
  return notes.length ? `Formatted: ${notes.join(', ')}` : 'Formatted';
}

/**
 * A reader's words for a line's block: "Numbered list item, level 2, centered".
 * @param {Object<string, string>} block
 * @returns {string}
 */
export function describeBlock(block) {
  const parts = [];
  if (block.list !== undefined) parts.push(block.list === 'number' ? 'Numbered list item' : 'Bulleted list item');
  if (block.heading !== undefined && HEADING.test(block.heading)) parts.push(`Heading ${block.heading}`);
  if (block.pre === 'true') parts.push('Preformatted');
  if (parts.length === 0) parts.push('Paragraph');
  if (block.list !== undefined && (block.indent ?? '1') !== '1') parts.push(`level ${block.indent}`);
  if (block.start !== undefined) parts.push(`starting at ${block.start}`);
  if (block.quote === 'true') parts.push('quoted');
  if (ALIGNMENTS.has(block.align)) parts.push(ALIGNMENTS.get(block.align));
  if (block.bclass) parts.push(`class ${block.bclass}`);
  if (block.table !== undefined) parts.push('in a table');
  if (block.th === 'true') parts.push('header cell');
  if (block.head === 'true') parts.push('header row');
  for (const key of ['colspan', 'rowspan']) if (block[key] !== undefined) parts.push(`${key} ${block[key]}`);
  const extras = Object.keys(block).sort(compareCodePoints);
  for (const key of extras) if (isExtra(key, block[key])) parts.push(`${key.slice(1)} ${block[key]}`);
  return parts.join(', ');
}
