// The jsdom window the JavaScript document tests parse with, with one jsdom bug fixed.
//
// jsdom 25's parse5 tree adapter foster-parents text badly: text the HTML parser moves out
// of a table ("<table>x<tr>...") must go before the table, as parse5 and every browser put
// it, but jsdom calls Node#_append(node, reference), which ignores the reference and
// appends at the end of the parent. The fix gives _append its reference; it is applied only
// while the bug shows, so a fixed jsdom is used as it is.

import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);

function fosterParentsAfterTable(window) {
  const body = new window.DOMParser().parseFromString('<table>x<tr><td></td></tr></table>', 'text/html').body;
  return body.firstChild.nodeType !== window.Node.TEXT_NODE;
}

const { window } = new JSDOM('');
if (fosterParentsAfterTable(window)) {
  const { implementation: NodeImpl } = require('jsdom/lib/jsdom/living/nodes/Node-impl.js');
  NodeImpl.prototype._append = function append(nodeImpl, referenceImpl = null) {
    return this._preInsert(nodeImpl, referenceImpl);
  };
  if (fosterParentsAfterTable(window)) throw new Error('could not fix jsdom foster parenting');
}

export { JSDOM, window };
