// The classic-script bundle of the timeslider (`npm run build` writes
// client/dist/policypad-history.js, served at /static/bundles/policypad-history.js): the
// widget, the changeset engine and the document renderer it composes revisions with, no
// editor and no WebSocket client.
//
//   <script src="https://pads.example.com/static/bundles/policypad-history.js"></script>
//   <script>PolicyPad.history(document.getElementById('history'), {server, pad, token});</script>
//
// Unlike the editors' bundles (built with esbuild's --global-name, which sets
// window.PolicyPad to the bundle's exports), this one adds its names to a window.PolicyPad
// already there: a page may load an editor's bundle, then this one, and use both.

import { PolicyPadError } from '../client/js/connection.js';
import { Timeslider, history } from '../client/js/history.js';

const PolicyPad = globalThis.PolicyPad ?? {};
PolicyPad.history = history;
PolicyPad.Timeslider = Timeslider;
PolicyPad.PolicyPadError ??= PolicyPadError; // an editor bundle's, if one came first
globalThis.PolicyPad = PolicyPad;
