/* The block editor: a headline and a list of blocks (text, quote, photo, embed, link). The
 * composer and the in-place editor of published posts both use it. Photos go to /api/v1/media
 * (XHR, for upload progress); a pasted address is read by the server, which answers with the
 * block to insert: an embed facade or a link card. */
import { $, $$, api, button, csrf, doc, h } from './dom.js';
import { normalise, pasteRich } from './richtext.js';
import { field, overLimit, recountAll } from './fields.js';
import { openLinkBox } from './linkbox.js';
import { editBeforeUpload, waitingPhotos } from './photoedit.js';

try {
  doc.execCommand('defaultParagraphSeparator', false, 'p');
} catch (err) {
  /* normalise() copes */
}

export const FIELDS = {
  quote: [
    ['text', 'The quote', 'textarea'],
    ['speaker', 'Who said it'],
    ['context', 'Context: where, when, to whom'],
  ],
  image: [
    ['url', 'Or the address of a photo online (https://…)', 'url'],
    ['caption', 'Caption'],
    ['credit', 'Credit (photographer / agency)'],
    ['alt', 'Alt text: describe the photo for people who cannot see it'],
  ],
  embed: [
    ['url', 'Address of the video or social post', 'url'],
    ['title', 'Title on the card'],
    ['excerpt', 'Excerpt on the card', 'textarea'],
    ['author', 'Author'],
    ['handle', 'Handle (@name)'],
  ],
  link: [
    ['url', 'Address of the article', 'url'],
    ['title', 'Title'],
    ['description', 'Short description', 'textarea'],
    ['site', 'Site name'],
  ],
};
export const LABEL = { text: 'Text', quote: 'Quote', image: 'Photo', embed: 'Embed', link: 'Link' };
export const FORMAT = [
  ['bold', 'B', 'Bold'],
  ['italic', 'I', 'Italic'],
  ['createLink', 'Link', 'Link'],
  ['insertUnorderedList', '•', 'Bulleted list'],
];
const uploadPhoto = (slug, file, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const data = new FormData();
    data.append('blog', slug);
    data.append('file', file);
    xhr.open('POST', '/api/v1/media');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((100 * e.loaded) / e.total));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (err) {
        /* not JSON: a proxy's page */
      }
      if (xhr.status === 201 && body) return resolve(body);
      const info = (body && body.error) || {};
      reject(
        Object.assign(new Error(info.message || 'The server answered ' + xhr.status + '.'), { status: xhr.status }),
      );
    };
    xhr.onerror = () =>
      reject(Object.assign(new Error('No connection: the photo was not uploaded. Try again.'), { status: 0 }));
    xhr.send(data);
  });
const isImage = (item) => item.kind !== 'string' && /^image\//.test(item.type);
const imageFiles = (dt) =>
  Array.from((dt && dt.items) || [])
    .filter(isImage)
    .map((i) => i.getAsFile())
    .filter(Boolean);
