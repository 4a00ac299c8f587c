// How the text an editor shows lines up with the model's text, and the offsets, selections
// and edits that go between the two.
//
// No editor shows all the model holds (DESIGN.md's projection rule): CKEditor 5 without a
// code block plugin shows a `pre` as one paragraph ("PRE  LINE\n  INDENTED" reads back as
// "PRE \u00a0LINE \u00a0INDENTED"), a rich editor collapses the two spaces a textarea user
// typed, and so on. The session reads the editor's edits, puts the user's caret back and
// draws other users' carets through one map of that difference, in both directions, so the
// three always agree: a letter typed at a caret lands where the caret shows, and a caret
// put back after a remote change stands where it stood.
//
// The map is a list of segments over both texts, in order:
//
//   shown  "PRE " "\u00a0" "LINE" " \u00a0"  "INDENTED\n"
//   model  "PRE " " "      "LINE" "\n "      "INDENTED\n"
//           same  changed  same   changed    same
//
// A `same` segment is the same characters in both. A `changed` one stands for what the
// editor shows instead of the model's text there (either side may be empty): inside it,
// offsets go across one to one as far as the shorter side reaches, its ends go to its ends.
// Where one side is empty there is a point on that side facing text on the other: a caret
// at such a point stands before the text it faces (`before`, the default), and an edit
// that starts there starts after it (`after`), so a deletion next to text the editor does
// not show never takes that text along.

import { ChangesetError, INSERT, KEEP, REMOVE } from './changeset/base.js';
import { Builder } from './changeset/builder.js';
import { unpack } from './changeset/core.js';
import { diffGroupsKeepingFinalNewline } from './changeset/diff.js';

/** A caret at a point facing text the other side does not have stands before it. */
export const BEFORE = 'before';
/** The start of a range at such a point lies after that text. */
export const AFTER = 'after';

/** One stretch of both texts: the same characters, or what the editor shows instead. */
class Segment {
  /**
   * @param {number} shown units of the shown text
   * @param {number} model units of the model's text
   * @param {string|null} shownText the shown characters of a changed segment (null: same)
   * @param {string|null} modelText the model's characters of a changed segment
   */
  constructor(shown, model, shownText = null, modelText = null) {
    this.shown = shown;
    this.model = model;
    this.shownText = shownText;
    this.modelText = modelText;
  }

  get same() { return this.shownText === null; }

  static same(length) { return new Segment(length, length); }

  static changed(shownText, modelText) {
    return new Segment(shownText.length, modelText.length, shownText, modelText);
  }
}

/**
 * Offset `at` of one side of a segment (`from` units long) on its other side (`to` long):
 * one to one as far as the shorter reaches, the end to the end, and a point facing text
 * (`from` empty) before or after it.
 */
function across(at, from, to, bias) {
  if (from === 0) return bias === AFTER ? to : 0;
  if (at >= from) return to;
  return Math.min(at, to);
}

export class ProjectionMap {
  /**
   * @param {Segment[]} segments in order over both texts (none: the texts are the same)
   * @param {number} shownLength
   * @param {number} modelLength
   */
  constructor(segments, shownLength, modelLength) {
    this.segments = segments;
    this.shownLength = shownLength;
    this.modelLength = modelLength;
  }

  /** The map of an editor that shows the model's text as it is. */
  static identity(length) {
    return new ProjectionMap([], length, length);
  }

  /**
   * The map between what an editor shows and the model's text, found by diffing them
   * (diff-match-patch): what one side deletes and the other inserts at one place is one
   * changed segment. The final newlines stand for each other, so no edit of the shown
   * text (which keeps its final newline) can take the model's.
   * @param {string} shownText
   * @param {string} modelText
   * @returns {ProjectionMap}
   */
  static between(shownText, modelText) {
    if (shownText === modelText) return ProjectionMap.identity(shownText.length);
    const segments = [];
    for (const [equal, deleted, inserted] of diffGroupsKeepingFinalNewline(shownText, modelText)) {
      if (equal) segments.push(Segment.same(equal.length));
      if (deleted || inserted) segments.push(Segment.changed(deleted, inserted));
    }
    return ProjectionMap.fromSegments(segments);
  }

