/* An inline link box for the text block (Ctrl/Cmd+K or the Link button), instead of the
 * browser's prompt(): it keeps the selection, takes http(s) and mailto addresses, and Esc
 * cancels. */
import { button, doc, h } from './dom.js';

const SAFE = /^(https?:\/\/\S+|mailto:\S+@\S+)$/i;

/** Open the box under `text` (a contenteditable) for the current selection. */
export const openLinkBox = (text, onChange) => {
  const old = text.parentNode.querySelector(':scope > .linkbox');
  if (old) old.remove();
  const sel = doc.getSelection();
  const range = sel.rangeCount && text.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
  const current = range && range.startContainer.parentElement && range.startContainer.parentElement.closest('a');
  const input = h('input', {
    type: 'url',
    class: 'linkbox__input',
    placeholder: 'https://…',
    value: current ? current.getAttribute('href') : '',
  });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const restore = () => {
    text.focus();
    if (!range) return;
    sel.removeAllRanges();
    sel.addRange(range);
  };
  const close = (refocus) => {
    box.remove();
    if (refocus) restore();
  };
  const apply = () => {
    const url = input.value.trim();
    if (!SAFE.test(url)) {
      error.hidden = false;
      error.textContent = 'Links need a web address starting https:// (or mailto:).';
      input.setAttribute('aria-invalid', 'true');
      return input.focus();
    }
    restore();
    if (range && range.collapsed && !current) doc.execCommand('insertText', false, url);
    if (range && range.collapsed && !current) {
      const s = doc.getSelection();
      s.modify('extend', 'backward', 'character');
      for (let i = 1; i < url.length; i += 1) s.modify('extend', 'backward', 'character');
    }
    doc.execCommand('createLink', false, url);
    close(false);
    onChange();
  };
  const unlink = () => {
    restore();
    doc.execCommand('unlink');
    close(false);
    onChange();
  };
  const box = h(
    'div',
    { class: 'linkbox', role: 'group', 'aria-label': 'Link' },
    h('label', { class: 'linkbox__label' }, h('span', { text: 'Link address' }), input),
    button('Apply', 'btn btn--small btn--primary', apply),
    current ? button('Remove link', 'btn btn--small', unlink) : null,
    button('Cancel', 'btn btn--small', () => close(true)),
    error,
  );
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      apply();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close(true);
    }
  });
  text.after(box);
  input.focus();
};
