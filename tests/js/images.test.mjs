// A session's images (client/js/images.js): what image sources stand for in the model and
// in the editor, and the change that settles a pasted image. The uploads themselves run
// against a real server in real Chromium (tests/browser/test_images.py).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { AttributePool, Builder, applyToAText, makeAText, makeSplice } from '../../client/js/changeset.js';
import { atextToLines } from '../../client/js/document/lines.js';
import { PadImages, replaceImage } from '../../client/js/images.js';

const DIGEST = 'ab'.repeat(32);

function images(server = 'http://pads.example:9001/') {
  const holds = [];
  const made = new PadImages({
    server,
    pad: 'a pad/1',
    hold: () => {
      holds.push('held');
      return () => holds.push('released');
    },
    settled: () => {},
  });
  return { made, holds };
}

test('a stored image is an absolute URL with the access token in the editor, its path in the model', () => {
  const { made } = images();
  const path = `/api/pads/a%20pad%2F1/images/${DIGEST}`;
  assert.equal(made.toEditor(path), `http://pads.example:9001${path}`);
  made.accessToken = 'tok/en';
  const shown = made.toEditor(path);
  assert.equal(shown, `http://pads.example:9001${path}?access=tok%2Fen`);
  assert.equal(made.toModel(shown), path);
  assert.equal(made.toModel(path), path);
  // another pad's image, another server's, a bad hash: the schema's rules decide
  assert.equal(made.toModel(`http://pads.example:9001/api/pads/other/images/${DIGEST}`), undefined);
  assert.equal(made.toModel(`https://elsewhere.example${path}`), undefined);
  assert.equal(made.toModel(`http://pads.example:9001/api/pads/a%20pad%2F1/images/${DIGEST}x`), undefined);
  // sources that are not the pad's images are checked as any image source
  assert.equal(made.toEditor('https://example.org/a.png'), 'https://example.org/a.png');
  assert.equal(made.toEditor('javascript:alert(1)'), null);
});

test('a server under a path keeps its path in the images\' URLs', () => {
  const { made } = images('https://host.example/policypad');
  const path = `/api/pads/a%20pad%2F1/images/${DIGEST}`;
  assert.equal(made.toEditor(path), `https://host.example/policypad${path}`);
  assert.equal(made.toModel(`https://host.example/policypad${path}`), path);
});

test('replaceImage gives a pending image its URL, or its alt text in its place', () => {
  const pool = new AttributePool();
  let atext = makeAText('Hi\nxy\n');
  const image = [['embed', 'image'], ['src', 'policypad-pending-image:1'], ['alt', 'a cat'], ['bold', 'true']];
  atext = applyToAText(makeSplice(atext, 4, 0, '\ufffc', image, pool), atext, pool);
  assert.equal(replaceImage(atext, pool, 'policypad-pending-image:2', null), null, 'no such image');

  const stored = applyToAText(replaceImage(atext, pool, 'policypad-pending-image:1', '/u/1'), atext, pool);
  const [[runs]] = atextToLines(stored, pool).slice(1);
  assert.deepEqual(runs.map(([text, attrs]) => [text, attrs.src ?? null]), [['x', null], ['\ufffc', '/u/1'], ['y', null]]);

  const refused = applyToAText(replaceImage(atext, pool, 'policypad-pending-image:1', null), atext, pool);
  assert.equal(refused.text, 'Hi\nxa caty\n');
  const [[alt]] = atextToLines(refused, pool).slice(1);
  assert.deepEqual(alt[1], ['a cat', { bold: 'true' }]);
});

test('a pasted image holds the changes from its first sight until its upload ends', async () => {
  const { made, holds } = images('http://127.0.0.1:9/'); // nothing listens there
  const settled = [];
  made.options.settled = (...args) => settled.push(args);
  // a data URL that does not decode is refused without reaching the server
  const placeholder = made.toModel('data:image/png;base64,%%%');
  assert.match(placeholder, /^policypad-pending-image:/);
  assert.equal(made.toModel('data:image/png;base64,%%%'), placeholder, 'one upload per source');
  assert.equal(made.toEditor(placeholder), 'data:image/png;base64,%%%');
  assert.deepEqual(holds, ['held']);
  while (made.pending) await new Promise((resolve) => { setTimeout(resolve, 5); });
  assert.deepEqual(holds, ['held', 'released']);
  assert.equal(settled.length, 1);
  assert.equal(settled[0][0], placeholder);
  assert.equal(settled[0][1], null);
  assert.equal(settled[0][2].code, 'bad_data_url');
  assert.equal(made.toModel('data:image/png;base64,%%%'), null, 'refused for good');
});

test('a change bringing back a stored image\'s placeholder (a redo) carries its URL', () => {
  const { made } = images();
  const pool = new AttributePool();
  const atext = makeAText('Hi\n');
  const image = [['embed', 'image'], ['src', 'policypad-pending-image:1']];
  const redo = makeSplice(atext, 2, 0, '\ufffc', image, pool);
  assert.equal(made.resolve(redo, pool), redo, 'nothing stored yet');
  made._stored.set('policypad-pending-image:1', '/api/pads/p/images/1'); // what an upload leaves
  const after = applyToAText(made.resolve(redo, pool), atext, pool);
  const [[runs]] = atextToLines(after, pool);
  assert.deepEqual(runs[1][1], { embed: 'image', src: '/api/pads/p/images/1' });
});

test('a change bringing back a refused image\'s placeholder (a redo) brings its alt text instead', () => {
  const { made } = images();
  const pool = new AttributePool();
  const atext = makeAText('Hi\n');
  const placeholder = 'policypad-pending-image:1';
  const image = [['embed', 'image'], ['src', placeholder], ['alt', 'a\ncat'], ['bold', 'true']];
  const redo = makeSplice(atext, 2, 0, '\ufffc', image, pool);
  assert.equal(made.resolve(redo, pool), redo, 'nothing refused yet');
  made._refused.add(placeholder); // what a refused upload leaves
  const after = applyToAText(made.resolve(redo, pool), atext, pool);
  assert.equal(after.text, 'Hia cat\n');
  const [[runs]] = atextToLines(after, pool);
  assert.deepEqual(runs, [['Hi', {}], ['a cat', { bold: 'true' }]]);
  // with no alt text the image goes, and what else the change typed stays
  const builder = new Builder(atext.length);
  builder.insert('x');
  builder.insert('\ufffc', [['embed', 'image'], ['src', placeholder]], pool);
  builder.insert('y');
  const bare = builder.toString();
  assert.equal(applyToAText(made.resolve(bare, pool), atext, pool).text, 'xyHi\n');
});
