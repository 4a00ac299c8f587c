// Attributed text (AText): a document's text and what each character carries. Twin of atext.py.
//
// The public form is Etherpad's {"text": "ab\n", "attribs": "*0+1|1+2"}: the
// attribution is an ops string of inserts, one per run of equal attributes, and the
// text always ends with a newline. Inside, text and attribution are kept per line,
// in chunks of lines, so that applying a changeset costs the lines it touches:
//
//   chunks: [ {lines: ["*0|1+4", "|1+1"], texts: ["abc\n", "\n"], units: 5}, ... ]
//
// Unlike the Python twin, the whole text is not copied on each change either: it
// is joined from the lines only when `text` is read. Chunk layout never shows in
// any result, so it need not match Python's.

import {
  ChangesetError,
  INSERT,
  KEEP,
  REMOVE,
  checkNoLoneSurrogate,
  formatBase36,
  hasAstral,
  splitsPair,
} from './base.js';
import { checkNeighbours, spliceOps, unpack } from './core.js';
import { formatOp, formatOps, mergeOp, parseOps } from './ops.js';
import { slicerStep, zipOps } from './zip.js';

/** Lines per chunk when chunks are (re)built; a chunk is split past twice this. */
const CHUNK_LINES = 64;

function makeChunk(lines, texts) {
  let units = 0;
  for (const text of texts) units += text.length;
  return { lines, texts, units };
}

// Parsed attribution lines by string. Lines repeat a lot ("|1+1", runs of one
// author), and parsed values are only read, so they can be shared.
const LINE_CACHE_SIZE = 16384;
const lineCache = new Map();

function parseLine(line) {
  let ops = lineCache.get(line);
  if (ops === undefined) {
    ops = parseOps(line);
    lineCache.set(line, ops);
    if (lineCache.size > LINE_CACHE_SIZE) lineCache.delete(lineCache.keys().next().value);
  }
  return ops;
}

function bisectRight(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Split text that ends with a newline (or is empty) into lines, each with its newline. */
function splitTextLines(text) {
  const texts = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    texts.push(text.slice(start, i + 1));
    start = i + 1;
  }
  return texts;
}

function chunked(lines, texts) {
  const chunks = [];
  for (let i = 0; i < lines.length; i += CHUNK_LINES) {
    chunks.push(makeChunk(lines.slice(i, i + CHUNK_LINES), texts.slice(i, i + CHUNK_LINES)));
  }
  return chunks;
}

/** An immutable attributed text. Build with `makeAText`; change with `applyToAText`. */
export class AText {
  /**
   * Same as `makeAText(text, attribs)`.
   * @param {string} text must end with a newline
   * @param {string|null} [attribs] attribution (ops string of inserts); default: no attributes
   * @throws {ChangesetError} if the text or attribution is malformed or they do not fit
   */
  constructor(text, attribs = null) {
    const parts = buildParts(text, attribs);
    this._init(parts.text, parts.length, parts.astral, parts.chunks);
  }

  _init(text, length, astral, chunks) {
    this._text = text;
    this._length = length;
    this._astral = astral;
    this._chunks = chunks;
    this._attribs = null;
    this._unitStarts = null;
    this._lineStarts = null;
  }

  static _fromParts(text, length, astral, chunks) {
    const atext = Object.create(AText.prototype);
    atext._init(text, length, astral, chunks);
    return atext;
  }

  /** The text (ends with a newline), joined from its lines on first read. */
  get text() {
    if (this._text === null) {
      const parts = [];
      for (const chunk of this._chunks) for (const text of chunk.texts) parts.push(text);
      this._text = parts.join('');
    }
    return this._text;
  }

  /** Length of the text in UTF-16 units. */
  get length() {
    return this._length;
  }

  /** The attribution string (canonical ops of inserts) of the whole text. */
  get attribs() {
    if (this._attribs === null) {
      const run = [];
      for (const chunk of this._chunks) {
        for (const line of chunk.lines) for (const op of parseLine(line)) mergeOp(run, op);
      }
      this._attribs = formatOps(run);
    }
    return this._attribs;
  }

