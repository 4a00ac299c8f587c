// The demo's start page: create a pad (POST /api/pads) or open one, in a chosen editor.

import { EDITOR_LABELS } from './editor-list.js';

const $ = (id) => document.getElementById(id);

for (const select of document.querySelectorAll('.editor-select')) {
  for (const [key, label] of Object.entries(EDITOR_LABELS)) {
    const option = document.createElement('option');
    option.value = key;
    option.textContent = label;
    select.append(option);
  }
}

function padUrl(id, editor) {
  return `/pads/${encodeURIComponent(id)}/${encodeURIComponent(editor)}${location.search}`;
}

function showError(element, message) {
  element.textContent = message;
  element.hidden = false;
}

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('create-error');
  error.hidden = true;
  const body = {};
  const id = $('create-id').value.trim();
  if (id) body.id = id;
  const content = $('create-content').value;
  if (content.trim()) body[$('create-format').value] = content;
  try {
    const response = await fetch('/api/pads', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      showError(error, answer.error?.message ?? `the server answered ${response.status}`);
      return;
    }
    location.assign(padUrl(answer.id, $('create-editor').value));
  } catch (failure) {
    showError(error, `could not reach the server: ${failure.message}`);
  }
});

$('open-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('open-error');
  error.hidden = true;
  const id = $('open-id').value.trim();
  const response = await fetch(`/api/pads/${encodeURIComponent(id)}`);
  if (!response.ok) {
    showError(error, response.status === 404 ? `there is no pad "${id}"` : `the server answered ${response.status}`);
    return;
  }
  location.assign(padUrl(id, $('open-editor').value));
});