  /** A map from segments (merging neighbours of a kind; none changed: the identity). */
  static fromSegments(segments) {
    const merged = [];
    let shownLength = 0;
    let modelLength = 0;
    for (const segment of segments) {
      shownLength += segment.shown;
      modelLength += segment.model;
      if (segment.shown === 0 && segment.model === 0) continue;
      const last = merged[merged.length - 1];
      if (last !== undefined && last.same && segment.same) {
        merged[merged.length - 1] = Segment.same(last.shown + segment.shown);
      } else if (last !== undefined && !last.same && !segment.same) {
        merged[merged.length - 1] = Segment.changed(last.shownText + segment.shownText, last.modelText + segment.modelText);
      } else {
        merged.push(segment);
      }
    }
    if (merged.every((segment) => segment.same)) return ProjectionMap.identity(shownLength);
    return new ProjectionMap(merged, shownLength, modelLength);
  }

  /** Whether the editor shows the model's text exactly. */
  get isIdentity() { return this.segments.length === 0; }

  // -- offsets -------------------------------------------------------------------------------

  /**
   * The model offset of an offset in the shown text (clamped to it).
   * @param {number} offset
   * @param {'before'|'after'} [bias] at a point facing text the editor does not show
   */
  toModel(offset, bias = BEFORE) {
    return this._map(offset, bias, 'shown', 'model');
  }

  /**
   * The offset in the shown text of a model offset (clamped to the model's text).
   * @param {number} offset
   * @param {'before'|'after'} [bias] at a point facing text the model does not have
   */
  toShown(offset, bias = BEFORE) {
    return this._map(offset, bias, 'model', 'shown');
  }

  _map(offset, bias, from, to) {
    if (this.isIdentity) return Math.max(0, Math.min(offset, this.shownLength));
    const target = Math.max(0, Math.min(offset, from === 'shown' ? this.shownLength : this.modelLength));
    let start = 0;
    let mapped = 0;
    for (const segment of this.segments) {
      const length = segment[from];
      // a point facing text (an empty side) goes by the bias; other ends belong to the next
      const inside = length === 0 ? target === start : target < start + length;
      if (inside) {
        return mapped + (segment.same ? target - start : across(target - start, length, segment[to], bias));
      }
      start += length;
      mapped += segment[to];
    }
    return mapped;
  }

  /** A selection {start, end} of the shown text, in the model's text. */
  selectionToModel({ start, end }) {
    return this._selection(start, end, (offset, bias) => this.toModel(offset, bias));
  }

  /** A selection {start, end} of the model's text, in the shown text. */
  selectionToShown({ start, end }) {
    return this._selection(start, end, (offset, bias) => this.toShown(offset, bias));
  }

  _selection(start, end, map) {
    const low = Math.min(start, end);
    const high = Math.max(start, end);
    if (low === high) {
      const at = map(low, BEFORE);
      return { start: at, end: at };
    }
    // a selection takes in what the other side has alone between its ends, no more
    const from = map(low, AFTER);
    return { start: from, end: Math.max(from, map(high, BEFORE)) };
  }

  // -- texts ---------------------------------------------------------------------------------

  /** The text the editor shows if it shows `modelText` as this map says (null: it cannot). */
  shownFrom(modelText) {
    if (modelText.length !== this.modelLength) return null;
    if (this.isIdentity) return modelText;
    const parts = [];
    let at = 0;
    for (const segment of this.segments) {
      if (segment.same) parts.push(modelText.slice(at, at + segment.model));
      else if (modelText.slice(at, at + segment.model) !== segment.modelText) return null;
      else parts.push(segment.shownText);
      at += segment.model;
    }
    return parts.join('');
  }

