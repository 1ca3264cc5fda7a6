/* The text block's HTML subset: what the contenteditable holds becomes flat paragraphs and
 * lists of p, a, strong, em, ul, ol, li, blockquote, br — what the server keeps. */
import { $$, h } from './dom.js';

const BLOCKS = ['P', 'DIV', 'UL', 'OL', 'BLOCKQUOTE'];

/** contenteditable → the text block's HTML ('' when there is no text). */
export const normalise = (el) => {
  const out = h('div');
  let para = null;
  const walk = (parent) =>
    Array.from(parent.childNodes).forEach((n) => {
      const tag = n.nodeType === 1 ? n.tagName : '';
      if (!BLOCKS.includes(tag)) {
        if (!para) out.append((para = h('p')));
        return para.append(n.cloneNode(true));
      }
      para = null;
      if (tag !== 'P' && tag !== 'DIV') out.append(n.cloneNode(true));
      else if (Array.from(n.children).some((c) => BLOCKS.includes(c.tagName)))
        walk(n); // nested blocks
      else out.append(h('p', {}, ...Array.from(n.childNodes, (c) => c.cloneNode(true))));
      para = null;
    });
  walk(el);
  $$('b, i', out).forEach((b) => b.replaceWith(h(b.tagName === 'B' ? 'strong' : 'em', {}, ...b.childNodes)));
  $$('p', out).forEach((p) => {
    if (!p.textContent.trim()) p.remove();
  });
  return out.textContent.trim() ? out.innerHTML : '';
};
