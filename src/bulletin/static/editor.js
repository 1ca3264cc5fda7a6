/* Bulletin newsroom: the composer, the approval queue, the editor's stream and the small
 * newsroom pages (dashboard, team, account, audit). Plain JavaScript, no build step.
 *
 * Every write goes to the JSON API with the session cookie and the page's CSRF token.
 * Publishing carries an Idempotency-Key and is retried with the SAME key while the network
 * is down, so a flaky connection never posts twice. Drafts autosave; the draft's id (and any
 * edit not yet saved) stays in localStorage, so a closed tab loses nothing.
 */
(() => {
  'use strict';
  const doc = document;
  const $ = (sel, el) => (el || doc).querySelector(sel);
  const $$ = (sel, el) => Array.from((el || doc).querySelectorAll(sel));
  const csrf = ($('meta[name="csrf-token"]') || {}).content || '';
  const h = (tag, props, ...kids) => {  // h('p', {class: 'x', text: 'hi', onclick: fn}, child…)
    const el = doc.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (v == null || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    });
    kids.flat().forEach((kid) => kid != null && el.append(kid));
    return el;
  };
  const button = (text, cls, onclick, props) => h('button', { type: 'button', class: cls, text, onclick, ...props });
  const fragment = (html) => Object.assign(doc.createElement('template'), { innerHTML: html }).content;  // our server's HTML
  const plain = (html) => (fragment(html.replace(/<\/(p|li)>/g, '$& ')).textContent || '').replace(/\s+/g, ' ').trim();

  // ---- talking to the server -----------------------------------------------------------
  const api = async (method, url, body, headers) => {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
    if (method !== 'GET') init.headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(url, init);  // rejects (TypeError) when the network is down
    const data = await r.json().catch(() => null);
    if (r.ok) return data;
    const info = (data && data.error) || {};
    throw Object.assign(new Error(info.message || 'The server answered ' + r.status + '.'),
      { status: r.status, field: info.field || null, body: data });
  };
  const transient = (e) => !e.status || [502, 503, 504].includes(e.status);
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  const localTime = (iso, tz, opts) => {
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z');
    try {
      return new Intl.DateTimeFormat(undefined, { timeZone: tz || undefined, hourCycle: 'h23',
        ...(opts || { dateStyle: 'medium', timeStyle: 'short' }) }).format(d);
    } catch (err) { return d.toLocaleString(); }
  };
  const SHORT = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  $$('time[data-local]').forEach((t) => {
    const zone = t.closest('[data-timezone]');
    t.title = t.getAttribute('datetime');
    t.textContent = localTime(t.getAttribute('datetime'), zone && zone.dataset.timezone);
  });

  // ---- small newsroom pages: forms that talk JSON, team roles, tokens ----------------------
  const FORM_DONE = {
    'new-blog-form': (blog) => { location.href = '/blogs/' + encodeURIComponent(blog.slug) + '/edit'; },
    'invite-form': (res) => {
      $('#invite-result').hidden = false;
      $('[data-invite-name]').textContent = res.name + ' (' + res.role + ')';
      $('#invite-url').value = res.invite_url || 'Already has an account: the new role applies at once.';
      $('.copy button', $('#invite-result')).hidden = !res.invite_url;
    },
    'token-form': (res) => {
      $('#token-result').hidden = false;
      $('#token-value').value = res.token;
      $$('#tokens .table__empty').forEach((el) => el.remove());
      $('#tokens tbody').append(h('tr', {}, h('td', { text: res.label }), h('td', { text: 'just now' }),
        h('td', {}, h('span', { class: 'pill pill--ok', text: 'Active' })), h('td')));
    },
  };
  $$('form[data-api]').forEach((form) => form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = {};
    new FormData(form).forEach((v, k) => { if (String(v).trim()) body[k] = String(v).trim(); });
    const submit = $('button[type="submit"]', form);
    const box = $('[data-error]', form);
    submit.disabled = true;
    $$('.is-invalid', form).forEach((el) => el.classList.remove('is-invalid'));
    api(form.dataset.method || 'POST', form.dataset.api, body).then((res) => {
      box.hidden = true;
      FORM_DONE[form.id](res);
      form.reset();
    }, (e) => {
      box.hidden = false;
      box.textContent = e.status ? e.message : 'No connection: check the network and try again.';
      const input = e.field && form.elements.namedItem(e.field);
      if (input && input.classList) input.classList.add('is-invalid');
    }).finally(() => { submit.disabled = false; });
  }));
  doc.addEventListener('click', (ev) => {
    const copy = ev.target.closest('[data-copy]');
    if (!copy) return;
    const input = $(copy.dataset.copy);
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(() => {});
    copy.textContent = 'Copied';
  });
  const say = (text) => { $('#team-status').textContent = text; };
  const member = (name) => '/api/v1/blogs/' + encodeURIComponent(location.pathname.split('/')[2]) +
    '/members/' + encodeURIComponent(name);
  $$('select[data-role-for]').forEach((sel) => sel.addEventListener('change', () => {
    const name = sel.dataset.roleFor;
    api('PUT', member(name), { role: sel.value }).then(() => say(name + ' is now ' + sel.value + '.'), (e) => say(e.message));
  }));
  $$('[data-remove]').forEach((btn) => btn.addEventListener('click', () => {
    const name = btn.dataset.remove;
    if (!confirm('Remove ' + name + ' from this blog?')) return;
    api('DELETE', member(name)).then(() => { btn.closest('tr').remove(); say(name + ' was removed.'); }, (e) => say(e.message));
  }));
  $$('[data-revoke]').forEach((btn) => btn.addEventListener('click', () => {
    if (!confirm('Revoke this token? Scripts using it stop working at once.')) return;
    api('DELETE', '/api/v1/tokens/' + btn.dataset.revoke).then(() => {
      btn.closest('tr').children[2].replaceChildren(h('span', { class: 'pill pill--muted', text: 'Revoked just now' }));
      btn.remove();
    }, (e) => alert(e.message));
  }));

  // ---- the composer page ---------------------------------------------------------------
  const config = $('#editor-config');
  if (!config) return;
  const cfg = JSON.parse(config.textContent);
  const can = (p) => cfg.permissions.includes(p);
  const me = cfg.me;
  const base = '/api/v1/blogs/' + encodeURIComponent(cfg.slug);
  const STORE = 'bulletin:draft:' + cfg.slug;
  try { doc.execCommand('defaultParagraphSeparator', false, 'p'); } catch (err) { /* normalise() copes */ }

  // A block editor: headline + a list of blocks. The composer and in-place edits use it.
  const FIELDS = {
    quote: [['text', 'The quote', 'textarea'], ['speaker', 'Who said it'], ['context', 'Context: where, when, to whom']],
    image: [['url', 'Or the address of a photo online (https://…)', 'url'], ['caption', 'Caption'],
      ['credit', 'Credit (photographer / agency)'], ['alt', 'Alt text: describe the photo for people who cannot see it']],
    embed: [['url', 'Address of the video or social post', 'url']],
    link: [['url', 'Address of the article', 'url'], ['title', 'Title'], ['description', 'Short description', 'textarea'], ['site', 'Site name']],
  };
  const LABEL = { text: 'Text', quote: 'Quote', image: 'Photo', embed: 'Embed', link: 'Link' };
  const FORMAT = [['bold', 'B', 'Bold'], ['italic', 'I', 'Italic'], ['createLink', 'Link', 'Link'],
    ['insertUnorderedList', '•', 'Bulleted list']];
  const BLOCKS = ['P', 'DIV', 'UL', 'OL', 'BLOCKQUOTE'];
  const normalise = (el) => {  // contenteditable → the text block's HTML subset, in flat paragraphs
    const out = h('div');
    let para = null;
    const walk = (parent) => Array.from(parent.childNodes).forEach((n) => {
      const tag = n.nodeType === 1 ? n.tagName : '';
      if (!BLOCKS.includes(tag)) {
        if (!para) out.append(para = h('p'));
        return para.append(n.cloneNode(true));
      }
      para = null;
      if (tag !== 'P' && tag !== 'DIV') out.append(n.cloneNode(true));
      else if (Array.from(n.children).some((c) => BLOCKS.includes(c.tagName))) walk(n);  // nested blocks
      else out.append(h('p', {}, ...Array.from(n.childNodes, (c) => c.cloneNode(true))));
      para = null;
    });
    walk(el);
    $$('b, i', out).forEach((b) => b.replaceWith(h(b.tagName === 'B' ? 'strong' : 'em', {}, ...b.childNodes)));
    $$('p', out).forEach((p) => { if (!p.textContent.trim()) p.remove(); });
    return out.textContent.trim() ? out.innerHTML : '';
  };
  // Photos go to /api/v1/media (XHR, for upload progress); links are read by the server,
  // which answers with the block to insert: an embed facade or a link card.
  const uploadPhoto = (file, onProgress) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const data = new FormData();
    data.append('blog', cfg.slug);
    data.append('file', file);
    xhr.open('POST', '/api/v1/media');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((100 * e.loaded) / e.total));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { /* not JSON: a proxy's page */ }
      if (xhr.status === 201 && body) return resolve(body);
      const info = (body && body.error) || {};
      reject(Object.assign(new Error(info.message || 'The server answered ' + xhr.status + '.'), { status: xhr.status }));
    };
    xhr.onerror = () => reject(Object.assign(new Error('No connection: the photo was not uploaded. Try again.'), { status: 0 }));
    xhr.send(data);
  });
  const isImage = (item) => item.kind !== 'string' && /^image\//.test(item.type);
  const imageFiles = (dt) => Array.from((dt && dt.items) || []).filter(isImage).map((i) => i.getAsFile()).filter(Boolean);
  const BlockEditor = (root, onChange) => {
    const headline = h('input', { class: 'ed__headline', 'aria-label': 'Headline', maxlength: 300,
      placeholder: 'Headline (optional)', oninput: onChange });
    const list = h('div', { class: 'ed__blocks' });
    const add = h('div', { class: 'ed__add', role: 'toolbar', 'aria-label': 'Add a block' },
      h('span', { class: 'ed__add-label', text: 'Add' }), Object.keys(LABEL).map((kind) =>
        button(LABEL[kind], 'chip', () => { addBlock(kind, null, true); onChange(); }, { 'data-add': kind })));
    root.append(headline, list, add);
    const rows = () => $$(':scope > .blk', list);
    let uploading = 0;
    const note = (row, text, bad) => {  // the status line under a photo or link block
      const el = $(':scope > .blk__status', row) || row.appendChild(h('p', { class: 'blk__status', role: 'status' }));
      el.textContent = text;
      el.classList.toggle('field-error', !!bad);
    };
    const showPicture = (row, url, onRemove) => {
      const box = $(':scope > .blk__picture', row) || row.insertBefore(h('div', { class: 'blk__picture' }), $(':scope > .blk__head', row).nextSibling);
      box.replaceChildren();
      if (!url) return box.remove();
      box.append(h('img', { src: url, alt: '' }), onRemove ? button('Remove picture', 'link-btn', onRemove) : '');
    };
    const photoInto = (row, file) => {  // upload a file into a photo block, with progress
      uploading += 1;
      row.classList.add('is-uploading');
      note(row, 'Uploading ' + file.name + '…');
      uploadPhoto(file, (pct) => note(row, 'Uploading ' + file.name + ' · ' + pct + ' %')).then((media) => {
        $('[data-key="url"]', row).value = media.url;
        Object.assign(row.dataset, { width: media.width, height: media.height, uploaded: media.url });
        showPicture(row, media.url);
        $('.blk__drop strong', row).textContent = 'Replace the photo';
        note(row, 'Uploaded: ' + media.width + ' × ' + media.height + ' px, location data removed. Add the alt text.');
        const alt = $('[data-key="alt"]', row);
        if (!alt.value && !$('[data-key="decorative"]', row).checked) alt.focus();
      }, (e) => note(row, e.message, true)).finally(() => {
        uploading -= 1;
        row.classList.remove('is-uploading');
        onChange();
      });
    };
    const addPhotos = (files) => files.forEach((file) => photoInto(addBlock('image'), file));
    const resolve = (row) => {  // a pasted address: the server says embed or link card
      const url = $('[data-key="url"]', row).value.trim();
      if (!/^https?:\/\/\S+$/i.test(url) || row.dataset.resolved === url) return;
      row.dataset.resolved = url;
      note(row, 'Reading ' + url + '…');
      api('POST', '/api/v1/link-preview', { blog: cfg.slug, url }).then(({ block }) => {
        if ($('[data-key="url"]', row).value.trim() !== url) return;  // changed meanwhile
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
        note(target, block.kind === 'embed'
          ? 'Readers see a card; the player loads only when they click it.'
          : 'Card filled in from the page: edit anything before publishing.');
        onChange();
      }, (e) => {
        if (e.status === 404 || e.status === 405) return note(row, '');  // an older server without link previews
        let target = row;
        if (row.dataset.kind === 'embed' && e.status) {  // not a provider Bulletin embeds: a plain link card
          target = addBlock('link', { url });
          row.replaceWith(target);
          onChange();
        }
        note(target, e.message, !!e.status);
      });
    };
    const setLinkPicture = (row, url) => {
      row.dataset.image = url || '';
      showPicture(row, url, () => { setLinkPicture(row, ''); onChange(); });
    };
    root.addEventListener('dragover', (ev) => {
      if (Array.from(ev.dataTransfer.items || []).some(isImage)) { ev.preventDefault(); root.classList.add('is-dropping'); }
    });
    root.addEventListener('dragleave', (ev) => { if (!root.contains(ev.relatedTarget)) root.classList.remove('is-dropping'); });
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
      const row = h('div', { class: 'blk blk--' + kind, 'data-kind': kind }, h('div', { class: 'blk__head' },
        h('span', { class: 'blk__kind', text: LABEL[kind] }), h('div', { class: 'blk__tools' },
          button('↑', 'icon', () => move(row, -1), { 'aria-label': 'Move up' }),
          button('↓', 'icon', () => move(row, 1), { 'aria-label': 'Move down' }),
          button('✕', 'icon', () => { row.remove(); onChange(); }, { 'aria-label': 'Remove block' }))));
      const inputs = kind === 'text' ? [h('div', { class: 'blk__text', contenteditable: 'true', role: 'textbox',
        'aria-multiline': 'true', 'aria-label': 'Text', 'data-key': 'html', 'data-placeholder': 'Write the update…' })]
        : FIELDS[kind].map(([key, label, type]) => h(type === 'textarea' ? 'textarea' : 'input', {
          type: type === 'textarea' ? null : type || 'text', rows: type === 'textarea' ? (key === 'text' ? 3 : 2) : null,
          'aria-label': label, placeholder: label, 'data-key': key }));
      inputs.forEach((input) => {
        if (kind === 'text') input.innerHTML = (data && data.html) || '';
        else input.value = (data && data[input.dataset.key]) || '';
        input.addEventListener('input', onChange);
      });
      if (kind === 'text') {
        row.append(h('div', { class: 'blk__format', role: 'toolbar', 'aria-label': 'Format text' },
          FORMAT.map(([cmd, sym, name]) => button(sym, 'fmt fmt--' + cmd, () => {
            inputs[0].focus();
            const url = cmd === 'createLink' ? prompt('Link address (https://…)', 'https://') : null;
            if (cmd !== 'createLink' || url) doc.execCommand(cmd, false, url);
            onChange();
          }, { title: name, 'aria-label': name, onmousedown: (e) => e.preventDefault() }))));
      }
      row.append(...inputs);
      if (kind === 'image') {
        const pick = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,image/avif',
          class: 'visually-hidden', onchange: () => { if (pick.files[0]) photoInto(row, pick.files[0]); pick.value = ''; } });
        const drop = h('label', { class: 'blk__drop' }, pick, h('strong', { text: 'Choose a photo' }),
          h('span', { text: ' or drop it here · JPEG, PNG, WebP, GIF, HEIC, AVIF' }));
        const url = $('[data-key="url"]', row);
        url.addEventListener('input', () => { if (url.value.trim() !== row.dataset.uploaded) { delete row.dataset.width; delete row.dataset.height; showPicture(row, ''); } });
        const deco = h('input', { type: 'checkbox', 'data-key': 'decorative', onchange: () => {
          $('[data-key="alt"]', row).disabled = deco.checked;
          onChange();
        } });
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
      FIELDS[kind].forEach(([key]) => { block[key] = $('[data-key="' + key + '"]', row).value.trim(); });
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
    let sent = [];  // the row behind each block sent (empty blocks are left out)
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
      showError(field, message) {  // "headline", "blocks", "blocks.2.url": next to that field
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
      uploading: () => uploading,
    };
  };

  // ---- the composer: state line, drafts, publishing -------------------------------------
  const [form, stateEl, errorBox, keyBox, pinBox] = ['#compose', '#state', '#compose-error', '#flag-key', '#flag-pin'].map((s) => $(s));
  let draft = null;   // {id, version, status, author} of the draft in the composer
  let dirty = false;  // edits not yet saved to the draft
  let busy = false;   // a publish / submit is under way
  let saveTimer = 0, previewTimer = 0, retryNow = null, stopDraftBeat = null, chain = Promise.resolve();
  const serial = (fn) => (chain = chain.catch(() => {}).then(fn));  // one draft write at a time
  const STATES = { saved: 'Saved draft', sending: 'Sending…', live: 'Live ✓', failed: 'Failed — retry',
    submitted: 'Sent for approval ✓', scheduled: 'Scheduled ✓', unsaved: 'Draft not saved', invalid: 'Not sent — see the message' };
  const setState = (state, extra) => {
    stateEl.dataset.state = state;
    stateEl.textContent = (STATES[state] || '') + (extra ? ' · ' + extra : '');
  };
  stateEl.addEventListener('click', () => retryNow && retryNow());
  const editor = BlockEditor($('#compose-editor'), () => changed());
  const content = () => ({ ...editor.value(), key_event: keyBox ? keyBox.checked : false });
  const remember = () => localStorage.setItem(STORE, JSON.stringify({ id: draft && draft.id, unsaved: dirty ? content() : null }));
  const showError = (e) => {
    editor.clearErrors();
    errorBox.hidden = true;
    if (!e || editor.showError(e.field, e.message)) return;
    errorBox.hidden = false;
    errorBox.textContent = e.status || e.field ? e.message : 'No connection.';
    const known = { publish_at: $('#publish-at'), pinned: pinBox, key_event: keyBox }[e.field];
    if (known) known.classList.add('is-invalid');
  };
  const changed = () => {
    dirty = true;
    remember();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 500);
    clearTimeout(saveTimer);
    if (can('write_drafts')) saveTimer = setTimeout(autosave, 2000);
  };
  [keyBox, pinBox].forEach((box) => box && box.addEventListener('change', changed));
  const preview = () => {
    const body = content();
    const out = $('#preview');
    if (!body.headline && !body.blocks.length) {
      return out.replaceChildren(h('p', { class: 'preview__empty',
        text: 'Start writing: your post appears here exactly as it will on the reader page.' }));
    }
    api('POST', base + '/preview', body).then((res) => out.replaceChildren(fragment(res.html)), (e) => out.replaceChildren(
      h('p', { class: 'preview__error', text: e.status ? e.message : 'The preview needs a connection.' })));
  };
  const adopt = (post) => {  // the composer now holds this draft (or submitted / scheduled post)
    draft = { id: post.id, version: post.version, status: post.status, author: post.author };
    remember();
    $('#compose-mode').textContent = (post.author.id === me.id ? 'Your draft' : post.author.name + '’s post') +
      ({ submitted: ' · waiting for approval', scheduled: ' · scheduled' }[post.status] || '');
    $('#compose-clear').hidden = false;
    $('#review-note').hidden = !post.review_note;
    $('#review-note').textContent = 'Sent back: ' + (post.review_note || '');
    queue.render();
  };
  const save = async () => {  // create or update the draft with what is in the composer
    clearTimeout(saveTimer);
    if (draft && !dirty) return draft;
    const body = content();
    if (!draft && !body.headline && !body.blocks.length) return null;
    dirty = false;
    try {
      const post = await (draft ? api('PATCH', base + '/drafts/' + draft.id, body, { 'If-Match': '"' + draft.version + '"' })
        : api('POST', base + '/drafts', body));
      adopt(post);
      return post;
    } catch (e) {
      dirty = true;
      remember();
      throw e;
    }
  };
  const autosave = () => serial(save).then((post) => post && !busy && setState('saved'), (e) => {
    if (busy) return;
    if (e.status === 409 && e.body && e.body.current) {
      return conflict(form, e.body.current, content(), {
        theirs: (cur) => { dirty = false; editor.set(cur); adopt(cur); setState('saved'); },
        mine: (cur) => { draft.version = cur.version; autosave(); },
      });
    }
    setState('unsaved', transient(e) ? 'offline, kept on this device' : '');
    if (transient(e)) saveTimer = setTimeout(autosave, 5000);
    else showError(e);
  });
  const withRetry = (fn) => new Promise((resolve, reject) => {  // the same request until it gets an answer
    let attempt = 0;
    let delay = 1000;
    const run = () => fn(attempt++).then(resolve, (e) => {
      if (!transient(e)) return reject(e);
      const go = () => {
        clearTimeout(timer);
        window.removeEventListener('online', go);
        retryNow = null;
        setState('sending');
        run();
      };
      const timer = setTimeout(go, delay);
      window.addEventListener('online', go);
      retryNow = go;
      setState('failed', navigator.onLine === false ? 'offline, sends when back online' : 'retrying in ' + delay / 1000 + ' s');
      delay = Math.min(delay * 2, 30000);
    });
    run();
  });
  const reset = () => {
    clearTimeout(saveTimer);
    if (stopDraftBeat) stopDraftBeat();
    draft = stopDraftBeat = null;
    dirty = false;
    localStorage.removeItem(STORE);
    editor.set(null);
    [keyBox, pinBox].forEach((box) => box && (box.checked = false));
    $('#compose-mode').textContent = 'New post';
    $('#compose-clear').hidden = $('#review-note').hidden = true;
    preview();
    queue.render();
  };
  const send = async () => {  // Publish (editors) or Submit for approval (contributors)
    if (busy) return;
    clearTimeout(saveTimer);
    showError(null);
    const body = content();
    if (!body.blocks.length) return showError({ field: 'blocks', message: 'Add some content first: a post needs at least one block.' });
    if (editor.uploading()) return showError({ field: 'blocks', message: 'A photo is still uploading: publish once it is done.' });
    busy = true;
    setState('sending');
    const key = uuid();  // one key for this post, the same on every retry
    const pin = !!(pinBox && pinBox.checked);
    try {
      if (!can('publish')) {
        await withRetry(() => serial(save));
        queue.put(await withRetry(() => api('POST', base + '/drafts/' + draft.id + '/submit')));
        reset();
        setState('submitted');
      } else {
        let post;
        if (draft) {
          await withRetry(() => serial(save));
          const { id, version } = draft;
          post = await withRetry(async (attempt) => {
            // did an earlier attempt go through before the line dropped?
            const live = attempt ? await api('GET', base + '/posts/' + id).catch(() => null) : null;
            return live || api('POST', base + '/drafts/' + id + '/approve', pin ? { pinned: true } : undefined,
              { 'If-Match': '"' + version + '"' });
          });
        } else {
          post = await withRetry(() => api('POST', base + '/posts', { ...body, pinned: pin }, { 'Idempotency-Key': key }));
        }
        reset();
        queue.drop(post.id);
        stream.upsert(post, true);
        setState('live');
      }
      editor.focus();
    } catch (e) {
      setState('invalid');
      showError(e);
    } finally {
      busy = false;
    }
  };
  form.addEventListener('submit', (ev) => ev.preventDefault() || send());
  $('#compose-clear').addEventListener('click', () => serial(save).catch(() => {}).then(() => {
    reset();
    setState('idle');
    editor.focus();
  }));
  const toIso = (local) => {  // "2026-11-25T14:00" in this browser's time zone → ISO with its offset
    const off = -new Date(local).getTimezoneOffset();
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    return local.slice(0, 16) + ':00' + (off < 0 ? '-' : '+') + pad(off / 60) + ':' + pad(off % 60);
  };
  if ($('#schedule-open')) {
    $('#schedule-open').addEventListener('click', () => {
      $('#schedule').hidden = !$('#schedule').hidden;
      $('#schedule-open').setAttribute('aria-expanded', String(!$('#schedule').hidden));
    });
    $('#schedule-go').addEventListener('click', async () => {
      const when = $('#publish-at').value;
      if (!when) return showError({ field: 'publish_at', message: 'Pick a date and time to publish at.' });
      showError(null);
      setState('sending');
      try {
        const saved = await serial(save);
        if (!saved) throw Object.assign(new Error('Write the post before scheduling it.'), { field: 'blocks', status: 400 });
        const post = await api('PUT', base + '/drafts/' + saved.id + '/schedule', { publish_at: toIso(when) });
        queue.put(post);
        reset();
        $('#schedule').hidden = true;
        setState('scheduled', localTime(post.publish_at, cfg.timezone, SHORT));
      } catch (e) {
        setState(transient(e) ? 'failed' : 'invalid');
        showError(e);
      }
    });
  }

  // Two versions side by side: the other person's (now stored) and mine; the user picks.
  const conflict = (anchor, current, mine, choose) => {
    $$(':scope > .conflict', anchor.parentNode).forEach((el) => el.remove());
    const yours = h('div', { class: 'conflict__post', text: 'Rendering…' });
    const pick = (fn) => () => { box.remove(); fn(current); };
    const box = h('div', { class: 'conflict', role: 'alert' },
      h('p', { class: 'conflict__title' }, h('strong', { text: 'Someone else changed this while you were editing.' }),
        ' Nothing was overwritten. Choose which version to keep.'),
      h('div', { class: 'conflict__cols' },
        h('section', {}, h('h3', { text: 'Theirs · version ' + current.version + ' · ' + current.author.name }),
          h('div', { class: 'conflict__post' }, fragment(current.html))),
        h('section', {}, h('h3', { text: 'Yours · not saved' }), yours)),
      h('div', { class: 'conflict__actions' }, button('Take theirs', 'btn', pick(choose.theirs)),
        button('Overwrite with mine', 'btn btn--primary', pick(choose.mine))));
    anchor.after(box);
    api('POST', base + '/preview', { headline: mine.headline, blocks: mine.blocks }).then(
      (res) => yours.replaceChildren(fragment(res.html)),
      () => { yours.textContent = mine.blocks.map((b) => plain(b.html || b.text || b.url || '')).join(' · '); });
  };

  // ---- who is editing what: tell the others, show the others --------------------------------
  const presence = new Map();  // post id → Map(user id → {name, until})
  const beat = (id) => {  // "I am editing post id" every 10 s; returns a function that stops it
    const url = base + '/posts/' + id + '/editing';
    const tell = () => api('PUT', url).catch(() => {});
    const timer = setInterval(tell, 10000);
    tell();
    return () => {
      clearInterval(timer);
      fetch(url, { method: 'DELETE', credentials: 'same-origin', keepalive: true, headers: { 'X-CSRF-Token': csrf } })
        .catch(() => {});
    };
  };
  const showPresence = () => {
    const now = Date.now();
    $$('[data-presence]').forEach((el) => {
      const who = presence.get(+el.closest('[data-id]').dataset.id);
      const names = who ? Array.from(who.values()).filter((p) => p.until > now).map((p) => p.name) : [];
      el.hidden = !names.length;
      el.textContent = names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' editing…';
    });
  };
  setInterval(showPresence, 5000);

  // ---- the approval queue / my drafts, kept live from the newsroom feed ---------------------
  const queue = (() => {
    const list = $('#queue-list');
    const items = new Map(cfg.drafts.map((p) => [p.id, p]));
    const editorMode = can('approve');
    const STATUS = { submitted: 'Waiting for approval', scheduled: 'Scheduled', draft: 'Draft' };
    const ORDER = { submitted: 0, scheduled: 1, draft: 2 };
    let since = cfg.newsroomSeq;
    const act = (label, cls, fn) => button(label, 'btn btn--small ' + cls, fn);
    const fail = (el) => (e) => {
      const p = $('.queue__error', el) || el.appendChild(h('p', { class: 'queue__error', role: 'alert' }));
      p.textContent = e.status ? e.message : 'No connection.';
    };
    const card = (p) => {
      const returned = p.status === 'draft' && p.review_note;
      const approver = p.status === 'submitted' && can('approve');
      const el = h('article', { class: 'qcard qcard--' + p.status, 'data-id': p.id, 'data-version': p.version },
        h('header', { class: 'qcard__head' },
          h('span', { class: 'pill pill--' + (returned ? 'warn' : p.status), text: returned ? 'Sent back' : STATUS[p.status] }),
          h('span', { class: 'qcard__who', text: p.author.name }),
          p.publish_at ? h('span', { class: 'qcard__when', text: 'for ' + localTime(p.publish_at, cfg.timezone, SHORT) }) : null,
          draft && draft.id === p.id ? h('span', { class: 'qcard__open', text: 'open in composer' }) : null),
        h('span', { class: 'post-actions__presence', 'data-presence': '', hidden: true }),
        p.review_note ? h('p', { class: 'qcard__note', text: 'Note: ' + p.review_note }) : null,
        h('div', { class: 'qcard__preview' }, fragment(p.html)));
      const bar = h('div', { class: 'qcard__actions' },
        approver ? act('Approve', 'btn--primary', () => api('POST', base + '/drafts/' + p.id + '/approve', undefined,
          { 'If-Match': '"' + p.version + '"' }).then((post) => { drop(p.id); stream.upsert(post, true); }, fail(el))) : null,
        act('Edit', '', () => edit(p)),
        approver ? act('Send back…', '', () => {
          const note = h('textarea', { rows: 2, 'aria-label': 'Note to ' + p.author.name,
            placeholder: 'What should ' + p.author.name + ' change?' });
          bar.after(h('div', { class: 'qcard__return' }, note, act('Send back', 'btn--primary', () =>
            api('POST', base + '/drafts/' + p.id + '/return', { note: note.value }).then(put, fail(el)))));
          note.focus();
        }) : null,
        p.status !== 'submitted' && (p.author.id === me.id || can('edit_any')) ? act('Discard', 'btn--danger-ghost', () =>
          confirm('Discard this draft for good?') && api('DELETE', base + '/drafts/' + p.id).then(() => drop(p.id), fail(el))) : null);
      el.append(bar);
      return el;
    };
    const render = () => {
      const posts = Array.from(items.values()).filter((p) => editorMode || p.author.id === me.id)
        .sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.updated_at.localeCompare(a.updated_at));
      $('#queue-count').textContent = String(posts.filter((p) => !editorMode || p.status === 'submitted').length);
      const keep = new Set(posts.map((p) => String(p.id)));
      $$(':scope > *', list).forEach((el) => keep.has(el.dataset.id) || el.remove());
      posts.forEach((p, i) => {  // rebuild only the cards that changed, so a note being typed survives
        let el = $(':scope > [data-id="' + p.id + '"]', list);
        const open = !!(draft && draft.id === p.id);
        if (!el || +el.dataset.version !== p.version || el.classList.contains('is-open') !== open) {
          const fresh = card(p);
          fresh.classList.toggle('is-open', open);
          if (el) el.replaceWith(fresh);
          el = fresh;
        }
        if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null);
        const pv = $('.qcard__preview', el);
        pv.classList.toggle('is-clipped', pv.scrollHeight > pv.clientHeight + 2);
      });
      if (!posts.length) {
        list.append(h('p', { class: 'queue__empty', text: editorMode ? 'Nothing waiting for approval.'
          : 'No drafts. What you write is kept here until an editor publishes it.' }));
      }
      showPresence();
    };
    const keep = (p) => !(items.get(p.id) && items.get(p.id).version > p.version) && items.set(p.id, p);
    const put = (p) => keep(p) && render();
    const drop = (id) => items.delete(id) && render();
    const edit = (p) => serial(save).catch(() => {}).then(() => {  // load a draft into the composer
      if (stopDraftBeat) stopDraftBeat();
      dirty = false;
      editor.set(p);
      if (keyBox) keyBox.checked = !!p.key_event;
      adopt(p);
      stopDraftBeat = beat(p.id);
      preview();
      setState('saved');
      form.scrollIntoView({ behavior: 'smooth', block: 'start' });
      editor.focus();
    });
    const apply = ({ kind, data: d }) => {
      if (kind === 'presence.editing' || kind === 'presence.left') {
        if (d.user_id === me.id) return;
        const who = presence.get(d.post_id) || new Map();
        if (kind === 'presence.left') who.delete(d.user_id);
        else who.set(d.user_id, { name: d.user, until: Date.now() + 25000 });
        return presence.set(d.post_id, who);
      }
      const mine = draft && draft.id === d.id;
      if (kind === 'post.approved' || kind === 'draft.discarded') {
        items.delete(d.id);
        if (mine && !busy) {
          reset();
          setState(kind === 'post.approved' ? 'live' : 'idle', kind === 'post.approved' ? 'published by ' + d.by : 'discarded');
        }
      } else if (d.status !== 'published' && d.status !== 'deleted') {
        keep(d);
        // submitted, sent back, scheduled: the content is unchanged, follow the new version
        if (mine && kind !== 'draft.saved' && d.version > draft.version) adopt(d);
      }
    };
    const poll = () => api('GET', base + '/newsroom/changes?since=' + since).then((body) => {
      body.events.forEach(apply);
      since = body.last_seq;
      if (body.events.length) render();
    }).catch(() => {}).finally(() => setTimeout(poll, 2000));
    render();
    setTimeout(poll, 2000);
    return { put, drop, render, items, edit };
  })();

  // ---- the stream as readers see it, with the editor's actions -------------------------------
  const stream = (() => {
    const list = $('#stream');
    const pinned = $('#pinned');
    const known = new Map();  // id → newest version shown
    const gone = new Set();
    const sessions = new Map();  // id → post open in the in-place editor
    $$('.ed-post', list).forEach((w) => known.set(+w.dataset.id, +$('article', w).dataset.version));
    const article = (data, prefix) => Object.assign(fragment(data.html).querySelector('article.post'),
      prefix ? { id: prefix + data.id } : {});
    const flag = (w, act, on, label) => {
      w.dataset[act] = String(!!on);
      const btn = $('[data-act="' + act + '"]', w);
      if (!btn) return;
      btn.setAttribute('aria-pressed', String(!!on));
      btn.textContent = label;
    };
    const upsert = (data, fresh) => {
      if (gone.has(data.id) || known.get(data.id) >= data.version || data.status !== 'published') return;
      known.set(data.id, data.version);
      const cur = $('article.post', pinned);
      if (data.pinned || (cur && cur.dataset.id === String(data.id))) {
        pinned.replaceChildren(...(data.pinned ? [article(data, 'pinned-')] : []));
        pinned.hidden = !data.pinned;
      }
      let w = $('#ed-' + data.id);
      if (w) {
        $('article.post', w).replaceWith(article(data));
        if (sessions.has(data.id)) sessions.get(data.id).stale(data);
      } else {
        if (!fresh) return;  // an older post that is not on this page
        w = h('div', { class: 'ed-post is-new', id: 'ed-' + data.id, 'data-id': data.id }, article(data),
          $('#tpl-actions').content.cloneNode(true), h('div', { class: 'ed-post__panel', 'data-panel': '', hidden: true }));
        const below = $$(':scope > .ed-post', list).find((x) => +$('article', x).dataset.position < data.position);
        list.insertBefore(w, below || $('#empty'));
        $('#empty').hidden = true;
      }
      flag(w, 'pin', data.pinned, data.pinned ? 'Unpin' : 'Pin');
      flag(w, 'key', data.key_event, data.key_event ? 'Key event ✓' : 'Key event');
      showPresence();
    };
    const remove = (id) => {
      gone.add(id);
      $$('#ed-' + id + ', #pinned-' + id).forEach((el) => el.remove());
      pinned.hidden = !$('article', pinned);
      $('#empty').hidden = !!$('.ed-post', list);
    };
    const panel = (w) => $('[data-panel]', w);
    const url = (w, rest) => base + '/posts/' + w.dataset.id + (rest || '');
    const version = (w) => ({ 'If-Match': '"' + $('article.post', w).dataset.version + '"' });
    const report = (w) => (e) => {
      panel(w).hidden = false;
      panel(w).replaceChildren(h('p', { class: 'notice notice--error', role: 'alert', text: e.status ? e.message : 'No connection.' }));
    };
    const openEditor = async (w) => {  // edit a published post in place, saving with If-Match
      const id = +w.dataset.id;
      if (sessions.has(id)) return;
      const post = await api('GET', url(w));
      const box = h('div', { class: 'inline-editor' });
      const ed = BlockEditor(box, () => {});
      ed.set(post);
      const note = h('p', { class: 'notice notice--warn', hidden: true });
      const s = { version: post.version, stop: beat(id) };
      const close = () => {
        s.stop();
        sessions.delete(id);
        w.classList.remove('is-editing');
        box.remove();
        $('article.post', w).hidden = false;
      };
      s.stale = (data) => {
        note.hidden = false;
        note.textContent = 'This post was just changed (version ' + data.version + '). Saving will show you both versions.';
      };
      s.save = () => {
        const mine = ed.value();
        ed.clearErrors();
        return api('PATCH', url(w), mine, { 'If-Match': '"' + s.version + '"' }).then((res) => { close(); upsert(res); }, (e) => {
          if (e.status === 409 && e.body && e.body.current) {
            conflict(bar, e.body.current, mine, {
              theirs: (cur) => { close(); upsert(cur); },
              mine: (cur) => { s.version = cur.version; s.save(); },
            });
          } else if (!ed.showError(e.field, e.message)) report(w)(e);
        });
      };
      const bar = h('div', { class: 'inline-editor__bar' }, button('Cancel', 'btn', close),
        button('Save changes', 'btn btn--primary', () => s.save()));
      box.append(note, bar);
      sessions.set(id, s);
      w.classList.add('is-editing');
      $('article.post', w).hidden = true;
      $('article.post', w).after(box);
      ed.focus();
    };
    const history = (w, again) => {
      const p = panel(w);
      if (!again && !p.hidden && p.dataset.kind === 'history') return (p.hidden = true);
      p.dataset.kind = 'history';
      p.hidden = false;
      p.replaceChildren(h('p', { class: 'muted', text: 'Loading history…' }));
      api('GET', url(w, '/revisions')).then((res) => p.replaceChildren(h('h3', { class: 'section-label', text: 'History' }),
        h('ol', { class: 'history' }, res.revisions.map((r) => h('li', { class: 'history__item' },
          h('div', { class: 'history__meta' }, h('strong', { text: 'Version ' + r.version }),
            ' · ' + r.editor + ' · ' + localTime(r.created_at, cfg.timezone, SHORT),
            r.version === res.version ? h('span', { class: 'pill pill--ok', text: 'current' }) : null),
          h('p', { class: 'history__text' }, r.headline ? h('strong', { text: r.headline + ' — ' }) : null,
            r.blocks.map((b) => plain(b.html || '') || b.text || b.title || b.url).join(' · ').slice(0, 240)),
          r.version === res.version ? null : button('Restore', 'btn btn--small', () =>
            api('POST', url(w, '/revisions/' + r.version + '/restore'), undefined, version(w))
              .then((post) => { upsert(post); history(w, true); }, report(w))))))), report(w));
    };
    list.addEventListener('click', (ev) => {
      const btn = ev.target.closest('[data-act]');
      if (!btn) return;
      const w = btn.closest('.ed-post');
      const toggle = (path, act) => api(w.dataset[act] === 'true' ? 'DELETE' : 'PUT', url(w, path)).then(upsert, report(w));
      ({
        edit: () => openEditor(w).catch(report(w)),
        pin: () => toggle('/pin', 'pin'),
        key: () => toggle('/key-event', 'key'),
        history: () => history(w),
        delete: () => confirm('Delete this post? Readers stop seeing it at once.') &&
          api('DELETE', url(w), undefined, version(w)).then(() => remove(+w.dataset.id), report(w)),
      })[btn.dataset.act]();
    });
    doc.addEventListener('keydown', (ev) => {  // Ctrl/Cmd+Enter: publish, or save the post being edited
      if (!(ev.ctrlKey || ev.metaKey) || ev.key !== 'Enter') return;
      ev.preventDefault();
      const w = ev.target.closest && ev.target.closest('.ed-post.is-editing');
      if (w) sessions.get(+w.dataset.id).save();
      else if (form.contains(ev.target) || ev.target === doc.body) send();
    });
    window.addEventListener('pagehide', () => {
      sessions.forEach((s) => s.stop());
      if (stopDraftBeat) stopDraftBeat();
      if (dirty) remember();
    });
    return { upsert, remove };
  })();

  // ---- blog status: end and reopen coverage ------------------------------------------------
  const setStatus = (status) => {
    const ended = status === 'ended';
    $('#blog-badge').className = 'badge ' + (ended ? 'badge--ended' : 'badge--live');
    $('#blog-badge').textContent = ended ? 'Ended' : 'Live';
    $('#ended-note').hidden = !ended;
    if ($('#end-blog')) {
      $('#end-blog').hidden = ended;
      $('#reopen-blog').hidden = !ended;
    }
    if (can('publish')) $('#publish').disabled = ended;
  };
  if ($('#end-blog')) {
    $('#end-blog').addEventListener('click', () => {
      const body = content();
      const closing = body.blocks.length > 0;
      if (!confirm('End this coverage? Readers will see it as ended.\n' + (closing
        ? 'What is in the composer is published as the closing post.' : 'Tip: write a closing post in the composer first.'))) return;
      const was = draft;
      api('POST', base + '/end', closing ? { closing_post: { headline: body.headline, blocks: body.blocks } } : undefined)
        .then(() => {
          setStatus('ended');
          if (!closing) return;
          if (was) api('DELETE', base + '/drafts/' + was.id).catch(() => {});
          reset();
        }, showError);
    });
    $('#reopen-blog').addEventListener('click', () => api('POST', base + '/reopen').then(() => setStatus('live'), showError));
  }
  setStatus(cfg.status);

  // ---- the live connection: the same public stream readers get ------------------------------
  let lastSeq = cfg.lastSeq;
  let backoff = 1000;
  const connect = () => {
    const es = new EventSource('/blogs/' + encodeURIComponent(cfg.slug) + '/live?last_event_id=' + lastSeq);
    const on = (kind, fn) => es.addEventListener(kind, (e) => {
      const seq = parseInt(e.lastEventId, 10) || 0;
      if (seq && seq <= lastSeq) return;
      lastSeq = seq || lastSeq;
      fn(JSON.parse(e.data));
    });
    ['post.published', 'post.updated', 'post.pinned', 'post.unpinned'].forEach((k) =>
      on(k, (d) => stream.upsert(d, k === 'post.published')));
    on('post.deleted', (d) => stream.remove(d.id));
    on('blog.ended', () => setStatus('ended'));
    on('blog.reopened', () => setStatus('live'));
    es.addEventListener('reset', () => serial(save).catch(() => {}).then(() => location.reload()));
    es.onopen = () => {
      backoff = 1000;
      $('#link-state').textContent = '· connected';
    };
    es.onerror = () => {
      $('#link-state').textContent = '· reconnecting…';
      if (es.readyState !== 2) return;  // the browser reconnects by itself, with Last-Event-ID
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 30000);
    };
  };
  connect();

  // ---- start: bring back the draft this browser was writing -----------------------------------
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(STORE) || 'null'); } catch (err) { /* damaged: start afresh */ }
  const restore = () => {
    if (!kept || !kept.unsaved) return localStorage.removeItem(STORE);
    editor.set(kept.unsaved);
    changed();
  };
  const known = kept && kept.id && queue.items.get(kept.id);
  if (known) queue.edit(known).then(() => kept.unsaved && restore());
  else restore();
  if (!known && !(kept && kept.unsaved)) editor.set(null);
  preview();
})();