  /** Whether this map holds between these texts. */
  fits(shownText, modelText) {
    return shownText.length === this.shownLength && this.shownFrom(modelText) === shownText;
  }

  // -- edits ---------------------------------------------------------------------------------

  /**
   * A change the user made to the shown text, as a change of the model's text: inserts go
   * where the caret maps, a deletion or a formatting of shown text takes the model's text
   * between the ends, so what the editor does not show survives unless the user removed
   * the text around it.
   * @param {string} changeset on the shown text
   * @param {import('./changeset.js').AText} model the model's attributed text (its line index
   *   counts the newlines the changeset's ops need)
   * @returns {string} the changeset on the model's text
   * @throws {ChangesetError} if the changeset does not apply to the shown text
   */
  changesetToModel(changeset, model) {
    const parsed = unpack(changeset);
    if (parsed.oldLen !== this.shownLength || model.length !== this.modelLength) {
      throw new ChangesetError(`a change of ${parsed.oldLen} units read against a map of `
        + `${this.shownLength} shown and ${this.modelLength} model units (the model has ${model.length})`);
    }
    if (this.isIdentity) return typeof changeset === 'string' ? changeset : parsed.pack();
    const builder = new Builder(this.modelLength);
    let done = 0; // model units written so far
    // ops over model units [from, to): the whole lines, then the rest of the last one (an
    // op spanning newlines must end with one)
    const span = (from, to, write) => {
      const [lineTo, lineStart] = model.locate(to);
      if (lineStart > from) write(lineStart - from, lineTo - model.locate(from)[0]);
      write(to - Math.max(from, lineStart), 0);
    };
    const keepTo = (to, attribs = '') => {
      if (to > done) span(done, to, (chars, lines) => chars > 0 && builder.keep(chars, lines, attribs));
      done = Math.max(done, to);
    };
    for (const edit of editsOf(parsed)) {
      if (edit.opcode === INSERT) {
        keepTo(this.toModel(edit.from));
        builder.insert(edit.text, edit.attribs);
      } else {
        const from = Math.max(done, this.toModel(edit.from, AFTER));
        const to = Math.max(from, this.toModel(edit.to, BEFORE));
        keepTo(from);
        if (edit.opcode === REMOVE) {
          if (to > from) span(from, to, (chars, lines) => chars > 0 && builder.remove(chars, lines));
          done = to;
        } else {
          keepTo(to, edit.attribs);
        }
      }
    }
    return builder.toString();
  }

  /**
   * The map once the user's `changeset` (on the shown text) is applied to the shown text and
   * `changesetToModel`'s result to the model's: the same edits, segment by segment.
   * @param {string} changeset on the shown text
   * @returns {ProjectionMap}
   */
  afterShownChange(changeset) {
    return this._after(changeset, 'shown');
  }

  /**
   * The map once `changeset` (on the model's text) is applied to the model's text, if the
   * editor shows the change as it is (a remote change written into the editor): a guess,
   * to check against what the editor then shows (`fits`).
   * @param {string} changeset on the model's text
   * @returns {ProjectionMap}
   */
  afterModelChange(changeset) {
    if (this.isIdentity) {
      const parsed = unpack(changeset);
      return ProjectionMap.identity(parsed.newLen);
    }
    return this._after(changeset, 'model');
  }