export const BlockEditor = (root, onChange, slug) => {
  const top = field('headline', 'Headline (optional)', 'text', onChange, { class: 'ed__headline' });
  const headline = top.input;
  top.wrap.classList.add('ed__top');
  const list = h('div', { class: 'ed__blocks' });
  const add = h(
    'div',
    { class: 'ed__add', role: 'toolbar', 'aria-label': 'Add a block' },
    h('span', { class: 'ed__add-label', text: 'Add' }),
    Object.keys(LABEL).map((kind) =>
      button(
        LABEL[kind],
        'chip',
        () => {
          addBlock(kind, null, true);
          onChange();
        },
        { 'data-add': kind },
      ),
    ),
  );
  root.append(top.wrap, list, add);
  const rows = () => $$(':scope > .blk', list);
  let uploading = 0;
  const note = (row, text, bad) => {
    // the status line under a photo or link block
    const el = $(':scope > .blk__status', row) || row.appendChild(h('p', { class: 'blk__status', role: 'status' }));
    el.textContent = text;
    el.classList.toggle('field-error', !!bad);
  };
  const showPicture = (row, url, onRemove) => {
    const box =
      $(':scope > .blk__picture', row) ||
      row.insertBefore(h('div', { class: 'blk__picture' }), $(':scope > .blk__head', row).nextSibling);
    box.replaceChildren();
    if (!url) return box.remove();
    box.append(h('img', { src: url, alt: '' }), onRemove ? button('Remove picture', 'link-btn', onRemove) : '');
  };
  const photoInto = (row, file, edited) => {
    // upload a file into a photo block, with progress (once rotated and cropped: photoedit.js)
    if (!edited) return editBeforeUpload(row, file, (out) => photoInto(row, out, true));
    uploading += 1;
    row.classList.add('is-uploading');
    note(row, 'Uploading ' + file.name + '…');
    uploadPhoto(slug, file, (pct) => note(row, 'Uploading ' + file.name + ' · ' + pct + ' %'))
      .then(
        (media) => {
          $('[data-key="url"]', row).value = media.url;
          Object.assign(row.dataset, { width: media.width, height: media.height, uploaded: media.url });
          showPicture(row, media.url);
          $('.blk__drop strong', row).textContent = 'Replace the photo';
          note(
            row,
            'Uploaded: ' + media.width + ' × ' + media.height + ' px, location data removed. Add the alt text.',
          );
          const alt = $('[data-key="alt"]', row);
          if (!alt.value && !$('[data-key="decorative"]', row).checked) alt.focus();
        },
        (e) => note(row, e.message, true),
      )
      .finally(() => {
        uploading -= 1;
        row.classList.remove('is-uploading');
        onChange();
      });
  };
  const addPhotos = (files) => files.forEach((file) => photoInto(addBlock('image'), file));
  const resolve = (row) => {
    // a pasted address: the server says embed or link card
    const url = $('[data-key="url"]', row).value.trim();
    if (!/^https?:\/\/\S+$/i.test(url) || row.dataset.resolved === url) return;
    row.dataset.resolved = url;
    note(row, 'Reading ' + url + '…');
    api('POST', '/api/v1/link-preview', { blog: slug, url }).then(
      ({ block }) => {
        if (!row.isConnected || $('[data-key="url"]', row).value.trim() !== url) return; // changed meanwhile
        if (block.kind === 'link' && row.dataset.kind === 'embed') return cannotEmbed(row, url, block);
        let target = row;
        if (block.kind !== row.dataset.kind) {
          target = addBlock(block.kind, block);
          row.replaceWith(target);
          target.dataset.resolved = url;
          if (block.kind === 'embed') target.dataset.said = said(block);
        } else if (block.kind === 'link') {
          ['title', 'description', 'site'].forEach((key) => {
            const input = $('[data-key="' + key + '"]', row);
            if (!input.value.trim()) input.value = block[key] || '';
          });
          recountAll(row);
          setLinkPicture(row, block.image);
        } else fillEmbed(row, block);
        if (block.kind === 'embed') target.classList.add('is-read');
        note(
          target,
          block.kind === 'embed' ? embedNote(block) : 'Card filled in from the page: edit anything before publishing.',
        );
        onChange();
      },
      (e) => {
        if (e.status === 404 || e.status === 405) return note(row, ''); // an older server without link previews
        if (!row.isConnected) return;
        if (row.dataset.kind === 'embed' && e.status) return cannotEmbed(row, url, null);
        note(row, e.status ? e.message : 'No connection: the address was not checked yet.', !!e.status);
      },
    );
  };
  // An address Bulletin cannot embed: say so in plain words, and let the person choose.
  const cannotEmbed = (row, url, card) => {
    let host = url;
    try {
      host = new URL(url).hostname;
    } catch (err) {
      /* shown as typed */
    }
    note(
      row,
      'Bulletin can’t embed this address: ' +
        host +
        ' is not one of the video, social or chart sites it knows. It can go in the post as a link card instead.',
      true,
    );
    offerLinkCard(row, url, card);
  };
  // An address Bulletin cannot embed: say so, and let the person choose what happens to it.
  const offerLinkCard = (row, url, block) => {
    const choice = h(
      'div',
      { class: 'blk__choice' },
      button('Add it as a link card instead', 'btn btn--small', () => {
        const card = addBlock('link', block || { url });
        row.replaceWith(card);
        if (block) card.dataset.resolved = url;
        else {
          delete card.dataset.resolved;
          resolve(card);
        }
        $('[data-key="title"]', card).focus();
        onChange();
      }),
      button('Remove this block', 'btn btn--small', () => {
        row.remove();
        onChange();
      }),
    );
    const status = $(':scope > .blk__status', row);
    $$(':scope > .blk__choice', row).forEach((el) => el.remove());
    status.after(choice);
  };
  // What the provider said about an embed fills the card's fields; a field the journalist
  // wrote in is kept, one still holding what an earlier address said is replaced.
  const EMBED_META = ['title', 'excerpt', 'author', 'handle'];
  const said = (block) => JSON.stringify(Object.fromEntries(EMBED_META.map((k) => [k, block[k] || ''])));
  const fillEmbed = (row, block) => {
    const before = JSON.parse(row.dataset.said || '{}');
    EMBED_META.forEach((key) => {
      const input = $('[data-key="' + key + '"]', row);
      const mine = input.value.trim() && input.value.trim() !== (before[key] || '');
      if (!mine) input.value = block[key] || '';
    });
    row.dataset.said = said(block);
    recountAll(row);
    setEmbedPicture(row, block.image ? block : null);
  };
  const embedNote = (block) =>
    block.title || block.author || block.excerpt || block.image
      ? 'Card filled in from the provider: edit anything before publishing. The player loads only when readers click it.'
      : 'The provider said nothing about it, so readers see a plain card (write a title if you like). The player loads only when they click it.';
  const setEmbedPicture = (row, block) => {
    row.dataset.image = (block && block.image) || '';
    row.dataset.imageWidth = (block && block.image_width) || '';
    row.dataset.imageHeight = (block && block.image_height) || '';
    showPicture(row, row.dataset.image, () => {
      setEmbedPicture(row, null);
      onChange();
    });
  };
  const setLinkPicture = (row, url) => {
    row.dataset.image = url || '';
    showPicture(row, url, () => {
      setLinkPicture(row, '');
      onChange();
    });
  };
  root.addEventListener('dragover', (ev) => {
    if (Array.from(ev.dataTransfer.items || []).some(isImage)) {
      ev.preventDefault();
      root.classList.add('is-dropping');
    }
  });
  root.addEventListener('dragleave', (ev) => {
    if (!root.contains(ev.relatedTarget)) root.classList.remove('is-dropping');
  });
  root.addEventListener('drop', (ev) => {
    root.classList.remove('is-dropping');
    const files = imageFiles(ev.dataTransfer);
    if (!files.length) return;
    ev.preventDefault();
    const row = ev.target.closest('.blk--image');
    if (row && !$('[data-key="url"]', row).value) photoInto(row, files.shift());
    addPhotos(files);
  });
  root.addEventListener('paste', (ev) => {
    const files = imageFiles(ev.clipboardData);
    if (!files.length) return;
    ev.preventDefault();
    addPhotos(files);
  });
  const move = (row, dir) => {
    const other = dir < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    list.insertBefore(dir < 0 ? row : other, dir < 0 ? other : row);
    onChange();
  };
  const addBlock = (kind, data, focus) => {
    const row = h(
      'div',
      { class: 'blk blk--' + kind, 'data-kind': kind },
      h(
        'div',
        { class: 'blk__head' },
        h('span', { class: 'blk__kind', text: LABEL[kind] }),
        h(
          'div',
          { class: 'blk__tools' },
          button('↑', 'icon', () => move(row, -1), { 'aria-label': 'Move up' }),
          button('↓', 'icon', () => move(row, 1), { 'aria-label': 'Move down' }),
          button(
            '✕',
            'icon',
            () => {
              row.remove();
              onChange();
            },
            { 'aria-label': 'Remove block' },
          ),
        ),
      ),
    );
    const inputs =
      kind === 'text'
        ? [
            h('div', {
              class: 'blk__text',
              contenteditable: 'true',
              role: 'textbox',
              'aria-multiline': 'true',
              'aria-label': 'Text',
              'data-key': 'html',
              'data-placeholder': 'Write the update…',
              onpaste: pasteRich,
            }),
          ]
        : FIELDS[kind].map(([key, label, type]) => field(key, label, type, onChange));
    const boxes = kind === 'text' ? inputs : inputs.map((f) => f.wrap);
    if (kind !== 'text') inputs.splice(0, inputs.length, ...inputs.map((f) => f.input));
    inputs.forEach((input) => {
      if (kind === 'text') {
        input.innerHTML = (data && data.html) || '';
        input.addEventListener('input', onChange);
      } else input.value = (data && data[input.dataset.key]) || '';
    });
    if (kind === 'text') {
      row.append(
        h(
          'div',
          { class: 'blk__format', role: 'toolbar', 'aria-label': 'Format text' },
          FORMAT.map(([cmd, sym, name]) =>
            button(
              sym,
              'fmt fmt--' + cmd,
              () => {
                inputs[0].focus();
                if (cmd === 'createLink') return openLinkBox(inputs[0], onChange);
                doc.execCommand(cmd, false, null);
                onChange();
              },
              { title: name, 'aria-label': name, onmousedown: (e) => e.preventDefault() },
            ),
          ),
        ),
      );
    }
    row.append(...boxes);
    recountAll(row);
    if (kind === 'image') {
      const pick = h('input', {
        type: 'file',
        accept: 'image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,image/avif',
        class: 'visually-hidden',
        onchange: () => {
          if (pick.files[0]) photoInto(row, pick.files[0]);
          pick.value = '';
        },
      });
      const drop = h(
        'label',
        { class: 'blk__drop' },
        pick,
        h('strong', { text: 'Choose a photo' }),
        h('span', { text: ' or drop it here · JPEG, PNG, WebP, GIF, HEIC, AVIF' }),
      );
      const url = $('[data-key="url"]', row);
      url.addEventListener('input', () => {
        if (url.value.trim() !== row.dataset.uploaded) {
          delete row.dataset.width;
          delete row.dataset.height;
          showPicture(row, '');
        }
      });
      const deco = h('input', {
        type: 'checkbox',
        'data-key': 'decorative',
        onchange: () => {
          $('[data-key="alt"]', row).disabled = deco.checked;
          onChange();
        },
      });
      row.insertBefore(drop, url.closest('.fld'));
      row.append(h('label', { class: 'blk__check' }, deco, ' Decorative only: readers who cannot see it miss nothing'));
      if (data) {
        deco.checked = !!data.decorative;
        $('[data-key="alt"]', row).disabled = deco.checked;
        if (data.width) Object.assign(row.dataset, { width: data.width, height: data.height, uploaded: data.url });
        if (data.url) {
          showPicture(row, data.url);
          $('.blk__drop strong', row).textContent = 'Replace the photo';
        }
      }
    }
    if (kind === 'link' || kind === 'embed') {
      const url = $('[data-key="url"]', row);
      url.addEventListener('change', () => resolve(row));
      url.addEventListener('paste', () => setTimeout(() => resolve(row), 0));
      if (data && data.url) row.dataset.resolved = data.url;
      if (kind === 'link' && data && data.image) setLinkPicture(row, data.image);
      if (kind === 'embed' && data) {
        if (data.image) setEmbedPicture(row, data);
        row.classList.toggle('is-read', !!data.url); // its card fields show once the address is read
      }
    }
    list.append(row);
    if (focus) inputs[0].focus();
    return row;
  };
  const read = (row) => {
    const kind = row.dataset.kind;
    if (kind === 'text') {
      const html = normalise($('[data-key="html"]', row));
      return html ? { kind, html } : null;
    }
    const block = { kind };
    FIELDS[kind].forEach(([key]) => {
      block[key] = $('[data-key="' + key + '"]', row).value.trim();
    });
    if (!FIELDS[kind].some(([key]) => block[key])) return null;
    if (kind === 'image') {
      if ($('[data-key="decorative"]', row).checked) Object.assign(block, { decorative: true, alt: '' });
      if (row.dataset.width && block.url === row.dataset.uploaded) {
        Object.assign(block, { width: +row.dataset.width, height: +row.dataset.height });
      }
    }
    if (kind === 'link' && row.dataset.image) block.image = row.dataset.image;
    if (kind === 'embed') {
      if (!block.url) return block.title || block.excerpt ? block : null;
      if (row.dataset.image) {
        Object.assign(block, {
          image: row.dataset.image,
          image_width: +row.dataset.imageWidth || 0,
          image_height: +row.dataset.imageHeight || 0,
        });
      }
    }
    return block;
  };
  /** Put the caret in the post's first field (the body, not the headline). */
  const focusBody = () => {
    const first = rows()[0];
    const target = first && ($('[data-key="html"]', first) || $('input:not([type=file]), textarea', first));
    (target || headline).focus();
  };
  // Enter never publishes: in the headline it moves to the body, in another one-line field to
  // the next field, and an address is read at once. Ctrl/Cmd+K opens the link box.
  root.addEventListener('keydown', (ev) => {
    const t = ev.target;
    const plainKey = !ev.ctrlKey && !ev.metaKey && !ev.altKey;
    if (ev.isComposing) return;
    if (!plainKey && !ev.altKey && ev.key.toLowerCase() === 'k' && t.matches('.blk__text')) {
      ev.preventDefault();
      return openLinkBox(t, onChange);
    }
    if (t === headline && ev.key === 'Tab' && plainKey && !ev.shiftKey) {
      ev.preventDefault();
      return focusBody();
    }
    if (ev.key !== 'Enter' || !plainKey || t.tagName !== 'INPUT' || !t.dataset.key) return;
    ev.preventDefault();
    if (t === headline) return focusBody();
    const row = t.closest('.blk');
    if (t.dataset.key === 'url' && row && (row.dataset.kind === 'link' || row.dataset.kind === 'embed')) resolve(row);
    const fields = $$('[data-key]:not([type=checkbox]):not([type=file]):not(:disabled)', root);
    const next = fields[fields.indexOf(t) + 1];
    if (next) next.focus();
  });
  let sent = []; // the row behind each block sent (empty blocks are left out)
  return {
    value() {
      const blocks = [];
      sent = [];
      rows().forEach((row) => {
        const b = read(row);
        if (!b) return;
        blocks.push(b);
        sent.push(row);
      });
      return { headline: headline.value.trim() || null, blocks };
    },
    set(post) {
      headline.value = (post && post.headline) || '';
      recountAll(top.wrap);
      list.replaceChildren();
      ((post && post.blocks) || []).forEach((b) => addBlock(b.kind, b));
      if (!rows().length) addBlock('text');
    },
    /** What must change before this can be sent: {el, message}, or null. */
    problem() {
      const over = overLimit(root);
      if (over) return over;
      const seen = new Map();
      for (const row of rows()) {
        const input = $('[data-key="url"]', row);
        const url = input && row.dataset.kind !== 'image' ? input.value.trim() : '';
        if (!url) continue;
        if (seen.has(url)) {
          return {
            el: input,
            message: 'This address is already in the post (' + seen.get(url) + ' block above). Remove one of them.',
          };
        }
        seen.set(url, LABEL[row.dataset.kind].toLowerCase());
      }
      return null;
    },
    /** Show a message beside an element of this editor. */
    flag(el, message) {
      el.classList.add('is-invalid');
      el.after(h('p', { class: 'field-error', role: 'alert', text: message }));
      el.focus();
    },
    focusBody,
    showError(field, message) {
      // "headline", "blocks", "blocks.2.url": next to that field
      const m = /^blocks\.(\d+)(?:\.(\w+))?/.exec(field || '');
      let el = field === 'headline' ? headline : field === 'blocks' ? add : null;
      if (m && sent[+m[1]]) el = (m[2] && $('[data-key="' + m[2] + '"]', sent[+m[1]])) || sent[+m[1]];
      if (!el) return false;
      el.classList.add('is-invalid');
      el.after(h('p', { class: 'field-error', role: 'alert', text: message }));
      if (el !== add) el.focus();
      return true;
    },
    clearErrors() {
      $$('.field-error', root).forEach((e) => e.remove());
      $$('.is-invalid', root).forEach((e) => e.classList.remove('is-invalid'));
    },
    focus: () => headline.focus(),
    uploading: () => uploading + waitingPhotos(root),
  };
};
