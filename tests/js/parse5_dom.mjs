// A fast DOM for huge test inputs: the tree parse5 builds, seen through the part of the DOM
// interface the document parser reads (nodeType, localName, data, firstChild, nextSibling,
// parentNode, hasAttributes, getAttribute, attributes).
//
// Why: jsdom builds the same tree with the same parser (parse5), but its node insertion
// walks every ancestor, so a 10,000-deep tree takes it about 20 seconds; parse5's own tree
// takes well under one. Tests use this only for inputs that are huge or deep; everything
// else goes through jsdom's DOMParser, as a browser's page would.

import { createRequire } from 'node:module';

// parse5 as jsdom itself loads it (a dependency of jsdom's, not of this project's).
const jsdomRequire = createRequire(createRequire(import.meta.url).resolve('jsdom'));
const { parse } = jsdomRequire('parse5');

const NODE_TYPES = { '#text': 3, '#comment': 8, '#document': 9, '#documentType': 10, '#document-fragment': 11 };

const LightNode = {
  hasAttributes() {
    return this.attrs !== undefined && this.attrs.length > 0;
  },
  getAttribute(name) {
    if (this.attrs === undefined) return null;
    for (const attr of this.attrs) if (attr.name === name) return attr.value;
    return null;
  },
  get attributes() {
    return this.attrs ?? [];
  },
};

/**
 * Parse `html` as a browser parses a page and return its body as a light DOM.
 * @param {string} html
 * @returns {object} the body: an element-like node whose children are the content
 */
export function parseBody(html) {
  const document = parse(html);
  const stack = [document];
  let body = null;
  while (stack.length) {
    const node = stack.pop();
    Object.setPrototypeOf(node, LightNode);
    node.nodeType = NODE_TYPES[node.nodeName] ?? 1;
    node.localName = node.tagName ?? null;
    if (node.nodeType === 3) node.data = node.value;
    if (node.nodeType === 8) node.data = node.data ?? '';
    const children = node.childNodes ?? [];
    node.firstChild = children[0] ?? null;
    for (let i = 0; i < children.length; i++) {
      children[i].nextSibling = children[i + 1] ?? null;
      stack.push(children[i]);
    }
    if (node.localName === 'body' && body === null) body = node;
  }
  return body;
}
