// The map between what an editor shows and the model's text (client/js/projection-map.js):
// its laws under fast-check, on random pairs of texts (what an editor shows differs from
// the model by substitutions, characters it drops and characters it adds), and the cases
// the browser meets (CKEditor 5 showing a pre as a paragraph).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import {
  AttributePool, applyToText, characterRangeFollow, makeAText, makeAttributeChange, makeSplice,
} from '../../client/js/changeset.js';
import { AFTER, BEFORE, ProjectionMap } from '../../client/js/projection-map.js';

const RUNS = Number(process.env.RUNS ?? 400);
const PRE_SHOWN = 'PRE \u00a0LINE \u00a0INDENTED\nAfter it.\n';
const PRE_MODEL = 'PRE  LINE\n  INDENTED\nAfter it.\n';

/** A line's worth of characters an editor may show otherwise. */
const piece = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\u00a0', '\n', 'x'), maxLength: 12 });

/** A model text (ending with a newline) and what an editor shows of it. */
const texts = fc.tuple(piece, piece, piece, piece, piece).map(([a, b, c, d, e]) => {
  const model = `${a}${b}${c}\n`;
  // the editor shows b otherwise (d instead) and adds e after c
  const shown = `${a}${d}${c}${e}\n`;
  return { shown, model };
});

/** A splice on a text: [start, deleted units, inserted text]. */
function splice(text) {
  return fc.tuple(fc.nat(text.length - 1), fc.nat(6), fc.string({ unit: fc.constantFrom('K', 'L', '\n'), maxLength: 4 }))
    .map(([start, size, insert]) => [start, Math.min(size, text.length - 1 - start), insert]);
}

test('between: the map holds between its texts, and shows the model as the editor does', () => {
  fc.assert(fc.property(texts, ({ shown, model }) => {
    const map = ProjectionMap.between(shown, model);
    assert.equal(map.shownLength, shown.length);
    assert.equal(map.modelLength, model.length);
    assert.equal(map.shownFrom(model), shown);
    assert.ok(map.fits(shown, model));
    assert.equal(map.isIdentity, shown === model);
  }), { numRuns: RUNS });
});

test('offsets go monotonically both ways and stay in their texts', () => {
  fc.assert(fc.property(texts, ({ shown, model }) => {
    const map = ProjectionMap.between(shown, model);
    for (const bias of [BEFORE, AFTER]) {
      let last = 0;
      for (let offset = 0; offset <= shown.length; offset++) {
        const mapped = map.toModel(offset, bias);
        assert.ok(mapped >= last && mapped <= model.length);
        last = mapped;
      }
      last = 0;
      for (let offset = 0; offset <= model.length; offset++) {
        const mapped = map.toShown(offset, bias);
        assert.ok(mapped >= last && mapped <= shown.length);
        last = mapped;
      }
    }
    // the ends of the texts, past what one side has alone, meet
    assert.equal(map.toModel(0, AFTER) <= model.length, true);
    assert.equal(map.toModel(shown.length, AFTER), model.length);
    assert.equal(map.toShown(model.length, AFTER), shown.length);
  }), { numRuns: RUNS });
});

test('a caret where the editor shows the model\'s characters goes there and back unchanged', () => {
  fc.assert(fc.property(texts, ({ shown, model }) => {
    const map = ProjectionMap.between(shown, model);
    // the offsets at which both sides agree: inside and at the ends of same segments
    let shownAt = 0;
    let modelAt = 0;
    for (const segment of map.segments.length ? map.segments : [{ same: true, shown: shown.length, model: model.length }]) {
      if (segment.same) {
        // inside, and at its ends from the side of the segment (a point there may face
        // text the other side does not have: a caret stands before it)
        for (let k = 0; k <= segment.shown; k++) {
          const bias = k === 0 ? AFTER : BEFORE;
          assert.equal(map.toModel(shownAt + k, bias), modelAt + k);
          assert.equal(map.toShown(modelAt + k, bias), shownAt + k);
          if (k < segment.shown) assert.equal(shown[shownAt + k], model[modelAt + k]);
        }
      }
      shownAt += segment.shown;
      modelAt += segment.model;
    }
  }), { numRuns: RUNS });
});

test('a selection maps to one that takes in no more than what lies between its ends', () => {
  fc.assert(fc.property(texts, fc.nat(), fc.nat(), ({ shown, model }, a, b) => {
    const map = ProjectionMap.between(shown, model);
    const start = a % (shown.length + 1);
    const end = b % (shown.length + 1);
    const selection = map.selectionToModel({ start, end });
    assert.ok(selection.start <= selection.end);
    assert.ok(selection.start >= map.toModel(Math.min(start, end), BEFORE));
    assert.ok(selection.end <= map.toModel(Math.max(start, end), AFTER));
  }), { numRuns: RUNS });
});

