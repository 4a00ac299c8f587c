// The timeslider's drawing and addresses without a browser: the document view patches
// only the blocks that changed and still holds exactly what rendering the whole document
// gives; deep links read and write the revision; author names come from tokens.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { applyToAText, makeSplice } from '../../client/js/changeset.js';
import { Document, diffHtml } from '../../client/js/document.js';
import { Authors, tokenClaims } from '../../client/js/history/authors.js';
import { DocumentView } from '../../client/js/history/document-view.js';
import { linkHash, readLink } from '../../client/js/history/link.js';
import { changeNotes } from '../../client/js/history/panels.js';
import { JSDOM, window } from './jsdom_window.mjs';

const HTML = '<h1>Policy</h1><p>One <b>bold</b> word.</p><ul><li>first</li><li>second<ul><li>inner</li></ul></li></ul>'
  + '<p>Between.</p><blockquote><p>Quoted</p></blockquote><table><tr><td>a</td><td>b</td></tr></table><p>End.</p>';

/** The element's HTML without the view's marks (empty comments). */
function shown(element) {
  return element.innerHTML.replaceAll('<!---->', '');
}

test('each revision is drawn as the whole document renders, touching only what changed', () => {
  const { document } = new JSDOM('<div id="view"><p>placeholder</p></div>').window;
  const element = document.getElementById('view');
  const view = new DocumentView(element, { authors: true });
  const start = Document.fromHTML(HTML, { window });
  const pool = start.pool;
  let atext = start.atext;
  const first = view.show(atext, pool);
  assert.equal(shown(element), Document.fromAText(atext, pool).toHTML({ authors: true }));
  assert.equal(first.kept, 0);
  // typing in "Between." redraws that paragraph alone: the other blocks are the same nodes
  const before = [...element.children];
  const at = atext.text.indexOf('Between') + 7;
  atext = applyToAText(makeSplice(atext.text, at, 0, ' here', [['author', 'a.ann']], pool), atext, pool);
  const patched = view.show(atext, pool);
  assert.deepEqual(patched, { kept: first.kept + first.drawn - 1, drawn: 1 });
  assert.equal(shown(element), Document.fromAText(atext, pool).toHTML({ authors: true }));
  const after = [...element.children];
  assert.equal(after.length, before.length);
  const changed = after.filter((node, index) => node !== before[index]);
  assert.equal(changed.length, 1);
  assert.match(changed[0].outerHTML, /Between<span data-author="a.ann"> here<\/span>/);
  // the compare view replaces everything; the next document draws it all again
  view.showHTML('<p><ins>x</ins></p>');
  assert.equal(element.innerHTML, '<p><ins>x</ins></p>');
  view.show(atext, pool);
  assert.equal(shown(element), Document.fromAText(atext, pool).toHTML({ authors: true }));
});

test('any edits, at any place, leave the view equal to a fresh rendering', () => {
  const { document } = new JSDOM('<div id="view"></div>').window;
  const start = Document.fromHTML(HTML, { window });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom('', 'x', 'new\n', '\n', 'yz')), { maxLength: 12 }), (edits) => {
      const element = document.getElementById('view');
      const view = new DocumentView(element);
      const pool = start.pool;
      let atext = start.atext;
      view.show(atext, pool);
      const revisions = [atext];
      for (const [place, removed, inserted] of edits) {
        const length = atext.text.length - 1;
        const at = place % (length + 1);
        const cut = Math.min(removed, length - at);
        if (!cut && !inserted) continue;
        atext = applyToAText(makeSplice(atext.text, at, cut, inserted, null, pool), atext, pool);
        revisions.push(atext);
        view.show(atext, pool);
        assert.equal(shown(element), Document.fromAText(atext, pool).toHTML());
      }
      // and jumping back over several revisions at a time
      for (let i = revisions.length - 1; i >= 0; i -= 3) {
        view.show(revisions[i], pool);
        assert.equal(shown(element), Document.fromAText(revisions[i], pool).toHTML());
      }
    }),
    { numRuns: 150 },
  );
});

test('the notes of a comparison: one per change, a removed row counted once', () => {
  const old = Document.fromHTML('<h1>Policy</h1><p>One <b>bold</b> word.</p>'
    + '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>', { window });
  const next = Document.fromHTML('<h2>Policy</h2><p>One bold new word.</p>'
    + '<table><tr><td>a</td><td>b</td></tr></table>', { window });
  const { document } = new JSDOM('<div id="view"></div>').window;
  const element = document.getElementById('view');
  element.innerHTML = diffHtml(old, next);
  const { summary, notes } = changeNotes(element, 3, 9);
  assert.equal(summary, '1 insertion, 1 deletion, 2 formatting changes from revision 3 to 9.');
  assert.deepEqual(notes.map((note) => note.textContent), ['Formatted: Heading 2 (was Heading 1)', 'Formatted: Not bold']);
  // each note finds its change in the document
  for (const note of notes) {
    const { note: index } = note.querySelector('button').dataset;
    assert.ok(element.querySelector(`[data-pp-note="${index}"][data-pp-change]`));
  }
});

test('deep links: the hash holds the revision and the comparison, the query is read too', () => {
  assert.deepEqual(readLink({ hash: '#rev=12&compare=9', search: '' }), { rev: 12, compare: 9 });
  assert.deepEqual(readLink({ hash: '', search: '?rev=7&authors=1' }), { rev: 7, compare: null });
  assert.deepEqual(readLink({ hash: '#rev=3', search: '?rev=7' }), { rev: 3, compare: null });
  assert.deepEqual(readLink({ hash: '#rev=-1&compare=x', search: '' }), { rev: null, compare: null });
  // what else the hash holds stays
  assert.equal(linkHash('#tab=history&rev=1', { rev: 5, compare: 2 }), '#tab=history&rev=5&compare=2');
  assert.equal(linkHash('#rev=5&compare=2', { rev: 6, compare: null }), '#rev=6');
});

test('authors: names learned from users and tokens, colors stable per id', () => {
  const authors = new Authors();
  assert.equal(authors.name('a.api'), 'API');
  assert.equal(authors.name('a.7f3c'), '7f3c');
  const payload = Buffer.from(JSON.stringify({ sub: 'ann', name: 'Ann Lee', pad: 'p' })).toString('base64url');
  assert.deepEqual(tokenClaims(`e30.${payload}.sig`), { sub: 'ann', name: 'Ann Lee', pad: 'p' });
  assert.equal(tokenClaims('not a token'), null);
  assert.ok(authors.learnToken(`e30.${payload}.sig`));
  assert.equal(authors.name('a.ann'), 'Ann Lee');
  assert.ok(authors.learnAll([{ author: 'a.bob', name: 'Bob', color: '#123456' }]));
  assert.equal(authors.learnAll([{ author: 'a.bob', name: 'Bob', color: '#123456' }]), false);
  assert.equal(authors.name('a.bob'), 'Bob');
  // without a color of their own, the same id always gets the same color
  assert.equal(new Authors().color('a.carol'), new Authors().color('a.carol'));
  assert.notEqual(new Authors().color('a.carol'), new Authors().color('a.dave'));
});
