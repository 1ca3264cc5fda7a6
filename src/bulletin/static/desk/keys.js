/* The desk's keyboard: "?" opens the shortcuts sheet (outside a text field); dialogs close
 * with Esc by themselves (<dialog>), and focus goes back where it was. */
import { $, doc } from './dom.js';

const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

export const createKeys = () => {
  const sheet = $('#shortcuts');
  const opener = $('#shortcuts-open');
  if (!sheet) return;
  let back = null;
  const open = () => {
    back = doc.activeElement;
    sheet.showModal();
  };
  sheet.addEventListener('close', () => back && back.focus && back.focus());
  if (opener) opener.addEventListener('click', open);
  doc.addEventListener('keydown', (ev) => {
    if (ev.key === '?' && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !typing(ev.target) && !sheet.open) {
      ev.preventDefault();
      open();
    }
  });
};
