/* The composer on a phone: the Publish bar sticks to the bottom of the screen (editor.css), so
 * this keeps it above the on-screen keyboard where the browser does not shrink the page for it
 * (visualViewport; Chrome does with interactive-widget=resizes-content), and keeps the line
 * being typed above the bar instead of under it. */
import { $, doc } from './dom.js';

export const followKeyboard = (root = doc.documentElement) => {
  const vv = window.visualViewport;
  if (!vv) return;
  const place = () => {
    const hidden = Math.max(0, window.innerHeight - vv.height - vv.offsetTop);
    root.style.setProperty('--keyboard', Math.round(hidden) + 'px');
  };
  vv.addEventListener('resize', place);
  vv.addEventListener('scroll', place);
  place();
};

/** Scroll the caret (or the focused field) clear of the sticky bar as the person types. */
export const keepCaretAboveBar = (form = $('#compose'), bar = $('.composer__bar')) => {
  if (!form || !bar) return;
  const clear = () => {
    const el = doc.activeElement;
    if (!el || !form.contains(el) || bar.contains(el)) return;
    if (getComputedStyle(bar).position !== 'sticky') return;
    const sel = doc.getSelection();
    let rect;
    if (el.isContentEditable && sel && sel.rangeCount) {
      rect = sel.getRangeAt(0).getBoundingClientRect();
      if (!rect.height)
        rect = (sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement).getBoundingClientRect();
    } else rect = el.getBoundingClientRect();
    const top = bar.getBoundingClientRect().top;
    const gap = 8;
    if (rect.bottom + gap > top) window.scrollBy(0, Math.min(rect.bottom + gap - top, Math.max(0, rect.top - gap)));
  };
  form.addEventListener('input', () => requestAnimationFrame(clear));
  form.addEventListener('focusin', () => requestAnimationFrame(clear));
  doc.addEventListener('selectionchange', () => form.contains(doc.activeElement) && requestAnimationFrame(clear));
};
