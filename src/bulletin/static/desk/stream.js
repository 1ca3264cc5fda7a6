/* The stream as readers see it, with the editor's actions: edit in place, pin, key event,
 * history, delete. */
import { $, $$, SHORT, api, button, doc, fragment, h, localTime, plain } from './dom.js';
import { BlockEditor } from './blocks.js';
import { base, cfg, desk } from './context.js';
import { conflict } from './conflict.js';
import { beat, showPresence } from './presence.js';

export const createStream = () => {
  const list = $('#stream');
  const pinned = $('#pinned');
  const known = new Map(); // id → newest version shown
  const gone = new Set();
  const sessions = new Map(); // id → post open in the in-place editor
  $$('.ed-post', list).forEach((w) => known.set(+w.dataset.id, +$('article', w).dataset.version));
  const article = (data, prefix) =>
    Object.assign(fragment(data.html).querySelector('article.post'), prefix ? { id: prefix + data.id } : {});
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
      if (!fresh) return; // an older post that is not on this page
      w = h(
        'div',
        { class: 'ed-post is-new', id: 'ed-' + data.id, 'data-id': data.id },
        article(data),
        $('#tpl-actions').content.cloneNode(true),
        h('div', { class: 'ed-post__panel', 'data-panel': '', hidden: true }),
      );
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
    panel(w).replaceChildren(
      h('p', { class: 'notice notice--error', role: 'alert', text: e.status ? e.message : 'No connection.' }),
    );
  };
  const openEditor = async (w) => {
    // edit a published post in place, saving with If-Match
    const id = +w.dataset.id;
    if (sessions.has(id)) return;
    const post = await api('GET', url(w));
    const box = h('div', { class: 'inline-editor' });
    const ed = BlockEditor(box, () => {}, cfg.slug);
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
      note.textContent =
        'This post was just changed (version ' + data.version + '). Saving will show you both versions.';
    };
    s.save = () => {
      const mine = ed.value();
      ed.clearErrors();
      return api('PATCH', url(w), mine, { 'If-Match': '"' + s.version + '"' }).then(
        (res) => {
          close();
          upsert(res);
        },
        (e) => {
          if (e.status === 409 && e.body && e.body.current) {
            conflict(bar, e.body.current, mine, {
              theirs: (cur) => {
                close();
                upsert(cur);
              },
              mine: (cur) => {
                s.version = cur.version;
                s.save();
              },
            });
          } else if (!ed.showError(e.field, e.message)) report(w)(e);
        },
      );
    };
    const bar = h(
      'div',
      { class: 'inline-editor__bar' },
      button('Cancel', 'btn', close),
      button('Save changes', 'btn btn--primary', () => s.save()),
    );
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
    api('GET', url(w, '/revisions')).then(
      (res) =>
        p.replaceChildren(
          h('h3', { class: 'section-label', text: 'History' }),
          h(
            'ol',
            { class: 'history' },
            res.revisions.map((r) =>
              h(
                'li',
                { class: 'history__item' },
                h(
                  'div',
                  { class: 'history__meta' },
                  h('strong', { text: 'Version ' + r.version }),
                  ' · ' + r.editor + ' · ' + localTime(r.created_at, cfg.timezone, SHORT),
                  r.version === res.version ? h('span', { class: 'pill pill--ok', text: 'current' }) : null,
                ),
                h(
                  'p',
                  { class: 'history__text' },
                  r.headline ? h('strong', { text: r.headline + ' — ' }) : null,
                  r.blocks
                    .map((b) => plain(b.html || '') || b.text || b.title || b.url)
                    .join(' · ')
                    .slice(0, 240),
                ),
                r.version === res.version
                  ? null
                  : button('Restore', 'btn btn--small', () =>
                      api('POST', url(w, '/revisions/' + r.version + '/restore'), undefined, version(w)).then(
                        (post) => {
                          upsert(post);
                          history(w, true);
                        },
                        report(w),
                      ),
                    ),
              ),
            ),
          ),
        ),
      report(w),
    );
  };
  list.addEventListener('click', (ev) => {
    const btn = ev.target.closest('[data-act]');
    if (!btn) return;
    const w = btn.closest('.ed-post');
    const toggle = (path, act) =>
      api(w.dataset[act] === 'true' ? 'DELETE' : 'PUT', url(w, path)).then(upsert, report(w));
    ({
      edit: () => openEditor(w).catch(report(w)),
      pin: () => toggle('/pin', 'pin'),
      key: () => toggle('/key-event', 'key'),
      history: () => history(w),
      delete: () =>
        confirm('Delete this post? Readers stop seeing it at once.') &&
        api('DELETE', url(w), undefined, version(w)).then(() => remove(+w.dataset.id), report(w)),
    })[btn.dataset.act]();
  });
  doc.addEventListener('keydown', (ev) => {
    // Ctrl/Cmd+Enter: publish, or save the post being edited
    if (!(ev.ctrlKey || ev.metaKey) || ev.key !== 'Enter') return;
    ev.preventDefault();
    const w = ev.target.closest && ev.target.closest('.ed-post.is-editing');
    if (w) sessions.get(+w.dataset.id).save();
    else if (desk.composer.form.contains(ev.target) || ev.target === doc.body) desk.composer.send();
  });
  window.addEventListener('pagehide', () => sessions.forEach((s) => s.stop()));
  return { upsert, remove };
};
