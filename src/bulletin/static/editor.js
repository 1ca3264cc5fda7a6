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
  const h = (tag, props, ...kids) => {
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
  const fragment = (html) => {
    const t = doc.createElement('template');
    t.innerHTML = html;
    return t.content;
  };
  const plain = (html) => (fragment(html).textContent || '').replace(/\s+/g, ' ').trim();

  // ---- talking to the server -----------------------------------------------------------
  const api = async (method, url, body, headers) => {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    Object.assign(init.headers, headers || {});
    if (method !== 'GET') init.headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(url, init);  // rejects (TypeError) when the network is down
    const text = await r.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (err) { /* not JSON: keep null */ }
    if (r.ok) return data;
    const info = (data && data.error) || {};
    const err = new Error(info.message || 'The server answered ' + r.status + '.');
    Object.assign(err, { status: r.status, field: info.field || null, body: data });
    throw err;
  };
  const transient = (e) => !e.status || [502, 503, 504].includes(e.status);
  const uuid = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  const localTime = (iso, tz, opts) => {
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z');
    try {
      return new Intl.DateTimeFormat(undefined, { timeZone: tz || undefined, ...(opts ||
        { dateStyle: 'medium', timeStyle: 'short' }) }).format(d);
    } catch (err) {
      return d.toLocaleString();
    }
  };
  $$('time[data-local]').forEach((t) => {
    const zone = t.closest('[data-timezone]');
    t.title = t.getAttribute('datetime');
    t.textContent = localTime(t.getAttribute('datetime'), zone && zone.dataset.timezone);
  });

  // ---- small newsroom pages: forms that talk JSON ----------------------------------------
  const formError = (form, e) => {
    const box = $('[data-error]', form);
    $$('.is-invalid', form).forEach((el) => el.classList.remove('is-invalid'));
    if (!e) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.textContent = e.message || 'No connection: check the network and try again.';
    const input = e.field && form.elements.namedItem(e.field);
    if (input && input.classList) input.classList.add('is-invalid');
  };
  const FORM_DONE = {
    'new-blog-form': (blog) => { location.href = '/blogs/' + encodeURIComponent(blog.slug) + '/edit'; },
    'invite-form': (res, form) => {
      $('#invite-result').hidden = false;
      $('[data-invite-name]').textContent = res.name + ' (' + res.role + ')';
      $('#invite-url').value = res.invite_url;
      form.reset();
    },
    'token-form': (res, form) => {
      $('#token-result').hidden = false;
      $('#token-value').value = res.token;
      const empty = $('#tokens .table__empty');
      if (empty) empty.remove();
      $('#tokens tbody').append(h('tr', {}, h('td', { text: res.label }), h('td', { text: 'just now' }),
        h('td', {}, h('span', { class: 'pill pill--ok', text: 'Active' })), h('td', {})));
      form.reset();
    },
  };
  $$('form[data-api]').forEach((form) => form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = {};
    new FormData(form).forEach((v, k) => { if (String(v).trim()) body[k] = String(v).trim(); });
    const button = $('button[type="submit"]', form);
    button.disabled = true;
    api(form.dataset.method || 'POST', form.dataset.api, body)
      .then((res) => { formError(form, null); FORM_DONE[form.id](res, form); }, (e) => formError(form, e))
      .finally(() => { button.disabled = false; });
  }));
  doc.addEventListener('click', (ev) => {
    const copy = ev.target.closest('[data-copy]');
    if (copy) {
      const input = $(copy.dataset.copy);
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(() => {});
      copy.textContent = 'Copied';
    }
  });
  const teamStatus = $('#team-status');
  const teamBase = () => '/api/v1/blogs/' + encodeURIComponent(location.pathname.split('/')[2]);
  $$('select[data-role-for]').forEach((sel) => sel.addEventListener('change', () => {
    const name = sel.dataset.roleFor;
    api('PUT', teamBase() + '/members/' + encodeURIComponent(name), { role: sel.value })
      .then(() => { teamStatus.textContent = name + ' is now ' + sel.value + '.'; },
        (e) => { teamStatus.textContent = e.message; });
  }));
  $$('[data-remove]').forEach((btn) => btn.addEventListener('click', () => {
    const name = btn.dataset.remove;
    if (!confirm('Remove ' + name + ' from this blog?')) return;
    api('DELETE', teamBase() + '/members/' + encodeURIComponent(name))
      .then(() => { btn.closest('tr').remove(); teamStatus.textContent = name + ' was removed.'; },
        (e) => { teamStatus.textContent = e.message; });
  }));
  $$('[data-revoke]').forEach((btn) => btn.addEventListener('click', () => {
    if (!confirm('Revoke this token? Scripts using it stop working at once.')) return;
    api('DELETE', '/api/v1/tokens/' + btn.dataset.revoke).then(() => {
      const cell = btn.closest('tr').children[2];
      cell.replaceChildren(h('span', { class: 'pill pill--muted', text: 'Revoked just now' }));
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
  try {
    doc.execCommand('defaultParagraphSeparator', false, 'p');
  } catch (err) { /* older browsers: normalise() below copes */ }

  // A block editor: headline + a list of blocks. Used by the composer and by in-place edits.
  const FIELDS = {
    quote: [['text', 'The quote', 'textarea'], ['speaker', 'Who said it'], ['context', 'Context: where, when, to whom']],
    image: [['url', 'Image address (https://…)', 'url'], ['caption', 'Caption'], ['credit', 'Credit (photographer / agency)'],
      ['alt', 'Alt text: describe the photo for people who cannot see it']],
    embed: [['url', 'Address of the video or social post', 'url']],
    link: [['url', 'Address of the article', 'url'], ['title', 'Title'], ['description', 'Short description', 'textarea']],
  };
  const LABEL = { text: 'Text', quote: 'Quote', image: 'Photo', embed: 'Embed', link: 'Link' };
  const FORMAT = [['bold', 'B', 'Bold'], ['italic', 'I', 'Italic'], ['createLink', 'Link', 'Link'],
    ['insertUnorderedList', '•', 'Bulleted list']];
  const normalise = (el) => {  // contenteditable → the text block's HTML subset, in paragraphs
    const out = h('div');
    let para = null;
    Array.from(el.childNodes).forEach((n) => {
      const tag = n.nodeType === 1 ? n.tagName : '';
      if (['P', 'UL', 'OL', 'BLOCKQUOTE'].includes(tag)) {
        para = null;
        out.append(n.cloneNode(true));
      } else if (tag === 'DIV') {
        para = null;
        out.append(h('p', {}, ...Array.from(n.childNodes, (c) => c.cloneNode(true))));
      } else {
        if (!para) out.append(para = h('p'));
        para.append(n.cloneNode(true));
      }
    });
    $$('b, i', out).forEach((el) => el.replaceWith(h(el.tagName === 'B' ? 'strong' : 'em', {}, ...el.childNodes)));
    $$('p', out).forEach((p) => { if (!p.textContent.trim()) p.remove(); });
    return out.textContent.trim() ? out.innerHTML : '';
  };
  const BlockEditor = (root, onChange) => {
    const headline = h('input', { class: 'ed__headline', 'aria-label': 'Headline', maxlength: 300,
      placeholder: 'Headline (optional)', 'data-key': 'headline', oninput: onChange });
    const list = h('div', { class: 'ed__blocks' });
    const add = h('div', { class: 'ed__add', role: 'toolbar', 'aria-label': 'Add a block' },
      h('span', { class: 'ed__add-label', text: 'Add' }),
      Object.keys(LABEL).map((kind) => h('button', { type: 'button', class: 'chip', 'data-add': kind,
        text: LABEL[kind], onclick: () => { addBlock(kind, null, true); onChange(); } })));
    root.append(headline, list, add);
    const rows = () => $$(':scope > .blk', list);
    const move = (row, dir) => {
      const other = dir < 0 ? row.previousElementSibling : row.nextElementSibling;
      if (!other) return;
      if (dir < 0) list.insertBefore(row, other);
      else list.insertBefore(other, row);
      onChange();
    };
    const addBlock = (kind, data, focus) => {
      const row = h('div', { class: 'blk blk--' + kind, 'data-kind': kind });
      const tools = h('div', { class: 'blk__tools' },
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Move up', text: '↑', onclick: () => move(row, -1) }),
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Move down', text: '↓', onclick: () => move(row, 1) }),
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Remove block', text: '✕',
          onclick: () => { row.remove(); onChange(); } }));
      row.append(h('div', { class: 'blk__head' }, h('span', { class: 'blk__kind', text: LABEL[kind] }), tools));
      let first;
      if (kind === 'text') {
        const area = h('div', { class: 'blk__text', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true',
          'aria-label': 'Text', 'data-key': 'html', 'data-placeholder': 'Write the update…', oninput: onChange });
        area.innerHTML = (data && data.html) || '';
        const fmt = h('div', { class: 'blk__format', role: 'toolbar', 'aria-label': 'Format text' },
          FORMAT.map(([cmd, sym, name]) => h('button', { type: 'button', class: 'fmt fmt--' + cmd, title: name,
            'aria-label': name, text: sym, onmousedown: (e) => e.preventDefault(),
            onclick: () => {
              area.focus();
              const url = cmd === 'createLink' ? prompt('Link address (https://…)', 'https://') : null;
              if (cmd === 'createLink' && !url) return;
              doc.execCommand(cmd, false, url);
              onChange();
            } })));
        row.append(fmt, area);
        first = area;
      } else {
        FIELDS[kind].forEach(([key, label, type]) => {
          const input = type === 'textarea' ? h('textarea', { rows: key === 'text' ? 3 : 2 })
            : h('input', { type: type === 'url' ? 'url' : 'text', inputmode: type === 'url' ? 'url' : null });
          Object.assign(input, { value: (data && data[key]) || '', placeholder: label });
          input.setAttribute('aria-label', label);
          input.dataset.key = key;
          input.addEventListener('input', onChange);
          row.append(input);
          first = first || input;
        });
      }
      list.append(row);
      if (focus) first.focus();
      return row;
    };
    const readRow = (row) => {
      const kind = row.dataset.kind;
      if (kind === 'text') {
        const html = normalise($('[data-key="html"]', row));
        return html ? { kind, html } : null;
      }
      const block = { kind };
      FIELDS[kind].forEach(([key]) => { block[key] = $('[data-key="' + key + '"]', row).value.trim(); });
      return Object.values(block).some((v) => v && v !== kind) ? block : null;
    };
    const clearErrors = () => {
      $$('.field-error', root).forEach((e) => e.remove());
      $$('.is-invalid', root).forEach((e) => e.classList.remove('is-invalid'));
    };
    let map = [];  // index of each sent block → its row (empty blocks are not sent)
    return {
      value() {
        const blocks = [];
        map = [];
        rows().forEach((row) => {
          const b = readRow(row);
          if (b) {
            blocks.push(b);
            map.push(row);
          }
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
        if (m && map[+m[1]]) el = (m[2] && $('[data-key="' + m[2] + '"]', map[+m[1]])) || map[+m[1]];
        if (!el) return false;
        el.classList.add('is-invalid');
        el.after(h('p', { class: 'field-error', role: 'alert', text: message }));
        if (el.focus && el !== add) el.focus({ preventScroll: false });
        return true;
      },
      clearErrors,
      focus: () => headline.focus(),
      root,
    };
  };

  // ---- the composer: state line, drafts, publishing -------------------------------------
  const form = $('#compose');
  const stateEl = $('#state');
  const errorBox = $('#compose-error');
  const keyBox = $('#flag-key');
  const pinBox = $('#flag-pin');
  const publishBtn = $('#publish');
  let draft = null;   // {id, version, status, review_note, author} of the draft in the composer
  let dirty = false;  // edits not yet saved to the draft
  let saveTimer = 0;
  let previewTimer = 0;
  let busy = false;
  let retryNow = null;
  let stopDraftBeat = null;
  let chain = Promise.resolve();
  const serial = (fn) => (chain = chain.catch(() => {}).then(fn));
  const STATES = { saving: 'Saving draft…', saved: 'Saved draft', sending: 'Sending…', live: 'Live ✓',
    failed: 'Failed — retry', submitted: 'Sent for approval ✓', scheduled: 'Scheduled ✓',
    unsaved: 'Draft not saved', invalid: 'Not sent — see the message' };
  const setState = (state, extra) => {
    stateEl.dataset.state = state;
    stateEl.textContent = (STATES[state] || '') + (extra ? ' · ' + extra : '');
  };
  stateEl.addEventListener('click', () => { if (retryNow) retryNow(); });
  const editor = BlockEditor($('#compose-editor'), () => changed());
  const content = () => ({ ...editor.value(), key_event: keyBox ? keyBox.checked : false });
  const remember = () => {
    const unsaved = dirty ? content() : null;
    localStorage.setItem(STORE, JSON.stringify({ id: draft && draft.id, unsaved }));
  };
  const showError = (e) => {
    editor.clearErrors();
    errorBox.hidden = true;
    if (!e) return;
    const known = { publish_at: $('#publish-at'), pinned: pinBox, key_event: keyBox }[e.field];
    if (!editor.showError(e.field, e.message)) {
      errorBox.hidden = false;
      errorBox.textContent = e.message;
      if (known) known.classList.add('is-invalid');
    }
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
      out.replaceChildren(h('p', { class: 'preview__empty', text: 'Start writing: your post appears here exactly as it will on the reader page.' }));
      return;
    }
    api('POST', base + '/preview', body).then((res) => out.replaceChildren(fragment(res.html)),
      (e) => out.replaceChildren(h('p', { class: 'preview__error', text: e.status ? e.message : 'Preview needs a connection.' })));
  };
  const adopt = (post) => {
    draft = { id: post.id, version: post.version, status: post.status, review_note: post.review_note,
      author: post.author };
    remember();
    const mine = post.author.id === me.id;
    $('#compose-mode').textContent = (mine ? 'Your draft' : post.author.name + '’s post') +
      (post.status === 'submitted' ? ' · waiting for approval' : post.status === 'scheduled' ? ' · scheduled' : '');
    $('#compose-clear').hidden = false;
    const note = $('#review-note');
    note.hidden = !post.review_note;
    note.textContent = post.review_note ? 'Sent back: ' + post.review_note : '';
    queue.touch();
  };
  const save = async () => {  // create or update the draft with what is in the composer
    clearTimeout(saveTimer);
    if (draft && !dirty) return draft;
    const body = content();
    if (!draft && !body.headline && !body.blocks.length) return null;
    dirty = false;
    try {
      const post = draft ? await api('PATCH', base + '/drafts/' + draft.id, body, { 'If-Match': '"' + draft.version + '"' })
        : await api('POST', base + '/drafts', body);
      adopt(post);
      return post;
    } catch (e) {
      dirty = true;
      remember();
      throw e;
    }
  };
  const autosave = () => serial(save).then((post) => { if (post && !busy) setState('saved'); }, (e) => {
    if (busy) return;
    if (e.status === 409 && e.body && e.body.current) {
      return conflict(form, e.body.current, content(), {
        theirs: (cur) => { adopt(cur); editor.set(cur); dirty = false; remember(); setState('saved'); },
        mine: (cur) => { draft.version = cur.version; dirty = true; autosave(); },
      });
    }
    if (transient(e)) {
      setState('unsaved', 'offline, kept on this device');
      saveTimer = setTimeout(autosave, 5000);
    } else {
      setState('unsaved');
      showError(e);
    }
  });
  const withRetry = (fn) => new Promise((resolve, reject) => {  // same request, backing off
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
      setState('failed', navigator.onLine === false ? 'offline, retrying when back online'
        : 'retrying in ' + Math.round(delay / 1000) + ' s');
      delay = Math.min(delay * 2, 30000);
    });
    run();
  });
  const reset = () => {
    clearTimeout(saveTimer);
    if (stopDraftBeat) stopDraftBeat();
    stopDraftBeat = null;
    draft = null;
    dirty = false;
    localStorage.removeItem(STORE);
    editor.set(null);
    [keyBox, pinBox].forEach((box) => { if (box) box.checked = false; });
    $('#compose-mode').textContent = 'New post';
    $('#compose-clear').hidden = true;
    $('#review-note').hidden = true;
    preview();
    queue.touch();
  };
  const send = async () => {  // Publish (editors) or Submit for approval (contributors)
    if (busy) return;
    showError(null);
    const body = content();
    if (!body.blocks.length) {
      showError({ field: 'blocks', message: 'Add some content first: a post needs at least one block.' });
      return;
    }
    busy = true;
    setState('sending');
    const key = uuid();  // one key for this post, kept across retries
    const pin = !!(pinBox && pinBox.checked);
    try {
      if (!can('publish')) {
        await withRetry(() => serial(save));
        await withRetry(() => api('POST', base + '/drafts/' + draft.id + '/submit'));
        reset();
        setState('submitted');
      } else {
        let post;
        if (draft) {
          await withRetry(() => serial(save));
          const { id, version } = draft;
          post = await withRetry(async (attempt) => {
            if (attempt) {  // did an earlier attempt go through before the line dropped?
              const live = await api('GET', base + '/posts/' + id).catch(() => null);
              if (live) return live;
            }
            return api('POST', base + '/drafts/' + id + '/approve', pin ? { pinned: true } : undefined,
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
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    send();
  });
  $('#compose-clear').addEventListener('click', () => {
    serial(save).catch(() => {}).then(() => { reset(); setState('idle'); editor.focus(); });
  });
  const toIso = (local) => {  // "2026-11-25T14:00" in this browser's zone → ISO with offset
    const off = -new Date(local).getTimezoneOffset();
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    return (local.length === 16 ? local + ':00' : local) + (off < 0 ? '-' : '+') + pad(off / 60) + ':' + pad(off % 60);
  };
  if ($('#schedule-open')) {
    $('#schedule-open').addEventListener('click', () => {
      const box = $('#schedule');
      box.hidden = !box.hidden;
      $('#schedule-open').setAttribute('aria-expanded', String(!box.hidden));
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
        setState('scheduled', localTime(post.publish_at, cfg.timezone, { dateStyle: 'short', timeStyle: 'short' }));
      } catch (e) {
        setState(transient(e) ? 'failed' : 'invalid');
        showError(e);
      }
    });
  }

  // Two versions side by side: the other person's (now stored) and mine; the user picks.
  const conflict = (anchor, current, mine, choose) => {
    const old = anchor.parentNode.querySelector(':scope > .conflict');
    if (old) old.remove();
    const mineBox = h('div', { class: 'conflict__post', text: 'Rendering…' });
    const box = h('div', { class: 'conflict', role: 'alert' },
      h('p', { class: 'conflict__title' }, h('strong', { text: 'Someone else changed this while you were editing.' }),
        ' Nothing was overwritten. Choose which version to keep.'),
      h('div', { class: 'conflict__cols' },
        h('section', {}, h('h3', { text: 'Theirs · version ' + current.version }), h('div', { class: 'conflict__post' }, fragment(current.html))),
        h('section', {}, h('h3', { text: 'Yours · not saved' }), mineBox)),
      h('div', { class: 'conflict__actions' },
        h('button', { type: 'button', class: 'btn', text: 'Take theirs', onclick: () => { box.remove(); choose.theirs(current); } }),
        h('button', { type: 'button', class: 'btn btn--primary', text: 'Overwrite with mine', onclick: () => { box.remove(); choose.mine(current); } })));
    anchor.after(box);
    api('POST', base + '/preview', { headline: mine.headline, blocks: mine.blocks })
      .then((res) => mineBox.replaceChildren(fragment(res.html)), () => { mineBox.textContent = mine.blocks.map((b) => plain(b.html || b.text || b.url || '')).join(' · '); });
  };

  // ---- who is editing what: tell others, show others ---------------------------------------
  const presence = new Map();  // post id → Map(user id → {name, until})
  const beat = (id) => {  // returns a function that stops telling
    const url = base + '/posts/' + id + '/editing';
    const tell = () => api('PUT', url).catch(() => {});
    tell();
    const timer = setInterval(tell, 10000);
    return () => {
      clearInterval(timer);
      fetch(url, { method: 'DELETE', credentials: 'same-origin', keepalive: true, headers: { 'X-CSRF-Token': csrf } }).catch(() => {});
    };
  };
  const showPresence = () => {
    const now = Date.now();
    $$('[data-presence]').forEach((el) => {
      const who = presence.get(+el.closest('[data-id]').dataset.id);
      const names = who ? Array.from(who.values()).filter((p) => p.until > now).map((p) => p.name) : [];
      el.hidden = !names.length;
      el.textContent = names.length ? names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' editing…' : '';
    });
  };
  setInterval(showPresence, 5000);

  // ---- the approval queue / my drafts (the newsroom feed, polled) -----------------------------
  const queue = (() => {
    const list = $('#queue-list');
    const items = new Map();
    const editorMode = can('approve');
    const visible = (p) => editorMode || p.author.id === me.id;
    const STATUS = { submitted: 'Waiting for approval', scheduled: 'Scheduled', draft: 'Draft' };
    const ORDER = { submitted: 0, scheduled: 1, draft: 2 };
    let nseq = cfg.newsroomSeq;
    const act = (label, cls, fn) => h('button', { type: 'button', class: 'btn btn--small ' + (cls || ''), text: label, onclick: fn });
    const fail = (card) => (e) => {
      const p = $('.queue__error', card) || card.appendChild(h('p', { class: 'queue__error', role: 'alert' }));
      p.textContent = e.message || 'No connection.';
    };
    const card = (p) => {
      const returned = p.status === 'draft' && p.review_note;
      const el = h('article', { class: 'qcard qcard--' + p.status, 'data-id': p.id, 'data-version': p.version },
        h('header', { class: 'qcard__head' },
          h('span', { class: 'pill pill--' + (returned ? 'warn' : p.status), text: returned ? 'Sent back' : STATUS[p.status] }),
          h('span', { class: 'qcard__who', text: p.author.name }),
          h('span', { class: 'qcard__when', text: p.status === 'scheduled' && p.publish_at
            ? 'for ' + localTime(p.publish_at, cfg.timezone, { dateStyle: 'short', timeStyle: 'short' })
            : localTime(p.updated_at, cfg.timezone, { timeStyle: 'short' }) }),
          draft && draft.id === p.id ? h('span', { class: 'qcard__open', text: 'open in composer' }) : null),
        h('span', { class: 'post-actions__presence', 'data-presence': '', hidden: true }),
        p.review_note ? h('p', { class: 'qcard__note', text: 'Note: ' + p.review_note }) : null,
        h('div', { class: 'qcard__preview' }, fragment(p.html)));
      const bar = h('div', { class: 'qcard__actions' });
      if (p.status === 'submitted' && can('approve')) {
        bar.append(act('Approve', 'btn--primary', () => api('POST', base + '/drafts/' + p.id + '/approve', undefined,
          { 'If-Match': '"' + p.version + '"' }).then((post) => { drop(p.id); stream.upsert(post, true); }, fail(el))));
      }
      bar.append(act('Edit', '', () => edit(p)));
      if (p.status === 'submitted' && can('approve')) {
        bar.append(act('Send back…', '', () => {
          const note = h('textarea', { rows: 2, 'aria-label': 'Note to ' + p.author.name, placeholder: 'What should ' + p.author.name + ' change?' });
          const box = h('div', { class: 'qcard__return' }, note, act('Send back', 'btn--primary', () =>
            api('POST', base + '/drafts/' + p.id + '/return', { note: note.value }).then(put, fail(el))));
          bar.after(box);
          note.focus();
        }));
      }
      if (p.status !== 'submitted' && (p.author.id === me.id || can('edit_any'))) {
        bar.append(act('Discard', 'btn--danger-ghost', () => {
          if (!confirm('Discard this draft for good?')) return;
          api('DELETE', base + '/drafts/' + p.id).then(() => drop(p.id), fail(el));
        }));
      }
      el.append(bar);
      return el;
    };
    const render = () => {
      const posts = Array.from(items.values()).filter(visible)
        .sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.updated_at.localeCompare(a.updated_at));
      $('#queue-count').textContent = String(editorMode ? posts.filter((p) => p.status === 'submitted').length : posts.length);
      const keep = new Set(posts.map((p) => String(p.id)));
      $$(':scope > .qcard, :scope > .queue__empty', list).forEach((el) => { if (!keep.has(el.dataset.id)) el.remove(); });
      posts.forEach((p, i) => {
        let el = $(':scope > [data-id="' + p.id + '"]', list);
        const open = !!(draft && draft.id === p.id);
        if (!el || +el.dataset.version !== p.version || el.classList.contains('is-open') !== open) {
          const fresh = card(p);
          fresh.classList.toggle('is-open', open);
          if (el) el.replaceWith(fresh);
          el = fresh;
        }
        if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null);
      });
      if (!posts.length) {
        list.append(h('p', { class: 'queue__empty', text: editorMode ? 'Nothing waiting for approval.' : 'No drafts. What you write is kept here until an editor publishes it.' }));
      }
      showPresence();
    };
    const put = (p) => {
      const had = items.get(p.id);
      if (!had || had.version <= p.version) items.set(p.id, p);
      render();
    };
    const drop = (id) => {
      items.delete(id);
      render();
    };
    const edit = (p) => serial(save).catch(() => {}).then(() => {
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
    const apply = (e) => {
      const d = e.data;
      if (e.kind === 'presence.editing' || e.kind === 'presence.left') {
        if (d.user_id === me.id) return;
        const who = presence.get(d.post_id) || new Map();
        if (e.kind === 'presence.left') who.delete(d.user_id);
        else who.set(d.user_id, { name: d.user, until: Date.now() + 25000 });
        presence.set(d.post_id, who);
        return;
      }
      const mine = draft && draft.id === d.id;
      if (e.kind === 'post.approved' || e.kind === 'draft.discarded') {
        items.delete(d.id);
        if (mine && !busy) {
          reset();
          setState(e.kind === 'post.approved' ? 'live' : 'idle', e.kind === 'post.approved' ? 'published by ' + d.by : 'discarded');
        }
        return;
      }
      if (d.status === 'published' || d.status === 'deleted') return;
      const had = items.get(d.id);
      if (!had || had.version <= d.version) items.set(d.id, d);
      // a status change (submitted, sent back, scheduled) keeps the content: follow its version
      if (mine && e.kind !== 'draft.saved' && d.version > draft.version) adopt(d);
    };
    const poll = () => {
      api('GET', base + '/newsroom/changes?since=' + nseq).then((body) => {
        body.events.forEach(apply);
        nseq = body.last_seq;
        if (body.events.length) render();
      }).catch(() => {}).finally(() => setTimeout(poll, 2000));
    };
    cfg.drafts.forEach((p) => items.set(p.id, p));
    render();
    setTimeout(poll, 2000);
    return { put, drop, touch: render, items, edit };
  })();

  // ---- the stream as readers see it, with the editor's actions -------------------------------
  const stream = (() => {
    const list = $('#stream');
    const pinned = $('#pinned');
    const tpl = $('#tpl-actions');
    const known = new Map();  // id → newest version shown
    const gone = new Set();
    const sessions = new Map();  // id → open in-place editor
    $$('.ed-post', list).forEach((w) => known.set(+w.dataset.id, +$('article', w).dataset.version));
    const article = (data, prefix) => {
      const el = fragment(data.html).querySelector('article.post');
      if (el && prefix) el.id = prefix + data.id;
      return el;
    };
    const flags = (w, data) => {
      w.dataset.pinned = String(!!data.pinned);
      w.dataset.key = String(!!data.key_event);
      const pin = $('[data-act="pin"]', w);
      const key = $('[data-act="key"]', w);
      if (pin) { pin.textContent = data.pinned ? 'Unpin' : 'Pin'; pin.setAttribute('aria-pressed', String(!!data.pinned)); }
      if (key) { key.textContent = data.key_event ? 'Key event ✓' : 'Key event'; key.setAttribute('aria-pressed', String(!!data.key_event)); }
    };
    const syncPinned = (data) => {
      const cur = $('article.post', pinned);
      if (data.pinned) {
        pinned.replaceChildren(article(data, 'pinned-'));
        pinned.hidden = false;
      } else if (cur && cur.dataset.id === String(data.id)) {
        pinned.replaceChildren();
        pinned.hidden = true;
      }
    };
    const upsert = (data, fresh) => {
      if (gone.has(data.id) || known.get(data.id) >= data.version || data.status !== 'published') return;
      known.set(data.id, data.version);
      syncPinned(data);
      let w = $('#ed-' + data.id);
      if (w) {
        $('article.post', w).replaceWith(article(data));
        if (sessions.has(data.id)) sessions.get(data.id).stale(data);
      } else {
        if (!fresh) return;  // an older post that is not on this page
        w = h('div', { class: 'ed-post is-new', id: 'ed-' + data.id, 'data-id': data.id }, article(data),
          tpl.content.cloneNode(true), h('div', { class: 'ed-post__panel', 'data-panel': '', hidden: true }));
        const below = $$(':scope > .ed-post', list).find((x) => +$('article', x).dataset.position < data.position);
        list.insertBefore(w, below || $('#empty'));
        $('#empty').hidden = true;
      }
      flags(w, data);
      showPresence();
    };
    const remove = (id) => {
      gone.add(id);
      [$('#ed-' + id), $('#pinned-' + id)].forEach((el) => el && el.remove());
      if (!$('article', pinned)) pinned.hidden = true;
      $('#empty').hidden = !!$('.ed-post', list);
    };
    const panel = (w) => $('[data-panel]', w);
    const url = (w, rest) => base + '/posts/' + w.dataset.id + (rest || '');
    const version = (w) => '"' + $('article.post', w).dataset.version + '"';
    const report = (w) => (e) => {
      const p = panel(w);
      p.hidden = false;
      p.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert', text: e.message || 'No connection.' }));
    };
    const openEditor = async (w) => {
      const id = +w.dataset.id;
      if (sessions.has(id)) return;
      const post = await api('GET', url(w));
      const box = h('div', { class: 'inline-editor' });
      const ed = BlockEditor(box, () => {});
      ed.set(post);
      const s = { version: post.version, ed, stop: beat(id) };
      const note = h('p', { class: 'notice notice--warn', hidden: true });
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
      const bar = h('div', { class: 'inline-editor__bar' },
        h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: close }),
        h('button', { type: 'button', class: 'btn btn--primary', 'data-save': '', text: 'Save changes', onclick: () => s.save() }));
      box.append(note, bar);
      sessions.set(id, s);
      w.classList.add('is-editing');
      $('article.post', w).hidden = true;
      $('article.post', w).after(box);
      ed.focus();
    };
    const history = (w) => {
      const p = panel(w);
      if (!p.hidden && p.dataset.kind === 'history') {
        p.hidden = true;
        return;
      }
      p.dataset.kind = 'history';
      p.hidden = false;
      p.replaceChildren(h('p', { class: 'muted', text: 'Loading history…' }));
      api('GET', url(w, '/revisions')).then((res) => {
        p.replaceChildren(h('h3', { class: 'section-label', text: 'History' }), h('ol', { class: 'history' },
          res.revisions.map((r) => h('li', { class: 'history__item' },
            h('div', { class: 'history__meta' }, h('strong', { text: 'Version ' + r.version }),
              ' · ' + r.editor + ' · ' + localTime(r.created_at, cfg.timezone, { dateStyle: 'short', timeStyle: 'short' }),
              r.version === res.version ? h('span', { class: 'pill pill--ok', text: 'current' }) : null),
            h('p', { class: 'history__text' }, r.headline ? h('strong', { text: r.headline + ' — ' }) : null,
              r.blocks.map((b) => plain(b.html || '') || b.text || b.title || b.url).join(' · ').slice(0, 240)),
            r.version === res.version ? null : h('button', { type: 'button', class: 'btn btn--small', text: 'Restore',
              onclick: () => api('POST', url(w, '/revisions/' + r.version + '/restore'), undefined, { 'If-Match': version(w) })
                .then((post) => { upsert(post); history(w); history(w); }, report(w)) })))));
      }, report(w));
    };
    list.addEventListener('click', (ev) => {
      const btn = ev.target.closest('[data-act]');
      if (!btn) return;
      const w = btn.closest('.ed-post');
      const on = (flag) => w.dataset[flag] === 'true';
      const toggle = (path, flag) => api(on(flag) ? 'DELETE' : 'PUT', url(w, path)).then(upsert, report(w));
      ({
        edit: () => openEditor(w).catch(report(w)),
        pin: () => toggle('/pin', 'pinned'),
        key: () => toggle('/key-event', 'key'),
        history: () => history(w),
        delete: () => confirm('Delete this post? Readers stop seeing it at once.') &&
          api('DELETE', url(w), undefined, { 'If-Match': version(w) }).then(() => remove(+w.dataset.id), report(w)),
      })[btn.dataset.act]();
    });
    doc.addEventListener('keydown', (ev) => {
      if (!(ev.ctrlKey || ev.metaKey) || ev.key !== 'Enter') return;
      ev.preventDefault();
      const w = ev.target.closest && ev.target.closest('.ed-post.is-editing');
      if (w) sessions.get(+w.dataset.id).save();
      else if (form.contains(ev.target) || ev.target === doc.body) send();
    });
    window.addEventListener('pagehide', () => sessions.forEach((s) => s.stop()));
    return { upsert, remove };
  })();

  // ---- blog status: end and reopen coverage ------------------------------------------------
  const setStatus = (status) => {
    const ended = status === 'ended';
    cfg.status = status;
    const badge = $('#blog-badge');
    badge.className = 'badge ' + (ended ? 'badge--ended' : 'badge--live');
    badge.textContent = ended ? 'Ended' : 'Live';
    $('#ended-note').hidden = !ended;
    if ($('#end-blog')) { $('#end-blog').hidden = ended; $('#reopen-blog').hidden = !ended; }
    if (can('publish')) publishBtn.disabled = ended;
  };
  if ($('#end-blog')) {
    $('#end-blog').addEventListener('click', () => {
      const body = content();
      const closing = body.blocks.length;
      if (!confirm('End this coverage? Readers will see it as ended.' +
        (closing ? '\nWhat is in the composer is published as the closing post.' : '\nTip: write a closing post in the composer first.'))) return;
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

  // ---- the live connection (the same public stream readers get) ------------------------------
  let lastSeq = cfg.lastSeq;
  let backoff = 1000;
  const linkState = $('#link-state');
  const connect = () => {
    const es = new EventSource('/blogs/' + encodeURIComponent(cfg.slug) + '/live?last_event_id=' + lastSeq);
    const on = (kind, fn) => es.addEventListener(kind, (e) => {
      const seq = parseInt(e.lastEventId, 10) || 0;
      if (seq && seq <= lastSeq) return;
      lastSeq = seq || lastSeq;
      fn(JSON.parse(e.data));
    });
    ['post.published', 'post.updated', 'post.pinned', 'post.unpinned'].forEach((k) => on(k, (d) => stream.upsert(d, k === 'post.published')));
    on('post.deleted', (d) => stream.remove(d.id));
    on('blog.ended', () => setStatus('ended'));
    on('blog.reopened', () => setStatus('live'));
    es.addEventListener('reset', () => serial(save).catch(() => {}).then(() => location.reload()));
    es.onopen = () => { backoff = 1000; linkState.textContent = '· connected'; };
    es.onerror = () => {
      linkState.textContent = '· reconnecting…';
      if (es.readyState === 2) {
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 30000);
      }
    };
  };
  connect();

  // ---- start: bring back the draft this browser was writing -----------------------------------
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(STORE) || 'null');
  } catch (err) { /* ignore a damaged entry */ }
  const stored = saved && saved.id && queue.items.get(saved.id);
  if (stored) {
    queue.edit(stored).then(() => {
      if (saved.unsaved) {
        editor.set(saved.unsaved);
        changed();
      }
    });
  } else {
    editor.set(saved && saved.unsaved);
    if (saved && saved.unsaved) changed();
    else localStorage.removeItem(STORE);
  }
  preview();
  window.addEventListener('pagehide', () => { if (dirty) remember(); });
})();
