// The demo's history page (/pads/{pad}/history): the timeslider widget for the pad, as a
// host page embeds it: its bundle (one script, where the widget's ES modules are 33
// requests: a third of the time to open it), on an open server (no token). The
// revision shown and what it is compared with are in the address (#rev=12&compare=9), so
// a link opens the same view; ?authors=1 turns the authors' colors on, ?preload=0 keeps the
// widget from fetching the whole history in the background (as the benchmark's cold moves).
//
// window.policypad = {slider} for debugging and the browser tests.

const { history } = window.PolicyPad;

const [, , padSegment = ''] = location.pathname.split('/');
const padId = decodeURIComponent(padSegment);
const params = new URLSearchParams(location.search);

document.title = `${padId} · history · PolicyPad`;
document.getElementById('pad-name').textContent = padId;
document.getElementById('back-to-pad').href = `/pads/${encodeURIComponent(padId)}`;

const slider = history(document.getElementById('history'), {
  server: location.origin,
  pad: padId,
  authorColors: params.get('authors') === '1',
  preload: params.get('preload') !== '0',
});
window.policypad = { slider };
slider.ready.then(() => {
  document.body.dataset.ready = 'true';
}, () => {
  document.body.dataset.ready = 'failed';
});