  /** Number of lines (newlines) in the text. */
  get lineCount() {
    const lineStarts = this._starts()[1];
    return lineStarts[lineStarts.length - 1];
  }

  /**
   * Return the attribution of each line (Etherpad's attribution lines).
   * @returns {string[]}
   */
  attributionLines() {
    const out = [];
    for (const chunk of this._chunks) for (const line of chunk.lines) out.push(line);
    return out;
  }

  /**
   * Return the JSON form.
   * @returns {{text: string, attribs: string}}
   */
  toJsonable() {
    return { text: this.text, attribs: this.attribs };
  }

  /** @returns {{text: string, attribs: string}} the JSON form (for JSON.stringify) */
  toJSON() {
    return this.toJsonable();
  }

  /**
   * Build from the JSON form.
   * @param {{text: string, attribs: string|null}} data
   * @returns {AText}
   * @throws {ChangesetError} if malformed
   */
  static fromJsonable(data) {
    if (typeof data !== 'object' || data === null || !('text' in data) || !('attribs' in data)) {
      throw new ChangesetError("an AText needs 'text' and 'attribs'");
    }
    return makeAText(data.text, data.attribs);
  }

  /**
   * Return whether `other` (an AText or its JSON form) has the same text and attribution.
   * @param {AText|{text: string, attribs: string}} other
   * @returns {boolean}
   */
  equals(other) {
    if (other === null || typeof other !== 'object') return false;
    return this.text === other.text && this.attribs === other.attribs;
  }

  /** Cumulative [units, lines] at the start of each chunk, plus the totals. */
  _starts() {
    if (this._unitStarts === null) {
      const chunks = this._chunks;
      const unitStarts = new Array(chunks.length + 1);
      const lineStarts = new Array(chunks.length + 1);
      let units = 0;
      let lines = 0;
      unitStarts[0] = 0;
      lineStarts[0] = 0;
      for (let i = 0; i < chunks.length; i++) {
        units += chunks[i].units;
        lines += chunks[i].texts.length;
        unitStarts[i + 1] = units;
        lineStarts[i + 1] = lines;
      }
      this._unitStarts = unitStarts;
      this._lineStarts = lineStarts;
    }
    return [this._unitStarts, this._lineStarts];
  }

  /**
   * Return [chunk index, line within the chunk, unit offset of the line's start] of the
   * line holding unit `position` (0 <= position < length).
   */
  _find(position) {
    const [unitStarts] = this._starts();
    const chunk = bisectRight(unitStarts, position) - 1;
    const texts = this._chunks[chunk].texts;
    const offset = position - unitStarts[chunk];
    let start = 0;
    let line = 0;
    while (start + texts[line].length <= offset) {
      start += texts[line].length;
      line++;
    }
    return [chunk, line, unitStarts[chunk] + start];
  }

  /**
   * Return [line number, unit offset of that line's start] for a unit position.
   * @param {number} position 0..length
   * @returns {[number, number]}
   * @throws {ChangesetError} if the position is outside the text
   */
  locate(position) {
    if (!(position >= 0 && position <= this._length)) {
      throw new ChangesetError(`position ${position} is outside the text (0..${this._length})`);
    }
    const [, lineStarts] = this._starts();
    if (position === this._length) return [lineStarts[lineStarts.length - 1], this._length];
    const [chunk, line, start] = this._find(position);
    return [lineStarts[chunk] + line, start];
  }

  /** Return text[start:end] (unit positions), read from the lines it spans. */
  _slice(start, end) {
    if (this._text !== null) return this._text.slice(start, end);
    if (start >= end) return '';
    let [chunk, line, lineStart] = this._find(start);
    const chunks = this._chunks;
    let out = '';
    let from = start - lineStart;
    while (lineStart < end) {
      const text = chunks[chunk].texts[line];
      out += text.slice(from, end - lineStart);
      lineStart += text.length;
      from = 0;
      line++;
      if (line === chunks[chunk].texts.length) {
        chunk++;
        line = 0;
        if (chunk === chunks.length) break;
      }
    }
    return out;
  }

