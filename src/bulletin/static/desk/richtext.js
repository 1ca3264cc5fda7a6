/* The text block's HTML subset: paragraphs and lists of p, a, strong, em, ul, ol, li,
 * blockquote, br — what the server keeps. One reading of any HTML into that subset serves both
 * the contenteditable's own markup (what `normalise` sends) and what Google Docs, Word, a web
 * page or a mail put on the clipboard (what a paste inserts), so what the journalist sees is
 * what readers get: bold and italic by tag or by inline style (Docs marks them with styled
 * spans), links to http(s)/mailto only, lists (Word's mso-list paragraphs too), headings as bold
 * paragraphs; fonts, colours, sizes, classes, pictures, scripts and empty paragraphs dropped.
 * Nothing from the clipboard is ever inserted as such: the output is built from new elements,
 * text nodes and checked addresses. */
import { doc, h } from './dom.js';

const words = (s) => new Set(s.split(' '));
/** Not text: left out with all they hold. */
const SKIP = words(
  'script style template noscript textarea title iframe object embed svg math head meta link base img picture ' +
    'video audio source track canvas map area button input select option datalist figure nav frame frameset ' +
    'noembed noframes xmp plaintext dialog',
);
/** Start and end a paragraph (or a line of a list item). */
const BLOCK = words(
  'p div h1 h2 h3 h4 h5 h6 section article header footer main aside address figcaption details summary center ' +
    'dl dt dd table caption thead tbody tfoot tr td th pre hr body html li',
);
const BOLD = words('b strong h1 h2 h3 h4 h5 h6 th');
const ITALIC = words('i em cite dfn var address');
const SCHEMES = ['http:', 'https:', 'mailto:'];
const PLAIN = { bold: false, italic: false, href: null, pre: false, heading: false, pasted: false };

/** An element's inline style as {property: value}, lower case, without !important. */
const styleOf = (el) => {
  const out = {};
  (el.getAttribute('style') || '').split(';').forEach((decl) => {
    const i = decl.indexOf(':');
    if (i > 0)
      out[decl.slice(0, i).trim().toLowerCase()] = decl
        .slice(i + 1)
        .replace(/!\s*important/i, '')
        .trim()
        .toLowerCase();
  });
  return out;
};
/** font-weight → bold (true), not bold (false) or unknown (null): Docs writes 700, others bold. */
const weight = (v) =>
  /^(bold|bolder)$/.test(v) ? true : /^(normal|lighter)$/.test(v) ? false : /^\d+$/.test(v) ? +v >= 600 : null;
/** An address readers may follow: absolute http(s) or mailto, else null (the text stays). */
export const safeHref = (raw) => {
  try {
    const url = new URL((raw || '').trim());
    return SCHEMES.includes(url.protocol) ? url.href : null;
  } catch (err) {
    return null; // relative or not an address
  }
};
const hidden = (el, st) =>
  el.hasAttribute('hidden') ||
  el.getAttribute('aria-hidden') === 'true' ||
  /^none/.test(st.display || '') ||
  st.visibility === 'hidden' ||
  st['mso-list'] === 'ignore'; // Word's typed bullet or number in front of a list paragraph

/** The formatting inside `el`, given the formatting around it. */
const within = (el, ctx, st) => {
  const tag = el.localName;
  const out = { ...ctx };
  if (BOLD.has(tag)) out.bold = true;
  if (/^h\d$/.test(tag)) out.heading = true; // a bold paragraph, whatever weight its spans say
  if (ITALIC.has(tag)) out.italic = true;
  if (tag === 'pre') out.pre = true;
  if (st.font && /\d/.test(st.font)) {
    // the shorthand resets weight and style: "font:7.0pt 'Times New Roman'", "italic bold 12px serif"
    const head = st.font.split(/\s+/).slice(0, 3);
    out.bold = head.some((t) => weight(t) === true);
    out.italic = head.some((t) => /^(italic|oblique)$/.test(t));
  }
  if (st['font-weight']) out.bold = weight(st['font-weight']) ?? out.bold;
  if (st['font-style']) out.italic = /italic|oblique/.test(st['font-style']);
  if (out.heading) out.bold = true;
  if (tag === 'a' && el.hasAttribute('href')) out.href = safeHref(el.getAttribute('href'));
  return out;
};

