// A pad's history in the browser, as an ES module (no build step, no import map):
//
//   import { history } from 'https://pads.example.com/static/client/js/history.js';
//   const slider = history(document.getElementById('history'), {server, pad, token});
//   await slider.ready;
//   slider.goTo(120); slider.compare(97, 120); slider.play(); slider.restore(97);
//
// The widget (timeslider.js) shows every revision of the pad: a slider with the authors'
// colors and the named versions, play, steps, a date to go to, the document as it was
// (read-only), a compare view, restore and download. The token is the user's pad token
// (as `attach` takes it: a string, or a function giving one); reading needs `perm: read`,
// restoring and naming versions `perm: edit`. bundles/policypad-history.js exposes the
// same `history` as `PolicyPad.history`.

import { Timeslider } from './history/timeslider.js';

/**
 * Build a timeslider for a pad into `target` and start loading it.
 * @param {HTMLElement} target an element of the page (its content is replaced)
 * @param {import('./history/timeslider.js').HistoryOptions} options
 * @returns {Timeslider} the controller (`ready` resolves once the first revision is shown)
 */
export function history(target, options) {
  return new Timeslider(target, options);
}

export { Timeslider };
export { PolicyPadError } from './connection.js';
