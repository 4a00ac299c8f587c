// Attaches every PolicyPadWidget on the page (policypad.contrib.django) to its pad, and holds
// a form's submission until the pads have stored the user's edits: then it sends, for each
// editor, the revision it was at. The server saves the pad's content at that revision, so
// what is saved is what the user saw, and nothing they typed is left out.
//
// Loaded (deferred) by {% policypad_bundle %} after the PolicyPad bundle, which defines
// window.PolicyPad. Each widget's element carries its settings in data-policypad:
// {tokenUrl, editor: 'textarea'|'tinymce', input: the editor's textarea id, rev: the hidden
// input's id}. Once attached, the element has `policypadSession` (the Session), the data
// attribute `policypadReady="true"`, and it fires a `policypad:ready` event ({session}).

(function () {
  'use strict';

  const STATUS_TEXT = {
    connecting: 'Connecting…',
    saving: 'Sending your edits…',
    saved: 'Live',
    offline: 'Offline: your edits will be sent when the connection is back',
  };

  /** form -> the bindings of its widgets: {element, rev, ready, session, failed} */
  const forms = new Map();

  /** The TinyMCE editor django-tinymce makes of textarea `id`, once initialized. */
  function tinymceEditor(id) {
    return new Promise((resolve, reject) => {
      const tinymce = window.tinymce;
      if (!tinymce) {
        reject(new Error('TinyMCE is not on the page: render {{ form.media }}'));
        return;
      }
      const whenReady = (editor) => {
        if (editor.initialized) resolve(editor);
        else editor.on('init', () => resolve(editor));
      };
      const existing = tinymce.get(id);
      if (existing) {
        whenReady(existing);
        return;
      }
      const added = (event) => {
        if (event.editor.id !== id) return;
        tinymce.off('AddEditor', added);
        whenReady(event.editor);
      };
      tinymce.on('AddEditor', added);
    });
  }

  async function grant(config) {
    const response = await fetch(config.tokenUrl, {
      credentials: 'same-origin', headers: { Accept: 'application/json' },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error?.message ?? `token: ${response.status}`);
    return body;
  }

  async function attach(binding) {
    const { element } = binding;
    const config = JSON.parse(element.dataset.policypad);
    const PolicyPad = window.PolicyPad;
    const Adapter = config.editor === 'tinymce' ? PolicyPad?.TinyMCEAdapter : PolicyPad?.TextareaAdapter;
    if (!Adapter) throw new Error(`the page needs {% policypad_bundle "${config.editor}" %}`);
    const granted = await grant(config);
    let adapter;
    if (config.editor === 'tinymce') {
      const editor = await tinymceEditor(config.input);
      if (granted.perm === 'read') editor.mode.set('readonly');
      adapter = new Adapter(editor);
    } else {
      const textarea = document.getElementById(config.input);
      if (granted.perm === 'read') textarea.readOnly = true;
      adapter = new Adapter(textarea);
    }
    const session = await PolicyPad.attach(null, {
      server: granted.server, pad: granted.pad, token: granted.token, name: granted.name, adapter,
    });
    const status = element.querySelector('.policypad-status');
    const show = () => {
      if (!status) return;
      status.textContent = STATUS_TEXT[session.status] ?? session.status;
      const others = session.users.length; // everyone else on the pad
      if (session.status === 'saved' && others > 0) {
        status.textContent += ` · ${others} other${others === 1 ? '' : 's'} editing`;
      }
    };
    session.on('status', show).on('users', show);
    show();
    binding.session = session;
    element.policypadSession = session;
    element.dataset.policypadReady = 'true';
    element.dispatchEvent(new CustomEvent('policypad:ready', { bubbles: true, detail: { session } }));
  }

  /** Resolves once the binding's session has stored every edit (or it could not attach). */
  async function stored(binding) {
    await binding.ready;
    const session = binding.session;
    if (!session) return;
    await new Promise((resolve) => {
      let done = false;
      const check = () => {
        if (done) return;
        session.flush();
        if (session.status === 'saved') {
          done = true;
          resolve();
        }
      };
      session.on('status', check);
      check();
    });
  }

  function onSubmit(event) {
    const form = event.currentTarget;
    const bindings = forms.get(form);
    for (const binding of bindings) binding.session?.flush();
    const settled = bindings.every((binding) => binding.failed
      || (binding.session !== null && binding.session.status === 'saved'));
    if (settled) {
      for (const binding of bindings) {
        if (binding.session !== null) binding.rev.value = String(binding.session.rev);
      }
      return;
    }
    // not every edit is stored yet: send the form once they are
    event.preventDefault();
    if (form.dataset.policypadWaiting === 'true') return;
    form.dataset.policypadWaiting = 'true';
    const submitter = event.submitter;
    Promise.all(bindings.map(stored)).then(() => {
      delete form.dataset.policypadWaiting;
      if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    });
  }

  function start() {
    for (const element of document.querySelectorAll('[data-policypad]')) {
      if (element.policypadBinding) continue;
      const form = element.closest('form');
      const binding = {
        element, session: null, failed: false,
        rev: document.getElementById(JSON.parse(element.dataset.policypad).rev),
      };
      element.policypadBinding = binding;
      binding.ready = attach(binding).catch((error) => {
        binding.failed = true;
        const status = element.querySelector('.policypad-status');
        if (status) status.textContent = `Live editing is unavailable: ${error.message}`;
        console.error('PolicyPad:', error);
      });
      if (form === null) continue;
      if (!forms.has(form)) {
        forms.set(form, []);
        form.addEventListener('submit', onSubmit);
      }
      forms.get(form).push(binding);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