/* A sink collects the runs of one line ({text, bold, italic, href} or {br}) and, on flush,
 * appends them to its box: a paragraph in the block or blockquote, or straight into a list item. */
const sinkOf = (box, li) => ({ box, li, line: [], filled: false });
const group = (runs, keys) => {
  if (!keys.length) return runs.map((r) => (r.br ? h('br') : doc.createTextNode(r.text)));
  const [key, ...rest] = keys;
  const nodes = [];
  for (let i = 0, j; i < runs.length; i = j) {
    for (j = i; j < runs.length && runs[j][key] === runs[i][key]; j++);
    const kids = group(runs.slice(i, j), rest);
    const v = runs[i][key];
    if (!v) nodes.push(...kids);
    else nodes.push(key === 'href' ? h('a', { href: v }, kids) : h(key === 'bold' ? 'strong' : 'em', {}, kids));
  }
  return nodes;
};
const trimEnd = (runs) => {
  while (runs.length) {
    const last = runs[runs.length - 1];
    if (last.br) return;
    last.text = last.text.replace(/[ \u00a0]+$/, '');
    if (last.text) return;
    runs.pop();
  }
};
const flush = (sink) => {
  const runs = [];
  sink.line.forEach((r) => {
    const prev = runs[runs.length - 1];
    if (r.br) {
      trimEnd(runs);
      if (runs.length) runs.push({ ...runs[runs.length - 1], br: true, text: '' });
      return;
    }
    let text = r.text;
    if (!prev || prev.br) text = text.replace(/^[ \u00a0]+/, '');
    else if (/ $/.test(prev.text)) text = text.replace(/^ /, '');
    if (text) runs.push({ ...r, text });
  });
  sink.line = [];
  trimEnd(runs);
  while (runs.length && runs[runs.length - 1].br) runs.pop();
  if (!runs.some((r) => !r.br && r.text.trim())) return;
  const nodes = group(runs, ['href', 'bold', 'italic']);
  if (!sink.li) return sink.box.append(h('p', {}, nodes));
  if (sink.filled) sink.box.append(h('br'));
  sink.box.append(...nodes);
  sink.filled = true;
};