  /** Return whether a cut at unit `position` would split a surrogate pair. */
  _splitsPair(position) {
    if (!this._astral || position <= 0 || position >= this._length) return false;
    if (this._text !== null) return splitsPair(this._text, position);
    const [chunk, line, start] = this._find(position);
    // a line starts after a newline, never inside a pair
    return position > start && splitsPair(this._chunks[chunk].texts[line], position - start);
  }
}

function buildParts(text, attribs) {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    throw new ChangesetError("a document's text must end with a newline");
  }
  checkNoLoneSurrogate(text, 'text');
  const texts = splitTextLines(text);
  const lengths = texts.map((line) => line.length);
  let lines;
  if (attribs === null || attribs === undefined) {
    lines = lengths.map((n) => `|1+${formatBase36(n)}`);
  } else {
    if (typeof attribs !== 'string') {
      throw new ChangesetError(`an attribution is a string, got ${typeof attribs}`);
    }
    const ops = parseOps(attribs);
    for (let i = 1; i < ops.length; i++) checkNeighbours(ops[i - 1], ops[i]);
    lines = splitLines(ops, lengths);
  }
  return { text, length: text.length, astral: hasAstral(text), chunks: chunked(lines, texts) };
}

/**
 * Return the AText of `text` with attribution `attribs`.
 * @param {string} text must end with a newline
 * @param {string|null} [attribs] attribution (ops string of inserts); default: no attributes
 * @returns {AText}
 * @throws {ChangesetError} if the text does not end with a newline, holds a lone
 *   surrogate, or the attribution does not fit it (lengths, newline counts, non-insert ops)
 */
export function makeAText(text, attribs = null) {
  const parts = buildParts(text, attribs);
  return AText._fromParts(parts.text, parts.length, parts.astral, parts.chunks);
}

/**
 * Cut an attribution (insert ops) into one attribution string per line.
 * @param {import('./ops.js').Op[]} ops
 * @param {number[]} lengths units of each line, newline included
 * @returns {string[]}
 * @throws {ChangesetError} when the attribution does not fit the lines
 */
export function splitLines(ops, lengths) {
  const out = [];
  let lineOps = [];
  let lineIndex = 0;
  const lineCount = lengths.length;
  let remaining = lineCount ? lengths[0] : 0;
  for (const op of ops) {
    if (op.opcode !== INSERT) {
      throw new ChangesetError(`an attribution holds only inserts, found ${JSON.stringify(formatOp(op))}`);
    }
    const attribs = op.attribs;
    let chars = op.chars;
    let crossed = 0;
    while (chars) {
      if (lineIndex >= lineCount) throw new ChangesetError('length mismatch: attribution is longer than the text');
      const take = chars >= remaining ? remaining : chars;
      chars -= take;
      remaining -= take;
      if (remaining) {
        mergeOp(lineOps, { opcode: INSERT, chars: take, lines: 0, attribs });
      } else {
        mergeOp(lineOps, { opcode: INSERT, chars: take, lines: 1, attribs });
        out.push(formatOps(lineOps));
        lineOps = [];
        crossed++;
        lineIndex++;
        remaining = lineIndex < lineCount ? lengths[lineIndex] : 0;
      }
    }
    if (crossed !== op.lines) {
      throw new ChangesetError(
        `bad newline count: attribution op ${JSON.stringify(formatOp(op))} spans ${crossed} newlines`,
      );
    }
  }
  if (lineIndex !== lineCount || lineOps.length) {
    throw new ChangesetError('length mismatch: attribution is shorter than the text');
  }
  return out;
}

/**
 * Return `atext` as an AText (building one from the JSON form).
 * @param {AText|{text: string, attribs: string|null}} atext
 * @returns {AText}
 * @throws {ChangesetError} if the JSON form is malformed
 */