test('an edit of the shown text lands in the model where its caret maps, and the map follows', () => {
  fc.assert(fc.property(texts.chain((pair) => fc.tuple(fc.constant(pair), splice(pair.shown))), ([{ shown, model }, [start, size, insert]]) => {
    const map = ProjectionMap.between(shown, model);
    const edit = makeSplice(shown, start, size, insert);
    const modelEdit = map.changesetToModel(edit, makeAText(model));
    const shownAfter = applyToText(edit, shown);
    const modelAfter = applyToText(modelEdit, model);
    // the model loses the text between the deletion's ends (what the editor does not show
    // there too), keeps the rest, and gets the inserted text where the caret maps
    const at = map.toModel(start + size);
    const from = size > 0 ? map.toModel(start, AFTER) : at;
    const to = size > 0 ? Math.max(from, map.toModel(start + size, BEFORE)) : at;
    assert.equal(modelAfter, model.slice(0, from) + insert + model.slice(to));
    // the map after the edit holds between the texts after it
    const next = map.afterShownChange(edit);
    assert.ok(next.fits(shownAfter, modelAfter), JSON.stringify({ shown, model, edit, modelEdit, shownAfter, modelAfter }));
    // and the caret after the inserted text maps to just after it in the model
    const caret = next.toModel(start + insert.length);
    assert.equal(modelAfter.slice(caret - insert.length, caret), insert);
  }), { numRuns: RUNS });
});

test('a model change the editor shows as it is moves the map with it', () => {
  fc.assert(fc.property(texts.chain((pair) => fc.tuple(fc.constant(pair), splice(pair.model), fc.nat())), ([{ shown, model }, [start, size, insert], caretSeed]) => {
    const map = ProjectionMap.between(shown, model);
    const change = makeSplice(model, start, size, insert);
    const next = map.afterModelChange(change);
    const modelAfter = applyToText(change, model);
    const shownAfter = next.shownFrom(modelAfter);
    assert.notEqual(shownAfter, null);
    assert.equal(shownAfter.length, next.shownLength);
    // the inserted text shows where it was inserted
    const at = next.toShown(start + insert.length);
    assert.equal(shownAfter.slice(at - insert.length, at), insert);
    // a caret moved through the change stays beside the same shown characters
    const caret = caretSeed % (model.length + 1);
    const [moved] = characterRangeFollow(change, caret, caret, true);
    const shownCaret = next.toShown(moved);
    assert.ok(shownCaret >= 0 && shownCaret <= shownAfter.length);
  }), { numRuns: RUNS });
});

test('CKEditor 5 showing a pre as a paragraph: carets and typing land where they show', () => {
  const map = ProjectionMap.between(PRE_SHOWN, PRE_MODEL);
  assert.equal(PRE_SHOWN.length, PRE_MODEL.length - 1); // the pre's newline shows as a space
  // a caret in the paragraph after the pre: one unit further on in the model
  const shownCaret = PRE_SHOWN.indexOf('it.');
  assert.equal(map.toModel(shownCaret), PRE_MODEL.indexOf('it.'));
  assert.equal(map.toShown(PRE_MODEL.indexOf('it.')), shownCaret);
  // typing in the pre's shown line goes into the model's line, the pre's newline kept
  const model = makeAText(PRE_MODEL);
  const typed = map.changesetToModel(makeSplice(PRE_SHOWN, PRE_SHOWN.indexOf('LINE') + 2, 0, 'xy'), model);
  assert.equal(applyToText(typed, PRE_MODEL), 'PRE  LIxyNE\n  INDENTED\nAfter it.\n');
  // at the end of the shown line: before the model's newline, not after it
  const atEnd = map.changesetToModel(makeSplice(PRE_SHOWN, PRE_SHOWN.indexOf(' \u00a0INDENTED'), 0, 'z'), model);
  assert.equal(applyToText(atEnd, PRE_MODEL), 'PRE  LINEz\n  INDENTED\nAfter it.\n');
  // deleting the character after a newline the editor does not show keeps the newline
  const deleted = map.changesetToModel(makeSplice(PRE_SHOWN, PRE_SHOWN.indexOf(' \u00a0INDENTED'), 1, ''), model);
  assert.equal(applyToText(deleted, PRE_MODEL), 'PRE  LINE\n INDENTED\nAfter it.\n');
  // a remote keystroke before the caret moves it by one, not two
  const remote = makeSplice(PRE_MODEL, 0, 0, 'R');
  const next = map.afterModelChange(remote);
  const [moved] = characterRangeFollow(remote, map.toModel(shownCaret), map.toModel(shownCaret), true);
  assert.equal(next.toShown(moved), shownCaret + 1);
  assert.ok(next.fits(`R${PRE_SHOWN}`, applyToText(remote, PRE_MODEL)));
});

test('an identity map passes changes through and checks their length', () => {
  const map = ProjectionMap.identity(4);
  const edit = makeSplice('abc\n', 1, 1, 'Z');
  assert.equal(map.changesetToModel(edit, makeAText('abc\n')), edit);
  assert.equal(map.afterShownChange(edit).isIdentity, true);
  assert.throws(() => map.changesetToModel(makeSplice('ab\n', 0, 0, 'Z'), makeAText('abc\n')), /read against a map/);
});

test('formatting shown text formats the model\'s text between its ends', () => {
  const map = ProjectionMap.between(PRE_SHOWN, PRE_MODEL);
  const pool = new AttributePool();
  const bold = pool.putAttrib(['bold', 'true']);
  // bold over the whole shown pre: the model's newline inside it is formatted too
  const shownBold = makeAttributeChange(PRE_SHOWN, 0, PRE_SHOWN.indexOf('\n'), `*${bold}`);
  const onModel = map.changesetToModel(shownBold, makeAText(PRE_MODEL));
  assert.equal(onModel, makeAttributeChange(PRE_MODEL, 0, PRE_MODEL.indexOf('\nAfter'), `*${bold}`));
});
