/* The block editor: a headline and a list of blocks (text, quote, photo, embed, link). The
 * composer and the in-place editor of published posts both use it. Photos go to /api/v1/media
 * (XHR, for upload progress); a pasted address is read by the server, which answers with the
 * block to insert: an embed facade or a link card. */
import { $, $$, api, button, csrf, doc, h } from './dom.js';
import { normalise } from './richtext.js';
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
  embed: [['url', 'Address of the video or social post', 'url']],
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
  const headline = h('input', {
    class: 'ed__headline',
    'aria-label': 'Headline',
    maxlength: 300,
    placeholder: 'Headline (optional)',
    oninput: onChange,
  });
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
  root.append(headline, list, add);
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
        if ($('[data-key="url"]', row).value.trim() !== url) return; // changed meanwhile
        let target = row;
        if (block.kind !== row.dataset.kind) {
          target = addBlock(block.kind, block);
          row.replaceWith(target);
          target.dataset.resolved = url;
        } else if (block.kind === 'link') {
          ['title', 'description', 'site'].forEach((key) => {
            const input = $('[data-key="' + key + '"]', row);
            if (!input.value.trim()) input.value = block[key] || '';
          });
          setLinkPicture(row, block.image);
        }
        note(
          target,
          block.kind === 'embed'
            ? 'Readers see a card; the player loads only when they click it.'
            : 'Card filled in from the page: edit anything before publishing.',
        );
        onChange();
      },
      (e) => {
        if (e.status === 404 || e.status === 405) return note(row, ''); // an older server without link previews
        let target = row;
        if (row.dataset.kind === 'embed' && e.status) {
          // not a provider Bulletin embeds: a plain link card
          target = addBlock('link', { url });
          row.replaceWith(target);
          onChange();
        }
        note(target, e.message, !!e.status);
      },
    );
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
            }),
          ]
        : FIELDS[kind].map(([key, label, type]) =>
            h(type === 'textarea' ? 'textarea' : 'input', {
              type: type === 'textarea' ? null : type || 'text',
              rows: type === 'textarea' ? (key === 'text' ? 3 : 2) : null,
              'aria-label': label,
              placeholder: label,
              'data-key': key,
            }),
          );
    inputs.forEach((input) => {
      if (kind === 'text') input.innerHTML = (data && data.html) || '';
      else input.value = (data && data[input.dataset.key]) || '';
      input.addEventListener('input', onChange);
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
                const url = cmd === 'createLink' ? prompt('Link address (https://…)', 'https://') : null;
                if (cmd !== 'createLink' || url) doc.execCommand(cmd, false, url);
                onChange();
              },
              { title: name, 'aria-label': name, onmousedown: (e) => e.preventDefault() },
            ),
          ),
        ),
      );
    }
    row.append(...inputs);
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
      row.insertBefore(drop, url);
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
    return block;
  };
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
      list.replaceChildren();
      ((post && post.blocks) || []).forEach((b) => addBlock(b.kind, b));
      if (!rows().length) addBlock('text');
    },
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
