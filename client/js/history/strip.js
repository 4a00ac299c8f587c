// The authors along the whole history, as one strip of color above the slider: each pixel
// column stands for the revisions under it and takes the color of whoever wrote most of
// them. 130,000 revisions are one pass over the timeline's typed array.

/**
 * Draw the strip.
 * @param {HTMLCanvasElement} canvas sized by its style; drawn at its displayed width
 * @param {import('./timeline.js').Timeline} timeline
 * @param {(author: string) => string} colorOf a CSS color for an author id
 */
export function drawStrip(canvas, timeline, colorOf) {
  const width = Math.max(1, Math.round(canvas.clientWidth || canvas.width));
  const height = canvas.height;
  if (canvas.width !== width) canvas.width = width;
  const context = canvas.getContext('2d');
  if (context === null) return;
  context.clearRect(0, 0, width, height);
  const count = timeline.head + 1;
  if (count <= 0) return;
  const colors = timeline.authors.map((author) => colorOf(author));
  const tally = new Uint32Array(timeline.authors.length);
  for (let x = 0; x < width; x++) {
    // fewer revisions than columns: a revision spans several
    const first = Math.floor((x * count) / width);
    const end = Math.max(first + 1, Math.floor(((x + 1) * count) / width));
    tally.fill(0);
    let best = timeline.authorIndexOf(first);
    for (let rev = first; rev < end; rev++) {
      const index = timeline.authorIndexOf(rev);
      if (++tally[index] > tally[best]) best = index;
    }
    context.fillStyle = colors[best];
    context.fillRect(x, 0, 1, height);
  }
}