export function asAText(atext) {
  return atext instanceof AText ? atext : AText.fromJsonable(atext);
}

/**
 * Return `atext` changed by `cs` (text and attribution); the pool resolves attributes.
 *
 * Cost: the lines the change touches (plus bookkeeping per chunk of lines).
 * @param {string|import('./core.js').Changeset} cs
 * @param {AText|{text: string, attribs: string|null}} atext
 * @param {import('./pool.js').AttributePool|null} [pool] needed when attributes change
 * @returns {AText}
 * @throws {ChangesetError} on a length or newline mismatch, or if the text would not
 *   end with a newline
 */
export function applyToAText(cs, atext, pool = null) {
  atext = asAText(atext);
  const parsed = unpack(cs);
  const oldLength = atext._length;
  if (parsed.oldLen !== oldLength) {
    throw new ChangesetError(
      `length mismatch: changeset applies to ${parsed.oldLen} units, text has ${oldLength}`,
    );
  }
  // Leading plain keeps touch nothing: skip the lines they span.
  const ops = parsed.ops;
  const count = ops.length;
  let index = 0;
  let lead = 0;
  let leadLines = 0;
  let lineStart = 0;
  while (index < count) {
    const op = ops[index];
    if (op.opcode !== KEEP || op.attribs) break;
    lead += op.chars;
    if (op.lines) {
      if (lead !== op.chars + lineStart) {
        // a partial-line keep before it: its newlines could not be checked here
        throw new ChangesetError('non-canonical: a partial-line keep before a multi-line keep');
      }
      leadLines += op.lines;
      lineStart = lead;
    }
    index++;
  }
  const middle = index ? ops.slice(index) : ops;
  if (middle.length > 0 && middle.length <= 2 && !atext._astral) {
    const spliced = spliceWithinLine(parsed, atext, pool, lead, leadLines, lineStart, middle);
    if (spliced !== null) return spliced;
  }
  let growth = 0;
  let consumed = 0;
  for (const op of middle) {
    if (op.opcode === INSERT) {
      growth += op.chars;
    } else {
      consumed += op.chars;
      if (op.opcode !== KEEP) growth -= op.chars;
    }
  }
  if (growth !== parsed.newLen - parsed.oldLen) {
    throw new ChangesetError(
      `length mismatch: header says new length ${parsed.newLen}, ops give ${parsed.oldLen + growth}`,
    );
  }
  if (lead + consumed > oldLength) {
    throw new ChangesetError('length mismatch: the changeset runs past the end of the text');
  }

  const [unitStarts, lineStarts] = atext._starts();
  const totalLines = lineStarts[lineStarts.length - 1];
  if (leadLines > totalLines) {
    throw new ChangesetError(`bad newline count: keeps ${leadLines} lines of ${totalLines}`);
  }
  const chunks = atext._chunks;
  // where line `leadLines` starts: chunk, line within the chunk, unit offset
  let chunk;
  let within;
  let offset;
  if (leadLines === totalLines) {
    chunk = chunks.length;
    within = 0;
    offset = oldLength;
  } else {
    chunk = bisectRight(lineStarts, leadLines) - 1;
    within = leadLines - lineStarts[chunk];
    offset = unitStarts[chunk];
    const texts = chunks[chunk].texts;
    for (let i = 0; i < within; i++) offset += texts[i].length;
  }
  if (offset !== lineStart) {
    throw new ChangesetError(
      `bad newline count: ${leadLines} lines end at unit ${offset}, the keep says ${lineStart}`,
    );
  }
  const partial = lead - lineStart;
  const need = partial + consumed;

  // The region: whole lines from leadLines covering what the change consumes, plus
  // the next line when the change reaches a line's end (it may join or prefix it).
  const regionLines = [];
  const regionTexts = [];
  let regionUnits = 0;
  let endChunk = chunk;
  let endWithin = within;
  let extended = false;
  while (endChunk < chunks.length) {
    if (regionTexts.length && regionUnits >= need) {
      if (regionUnits > need || !need || extended) break;
      extended = true;
    }
    const current = chunks[endChunk];
    const lineText = current.texts[endWithin];
    regionLines.push(current.lines[endWithin]);
    regionTexts.push(lineText);
    regionUnits += lineText.length;
    endWithin++;
    if (endWithin === current.texts.length) {
      endChunk++;
      endWithin = 0;
    }
  }
  if (regionUnits < need) {
    throw new ChangesetError('length mismatch: the changeset runs past the end of the text');
  }

  const regionOps = partial ? [{ opcode: KEEP, chars: partial, lines: 0, attribs: '' }, ...middle] : middle;
  const bank = parsed.charBank;
  const regionText = regionTexts.length === 1 ? regionTexts[0] : regionTexts.join('');
  const newRegion = spliceOps(regionOps, bank, regionText);
  if (newRegion && newRegion.charCodeAt(newRegion.length - 1) !== 10) {
    throw new ChangesetError('the changed text would not end with a newline');
  }

  const newTexts = splitTextLines(newRegion);
  const uniform = uniformResult(regionLines, middle);
  let newLines;
  if (uniform !== null) {
    // The common case (one author typing in their own lines): every region line
    // carries one set of attributes, and the change inserts with that same set and
    // changes no attributes, so each new line is a single run. Like the Python twin,
    // this skips the zip, and with it the check of the inserts' newline counts.
    newLines = newTexts.map((line) => `${uniform}|1+${formatBase36(line.length)}`);
  } else {
    let oldAttribution;
    if (regionLines.length === 1) {
      oldAttribution = parseLine(regionLines[0]);
    } else {
      oldAttribution = [];
      for (const line of regionLines) for (const op of parseLine(line)) oldAttribution.push(op);
    }
    const newAttribution = zipOps(oldAttribution, regionOps, slicerStep(pool));
    newLines = splitLines(
      newAttribution,
      newTexts.map((line) => line.length),
    );
  }

  // splice the new lines into the chunks they replace
  let mergedLines;
  let mergedTexts;
  if (chunk === chunks.length) {
    mergedLines = newLines;
    mergedTexts = newTexts;
  } else {
    const head = chunks[chunk];
    mergedLines = within ? head.lines.slice(0, within).concat(newLines) : newLines;
    mergedTexts = within ? head.texts.slice(0, within).concat(newTexts) : newTexts;
  }
  let after;
  if (endChunk < chunks.length) {
    // When the region ends at a chunk's end this takes in the whole next chunk,
    // as the Python twin does, which merges chunks that deletions made small.
    const tail = chunks[endChunk];
    if (endWithin === 0) {
      mergedLines = mergedLines.concat(tail.lines);
      mergedTexts = mergedTexts.concat(tail.texts);
    } else {
      mergedLines = mergedLines.concat(tail.lines.slice(endWithin));
      mergedTexts = mergedTexts.concat(tail.texts.slice(endWithin));
    }
    after = endChunk + 1;
  } else {
    after = chunks.length;
  }
  let pieces;
  if (mergedLines.length > 2 * CHUNK_LINES) pieces = chunked(mergedLines, mergedTexts);
  else if (mergedLines.length) pieces = [makeChunk(mergedLines, mergedTexts)];
  else pieces = [];
  const newChunks = chunks.slice(0, chunk);
  for (const piece of pieces) newChunks.push(piece);
  for (let i = after; i < chunks.length; i++) newChunks.push(chunks[i]);

  const astral = atext._astral || (bank.length > 0 && hasAstral(bank));
  return AText._fromParts(null, parsed.newLen, astral, newChunks);
}