const isWordItem = (n) => n.nodeType === 1 && BLOCK.has(n.localName) && /\blevel\d/.test(styleOf(n)['mso-list'] || '');
const wordOrdered = (p) => {
  const marker = Array.from(p.querySelectorAll('[style]')).find((e) => styleOf(e)['mso-list'] === 'ignore');
  return /^\(?(\d+|[a-z]{1,3})[.)]$/i.test(marker ? marker.textContent.replace(/\s+/g, '') : '');
};
/** Word's list paragraphs (mso-list: l0 level2 lfo1) as real, nested lists. */
const wordList = (items, ctx, sink) => {
  flush(sink);
  const stack = [];
  items.forEach((p) => {
    const level = +/level(\d+)/.exec(styleOf(p)['mso-list'])[1];
    const tag = wordOrdered(p) ? 'ol' : 'ul';
    while (stack.length && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.level === level && top.list.localName !== tag) top = stack.pop() && stack[stack.length - 1];
    if (!top || top.level < level) {
      const list = h(tag);
      ((top && top.list.lastElementChild) || sink.box).append(list);
      stack.push((top = { level, list }));
    }
    const item = sinkOf(h('li'), true);
    top.list.append(item.box);
    walkChildren(p, within(p, ctx, styleOf(p)), item);
    flush(item);
  });
};
const list = (el, ctx, sink) => {
  flush(sink);
  const out = h(el.localName);
  sink.box.append(out);
  let item = null;
  const next = () => {
    item = sinkOf(h('li'), true);
    out.append(item.box);
    return item;
  };
  el.childNodes.forEach((n) => {
    if (n.nodeType === 1 && n.localName === 'li') {
      next();
      walkChildren(n, within(n, ctx, styleOf(n)), item);
    } else if (n.nodeType === 1 && /^(ul|ol)$/.test(n.localName)) {
      list(n, ctx, item || next()); // Docs nests a list straight inside the outer list
    } else if (n.nodeType === 1 || (n.nodeType === 3 && n.data.trim())) {
      walk(n, ctx, item || next());
    }
    if (item) flush(item);
  });
};
const walkChildren = (parent, ctx, sink) => {
  const kids = Array.from(parent.childNodes);
  for (let i = 0; i < kids.length; i++) {
    if (!isWordItem(kids[i])) {
      walk(kids[i], ctx, sink);
      continue;
    }
    const items = [kids[i]];
    for (let j = i + 1; j < kids.length; j++) {
      const n = kids[j];
      if (isWordItem(n)) items.push(n);
      else if (n.nodeType === 1 || (n.nodeType === 3 && n.data.trim())) break;
      i = j;
    }
    wordList(items, ctx, sink);
  }
};
const walk = (n, ctx, sink) => {
  if (n.nodeType === 3) {
    if (ctx.pre) {
      n.data.split('\n').forEach((line, i) => {
        if (i) sink.line.push({ br: true });
        sink.line.push({ ...ctx, text: line.replace(/\t/g, '    ') });
      });
    } else {
      // a clipboard's no-break spaces are a copying artefact (Chrome's <span>&nbsp;</span> at tag edges)
      const text = ctx.pasted ? n.data.replace(/\u00a0/g, ' ') : n.data;
      sink.line.push({ ...ctx, text: text.replace(/[ \t\n\r\f]+/g, ' ') });
    }
    return;
  }
  if (n.nodeType !== 1 && n.nodeType !== 11) return; // comments, Word's <![if …]>
  if (n.nodeType === 11) return walkChildren(n, ctx, sink);
  const tag = n.localName;
  const st = styleOf(n);
  if (SKIP.has(tag) || hidden(n, st)) return;
  if (tag === 'br') return sink.line.push({ br: true });
  if (tag === 'ul' || tag === 'ol') return list(n, ctx, sink);
  const inner = within(n, ctx, st);
  if (tag === 'blockquote' && !sink.li && sink.box.localName !== 'blockquote') {
    flush(sink);
    const quote = sinkOf(h('blockquote'), false);
    sink.box.append(quote.box);
    walkChildren(n, inner, quote);
    return flush(quote);
  }
  const block = BLOCK.has(tag) || tag === 'blockquote';
  if (block) flush(sink);
  walkChildren(n, inner, sink);
  if (block) flush(sink);
};

/** Any node's content (an element, a parsed document's body, a fragment) as the subset, in a div. */
export const tidy = (source, pasted) => {
  const out = h('div');
  const sink = sinkOf(out, false);
  walkChildren(source, { ...PLAIN, pasted: !!pasted }, sink);
  flush(sink);
  Array.from(out.querySelectorAll('li, ul, ol, blockquote'))
    .reverse()
    .forEach((el) => el.textContent.trim() || el.remove());
  out.normalize();
  return out;
};

/** contenteditable → the text block's HTML ('' when there is no text). */
export const normalise = (el) => {
  const out = tidy(el);
  return out.textContent.trim() ? out.innerHTML : '';
};

/** Clipboard HTML → the subset. Word and Windows mark what was copied between
 * <!--StartFragment--> and <!--EndFragment-->; the rest is context (the list around an item). */
