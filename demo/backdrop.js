// Authorship colors for a textarea, which cannot color its text: a div behind it, laid out
// like it (see mirrorOf in client/js/carets.js), holds the same text in spans. Other users'
// carets are the client's (client/js/carets.js).

import { mirrorOf } from '../client/js/carets.js';

/**
 * Authorship colors for a textarea: a div behind it (the textarea's background turns
 * transparent) with the same text, each author's runs in a span data-author, colored by
 * the same style sheet as the rich editors.
 */
export class TextareaBackdrop {
  constructor(host, textarea) {
    this.host = host;
    this.textarea = textarea;
    this.element = document.createElement('div');
    this.element.className = 'pp-backdrop';
    this.element.setAttribute('aria-hidden', 'true');
    host.prepend(this.element);
    this._runs = [];
    this._frame = 0;
    textarea.addEventListener('scroll', () => this._scroll());
  }

  /** Show `runs` ([[text, author|null], ...], the whole text) at the next frame. */
  update(runs) {
    this._runs = runs;
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.draw();
    });
  }

  draw() {
    if (!this.host.classList.contains('pp-show-authors')) {
      this.element.replaceChildren();
      return;
    }
    const box = this.textarea.getBoundingClientRect();
    const hostBox = this.host.getBoundingClientRect();
    mirrorOf(this.textarea, this.element);
    Object.assign(this.element.style, {
      left: `${box.left - hostBox.left + this.textarea.clientLeft}px`,
      top: `${box.top - hostBox.top + this.textarea.clientTop}px`,
      height: `${this.textarea.clientHeight - parseFloat(this.element.style.paddingTop) - parseFloat(this.element.style.paddingBottom)}px`,
    });
    const pieces = this._runs.map(([text, author]) => {
      if (!author) return document.createTextNode(text);
      const span = document.createElement('span');
      span.dataset.author = author;
      span.textContent = text;
      return span;
    });
    pieces.push(document.createTextNode('\u200b'));
    this.element.replaceChildren(...pieces);
    this._scroll();
  }

  _scroll() {
    this.element.scrollTop = this.textarea.scrollTop;
    this.element.scrollLeft = this.textarea.scrollLeft;
  }
}
