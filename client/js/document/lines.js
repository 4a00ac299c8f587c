// Lines <-> AText: the line form the parser and renderer work on, and the attributed
// text the changeset engine shares.
//
// A line is [runs, block]: runs [[text, attrs], ...] hold the characters of the line
// with their inline attributes, block holds the attributes of the newline that ends it.
// In the AText the line is its text plus "\n"; each run's characters carry its attributes
// and the newline carries the block attributes. Attribute pairs are numbered in the pool
// in order of first use (each run's pairs sorted by key), which is also how the Python
// twin numbers them.

import { makeAText } from '../changeset.js';
import { attrsKey } from './attrs.js';

/**
 * Writes an attribution (insert ops only) in the engine's canonical form as ops arrive.
 *
 * Neighbouring ops with equal attributes merge into at most two: the whole lines (up to the
 * last newline among them), then the partial line after it. So a group needs two counters.
 */
class AttributionWriter {
  constructor() {
    this.out = '';
    this.attribs = null;
    this.wholeChars = 0;
    this.wholeLines = 0;
    this.partChars = 0;
  }

  append(attribs, chars, lines) {
    if (attribs !== this.attribs) {
      this._flush();
      this.attribs = attribs;
    }
    if (lines) {
      this.wholeChars += this.partChars + chars;
      this.wholeLines += lines;
      this.partChars = 0;
    } else {
      this.partChars += chars;
    }
  }

  _flush() {
    if (this.wholeLines) this.out += `${this.attribs}|${this.wholeLines.toString(36)}+${this.wholeChars.toString(36)}`;
    if (this.partChars) this.out += `${this.attribs}+${this.partChars.toString(36)}`;
    this.wholeChars = 0;
    this.wholeLines = 0;
    this.partChars = 0;
  }

  toString() {
    this._flush();
    return this.out;
  }
}

/**
 * Return the AText and pool of lines.
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @param {import('../changeset.js').AttributePool} pool receives the attribute pairs
 * @returns {import('../changeset.js').AText}
 */
export function linesToAText(lines, pool) {
  // Runs of one parse share their attribute objects, so most look-ups hit by identity.
  const byObject = new Map();
  const byKey = new Map();
  const attribsOf = (attrs) => {
    let attribs = byObject.get(attrs);
    if (attribs !== undefined) return attribs;
    const key = attrsKey(attrs);
    attribs = byKey.get(key);
    if (attribs === undefined) {
      attribs = '';
      for (const name of Object.keys(attrs).sort()) {
        attribs += `*${pool.putAttrib([name, attrs[name]]).toString(36)}`;
      }
      byKey.set(key, attribs);
    }
    byObject.set(attrs, attribs);
    return attribs;
  };
  const texts = [];
  const attribution = new AttributionWriter();
  for (const [runs, block] of lines) {
    for (const [text, attrs] of runs) {
      texts.push(text);
      attribution.append(attribsOf(attrs), text.length, 0);
    }
    texts.push('\n');
    attribution.append(attribsOf(block), 1, 1);
  }
  return makeAText(texts.join(''), attribution.toString());
}

const OP = /((?:\*[0-9a-z]+)*)(?:\|[0-9a-z]+)?\+([0-9a-z]+)/g;
const ATTRIB_NUMBER = /\*([0-9a-z]+)/g;

/**
 * Return the lines of an AText.
 * @param {import('../changeset.js').AText} atext
 * @param {import('../changeset.js').AttributePool} pool
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function atextToLines(atext, pool) {
  const cache = new Map();
  const attrsOf = (attribs) => {
    let attrs = cache.get(attribs);
    if (attrs === undefined) {
      attrs = {};
      for (const match of attribs.matchAll(ATTRIB_NUMBER)) {
        const [key, value] = pool.getAttrib(parseInt(match[1], 36));
        if (value !== '') attrs[key] = value;
      }
      cache.set(attribs, Object.freeze(attrs));
    }
    return attrs;
  };
  const text = atext.text;
  const out = [];
  let offset = 0;
  for (const attribution of atext.attributionLines()) {
    const runs = [];
    let block = {};
    for (const match of attribution.matchAll(OP)) {
      const chars = parseInt(match[2], 36);
      const attrs = attrsOf(match[1]);
      const end = offset + chars;
      const isLast = text.charCodeAt(end - 1) === 10;
      const textEnd = isLast ? end - 1 : end;
      if (textEnd > offset) appendRun(runs, text.slice(offset, textEnd), attrs);
      if (isLast) block = attrs;
      offset = end;
    }
    out.push([runs, block]);
  }
  return out;
}

/**
 * Return runs with empty ones dropped and neighbours of equal attributes joined (Python's
 * merge_runs).
 * @param {Array<[string, object]>} runs
 * @returns {Array<[string, object]>}
 */
export function mergeRuns(runs) {
  const out = [];
  for (const [text, attrs] of runs) if (text !== '') appendRun(out, text, attrs);
  return out;
}

function appendRun(runs, text, attrs) {
  const last = runs[runs.length - 1];
  if (last !== undefined && attrsKey(last[1]) === attrsKey(attrs)) last[0] += text;
  else runs.push([text, attrs]);
}

/**
 * Return lines in the line form, checked and made maximal: runs with no text dropped,
 * neighbours with equal attributes merged, attributes copied into frozen objects.
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @returns {Array<[Array<[string, object]>, object]>}
 * @throws {TypeError} if the lines are not in the line form (strings everywhere)
 */
export function checkLines(lines) {
  if (!Array.isArray(lines)) throw new TypeError('lines must be an array of [runs, block]');
  const out = [];
  for (const line of lines) {
    if (!Array.isArray(line) || line.length !== 2 || !Array.isArray(line[0])) {
      throw new TypeError(`a line is [runs, block], got ${JSON.stringify(line)}`);
    }
    const runs = [];
    for (const run of line[0]) {
      if (!Array.isArray(run) || typeof run[0] !== 'string' || run[0].includes('\n')) {
        throw new TypeError(`a run is [text without newline, attrs], got ${JSON.stringify(run)}`);
      }
      if (run[0] !== '') appendRun(runs, run[0], checkAttrs(run[1]));
    }
    out.push([runs, checkAttrs(line[1])]);
  }
  if (out.length === 0) out.push([[], Object.freeze({})]);
  return out;
}

function checkAttrs(attrs) {
  const out = {};
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (typeof value !== 'string') {
      throw new TypeError(`attribute ${JSON.stringify(key)} must be a string, got ${JSON.stringify(value)}`);
    }
    if (value !== '') out[key] = value;
  }
  return Object.freeze(out);
}

/**
 * Return a deep copy of lines with plain, unfrozen objects (the public line form).
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function copyLines(lines) {
  return lines.map(([runs, block]) => [runs.map(([text, attrs]) => [text, { ...attrs }]), { ...block }]);
}

/**
 * Return the plain text of lines: br embeds as newlines, images as their alt text, rules
 * as "---", and a newline after each line.
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @returns {string}
 */
export function linesToText(lines) {
  const out = [];
  for (const [runs] of lines) {
    for (const [text, attrs] of runs) {
      switch (attrs.embed) {
        case undefined:
          out.push(text);
          break;
        case 'br':
          out.push('\n'.repeat(text.length));
          break;
        case 'image':
          out.push((attrs.alt ?? '').repeat(text.length));
          break;
        case 'hr':
          out.push('---');
          break;
        default:
          break;
      }
    }
    out.push('\n');
  }
  return out.join('');
}