export const fromHtml = (html) => {
  const parsed = new DOMParser().parseFromString(html, 'text/html'); // inert: no script runs, nothing loads
  const walker = parsed.createTreeWalker(parsed, NodeFilter.SHOW_COMMENT);
  let start = null;
  let end = null;
  while (walker.nextNode()) {
    const mark = walker.currentNode.data.trim();
    if (mark === 'StartFragment' && !start) start = walker.currentNode;
    if (mark === 'EndFragment') end = walker.currentNode;
  }
  if (!start || !end) return tidy(parsed.body, true);
  const range = parsed.createRange();
  range.setStartAfter(start);
  range.setEndBefore(end);
  let part = range.cloneContents();
  // the elements around both marks (the list of a copied list item) are part of what was copied
  for (let el = range.commonAncestorContainer; el.nodeType === 1 && !/^(body|html)$/.test(el.localName);) {
    const wrap = el.cloneNode(false);
    wrap.append(part);
    part = wrap;
    el = el.parentNode;
  }
  const holder = parsed.createDocumentFragment();
  holder.append(part);
  return tidy(holder, true);
};

/** Plain text → paragraphs at blank lines, line breaks within. */
export const fromText = (text) => {
  const out = h('div');
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n\s*/)
    .forEach((para) => {
      const lines = para.split('\n');
      out.append(
        h(
          'p',
          {},
          lines.flatMap((line, i) => (i ? [h('br'), line] : [line])),
        ),
      );
    });
  return tidy(out, true);
};

/** The text block's paste: the clipboard's HTML (or text) in the subset, at the caret.
 * Photos are left to the block editor, which makes photo blocks of them. */
export const pasteRich = (ev) => {
  const data = ev.clipboardData;
  if (!data || Array.from(data.items || []).some((i) => i.kind === 'file' && /^image\//.test(i.type))) return;
  ev.preventDefault();
  const html = data.getData('text/html');
  let clean = html ? fromHtml(html) : null;
  if (!clean || !clean.textContent.trim()) clean = fromText(data.getData('text/plain') || '');
  if (!clean.textContent.trim()) return;
  const only =
    clean.children.length === 1 && clean.firstElementChild.localName === 'p' ? clean.firstElementChild : null;
  // one paragraph joins the paragraph at the caret; execCommand keeps undo (Ctrl+Z) working
  doc.execCommand('insertHTML', false, (only || clean).innerHTML);
  if (!outsideSubset(ev.currentTarget)) return;
  // Chrome may dress the insertion in styled spans (into a list item, next to other markup):
  // redo the whole block in the subset, so the editor shows exactly what will be published
  const box = ev.currentTarget;
  const at = caretAt(box);
  const range = doc.createRange();
  range.selectNodeContents(box);
  const sel = doc.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  doc.execCommand('insertHTML', false, tidy(box).innerHTML);
  if (outsideSubset(box)) box.replaceChildren(...tidy(box).childNodes);
  placeCaret(box, at);
};

const SUBSET = words('p a strong em ul ol li blockquote br');
const outsideSubset = (box) =>
  Array.from(box.querySelectorAll('*')).some(
    (el) =>
      !SUBSET.has(el.localName) ||
      Array.from(el.attributes).some((a) => el.localName !== 'a' || a.name !== 'href') ||
      (el.localName === 'p' && !/^(div|blockquote)$/.test(el.parentElement.localName)),
  );
/** The caret as a count of the visible characters before it (blanks collapse on a redo). */
const caretAt = (box) => {
  const sel = doc.getSelection();
  if (!sel.rangeCount || !box.contains(sel.focusNode)) return -1;
  const range = doc.createRange();
  range.setStart(box, 0);
  range.setEnd(sel.focusNode, sel.focusOffset);
  return range.toString().replace(/\s+/g, '').length;
};
const placeCaret = (box, count) => {
  if (count < 0) return;
  const walker = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node = null;
  let offset = 0;
  for (let left = count; left > 0 && walker.nextNode();) {
    node = walker.currentNode;
    for (offset = 0; offset < node.data.length && left > 0; offset++) if (/\S/.test(node.data[offset])) left--;
  }
  const range = doc.createRange();
  if (node) range.setStart(node, offset);
  else range.setStart(box, 0);
  doc.getSelection().removeAllRanges();
  doc.getSelection().addRange(range);
};
