// Runs one shared document case (tests/vectors/documents.json) with the JavaScript model.
//
// Twin of what the Python suite does with a case: parse case.html under case.options,
// then give the lines (the line form) and the rendered HTML. The jsdom window comes from
// jsdom_window.mjs (jsdom with its foster-parenting bug fixed, so it builds a browser's tree).

import { Document } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';

/**
 * Return what the JavaScript model makes of a document case.
 * @param {{html: string, options?: object}} c
 * @returns {{lines: Array, html: string}}
 */
export function runDocumentCase(c) {
  const doc = Document.fromHTML(c.html, { ...(c.options ?? {}), window });
  return { lines: doc.toLines(), html: doc.toHTML() };
}

/** The jsdom window the runner parses with (tests reuse it). */
export { window };