  /**
   * Apply the edits of `changeset` (on the `side` text) to the segments, as
   * `changesetToModel` maps them: the segments are cut where edits start and end; a piece
   * inside a deletion goes, both sides (a point facing text only if strictly inside);
   * inserted text is a same segment, before a point facing text where it is inserted.
   */
  _after(changeset, side) {
    const parsed = unpack(changeset);
    const length = side === 'shown' ? this.shownLength : this.modelLength;
    if (parsed.oldLen !== length) {
      throw new ChangesetError(`a change of ${parsed.oldLen} units on a ${side} text of ${length}`);
    }
    if (this.isIdentity) return ProjectionMap.identity(parsed.newLen);
    const edits = editsOf(parsed).filter((edit) => edit.opcode !== KEEP);
    const out = [];
    let next = 0; // the next edit
    let at = 0; // `side` offset of the next piece
    const insertHere = () => {
      // deletions that end here are done; inserts here go in before the piece
      while (next < edits.length && edits[next].opcode === REMOVE && edits[next].to <= at) next += 1;
      while (next < edits.length && edits[next].opcode === INSERT && edits[next].from === at) {
        out.push(Segment.same(edits[next].text.length));
        next += 1;
      }
    };
    for (const piece of cutAt(this.segments, side, edits)) {
      insertHere();
      const size = piece[side];
      const edit = edits[next];
      const deleted = edit !== undefined && edit.opcode === REMOVE && edit.from <= at && at + size <= edit.to
        && (size > 0 || (edit.from < at && at < edit.to));
      if (!deleted) out.push(piece);
      at += size;
    }
    insertHere();
    const map = ProjectionMap.fromSegments(out);
    if ((side === 'shown' ? map.shownLength : map.modelLength) !== parsed.newLen) {
      throw new ChangesetError('the map lost step with the change');
    }
    return map;
  }
}

/** The segments cut (on `side`) wherever an edit starts or ends inside one. */
function cutAt(segments, side, edits) {
  const cuts = [];
  for (const edit of edits) {
    cuts.push(edit.from);
    if (edit.to !== edit.from) cuts.push(edit.to);
  }
  const other = side === 'shown' ? 'model' : 'shown';
  const pieces = [];
  let index = 0;
  let start = 0;
  for (const segment of segments) {
    const size = segment[side];
    let from = 0;
    while (index < cuts.length && cuts[index] <= start) index += 1;
    while (index < cuts.length && cuts[index] < start + size) {
      const cut = cuts[index] - start;
      if (cut > from) pieces.push(pieceOf(segment, side, other, from, cut));
      from = cut;
      index += 1;
    }
    pieces.push(from === 0 ? segment : pieceOf(segment, side, other, from, size));
    start += size;
  }
  return pieces;
}

/** Part [from, to) (on `side`) of a segment, with the part of the other side it maps to. */
function pieceOf(segment, side, other, from, to) {
  if (segment.same) return Segment.same(to - from);
  const size = segment[side];
  const otherFrom = across(from, size, segment[other], AFTER);
  const otherTo = across(to, size, segment[other], BEFORE);
  const text = (which) => (which === 'shown' ? segment.shownText : segment.modelText);
  const mine = text(side).slice(from, to);
  const theirs = text(other).slice(otherFrom, Math.max(otherFrom, otherTo));
  return side === 'shown' ? Segment.changed(mine, theirs) : Segment.changed(theirs, mine);
}

/**
 * The edits of a changeset in order, on its old text: {opcode: '+', from, to: from, text,
 * attribs}, {opcode: '-', from, to} and attribute changes {opcode: '=', from, to, attribs}
 * (ops of one edit, split at newlines, joined again).
 */
function editsOf(parsed) {
  const edits = [];
  let at = 0;
  let bank = 0;
  for (const op of parsed.ops) {
    const last = edits[edits.length - 1];
    if (op.opcode === INSERT) {
      const text = parsed.charBank.slice(bank, bank + op.chars);
      bank += op.chars;
      if (last !== undefined && last.opcode === INSERT && last.from === at && last.attribs === op.attribs) last.text += text;
      else edits.push({ opcode: INSERT, from: at, to: at, text, attribs: op.attribs });
      continue;
    }
    if (op.opcode === REMOVE || op.attribs !== '') {
      if (last !== undefined && last.opcode === op.opcode && last.to === at && last.attribs === op.attribs) last.to += op.chars;
      else edits.push({ opcode: op.opcode, from: at, to: at + op.chars, attribs: op.attribs });
    }
    at += op.chars;
  }
  return edits;
}
