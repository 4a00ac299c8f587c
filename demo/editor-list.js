// The editors the demo offers, by key (the last part of /pads/{pad}/{editor}). The start
// page needs only these names; editors.js makes the editors themselves.

export const EDITOR_LABELS = {
  contenteditable: 'Rich text (contenteditable)',
  textarea: 'Plain text (textarea)',
  wymeditor: 'WYMeditor 1.0',
  ckeditor5: 'CKEditor 5',
  tinymce: 'TinyMCE 6',
  ckeditor4: 'CKEditor 4',
};