/** The attribs every changed line will carry alone, if the uniform fast path applies. */
function uniformResult(regionLines, middle) {
  if (!regionLines.length) return null;
  const first = parseLine(regionLines[0]);
  if (first.length !== 1) return null;
  const attribs = first[0].attribs;
  for (let i = 1; i < regionLines.length; i++) {
    const ops = parseLine(regionLines[i]);
    if (ops.length !== 1 || ops[0].attribs !== attribs) return null;
  }
  for (const op of middle) {
    if (op.attribs && (op.opcode === KEEP || op.attribs !== attribs)) return null;
    if (op.opcode === INSERT && op.attribs !== attribs) return null;
  }
  return attribs;
}

/**
 * Apply a delete and/or insert inside one line without its newline, or return null.
 *
 * The fast path for typing: the shape of nearly every keystroke. It checks all that
 * the general path checks; anything else (newlines, attribute changes, surrogate
 * pairs) returns null and takes the general path.
 */
function spliceWithinLine(parsed, atext, pool, lead, leadLines, lineStart, middle) {
  let removed = null;
  let inserted = null;
  if (middle.length === 2) {
    [removed, inserted] = middle;
    if (removed.opcode !== REMOVE || inserted.opcode !== INSERT) return null;
  } else if (middle[0].opcode === REMOVE) {
    removed = middle[0];
  } else if (middle[0].opcode === INSERT) {
    inserted = middle[0];
  } else {
    return null;
  }
  const bank = parsed.charBank;
  let ndel = 0;
  if (removed !== null) {
    if (removed.lines || removed.attribs) return null;
    ndel = removed.chars;
  }
  if (inserted !== null) {
    if (inserted.lines || bank.includes('\n') || hasAstral(bank)) return null;
    if (bank.length !== inserted.chars) throw new ChangesetError('unconsumed char bank: it does not match the insert');
  } else if (bank) {
    throw new ChangesetError(`unconsumed char bank: ${JSON.stringify(bank.slice(0, 30))} left over`);
  }
  const nins = bank.length;
  const growth = nins - ndel;
  if (growth !== parsed.newLen - parsed.oldLen) {
    throw new ChangesetError(
      `length mismatch: header says new length ${parsed.newLen}, ops give ${parsed.oldLen + growth}`,
    );
  }
  const [unitStarts, lineStarts] = atext._starts();
  if (leadLines >= lineStarts[lineStarts.length - 1]) return null;
  const chunks = atext._chunks;
  const chunk = bisectRight(lineStarts, leadLines) - 1;
  const within = leadLines - lineStarts[chunk];
  const current = chunks[chunk];
  let offset = unitStarts[chunk];
  for (let i = 0; i < within; i++) offset += current.texts[i].length;
  if (offset !== lineStart) return null; // the general path reports the mismatch
  const lineText = current.texts[within];
  const partial = lead - lineStart;
  if (partial + ndel >= lineText.length) return null; // reaches the newline
  const lineOps = parseLine(current.lines[within]);
  const newLength = lineText.length + growth;
  let newLine;
  if (lineOps.length === 1 && (inserted === null || inserted.attribs === lineOps[0].attribs)) {
    newLine = `${lineOps[0].attribs}|1+${formatBase36(newLength)}`;
  } else {
    const regionOps = partial ? [{ opcode: KEEP, chars: partial, lines: 0, attribs: '' }, ...middle] : middle;
    newLine = formatOps(zipOps(lineOps, regionOps, slicerStep(pool)));
  }
  const lines = current.lines.slice();
  const texts = current.texts.slice();
  lines[within] = newLine;
  texts[within] = lineText.slice(0, partial) + bank + lineText.slice(partial + ndel);
  const newChunks = chunks.slice();
  newChunks[chunk] = { lines, texts, units: current.units + growth };
  const spliced = AText._fromParts(null, parsed.newLen, false, newChunks);
  // The line index carries over: same lines, later chunks shifted by the growth.
  spliced._lineStarts = lineStarts;
  if (growth) {
    const shifted = unitStarts.slice();
    for (let i = chunk + 1; i < shifted.length; i++) shifted[i] += growth;
    spliced._unitStarts = shifted;
  } else {
    spliced._unitStarts = unitStarts;
  }
  return spliced;
}
