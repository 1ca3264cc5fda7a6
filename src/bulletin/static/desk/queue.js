/* The approval queue (editors) or my drafts (contributors), kept live from the newsroom feed. */
import { $, $$, SHORT, api, button, fragment, h, localTime } from './dom.js';
import { base, can, cfg, desk, me } from './context.js';
import { presence, showPresence } from './presence.js';
import { createAlerts } from './alerts.js';

export const createQueue = () => {
  const isOpen = (p) => {
    const draft = desk.composer.current();
    return !!(draft && draft.id === p.id);
  };
  const list = $('#queue-list');
  const items = new Map(cfg.drafts.map((p) => [p.id, p]));
  const editorMode = can('approve');
  const STATUS = { submitted: 'Waiting for approval', scheduled: 'Scheduled', draft: 'Draft' };
  const ORDER = { submitted: 0, scheduled: 1, draft: 2 };
  let since = cfg.newsroomSeq;
  const alerts = createAlerts();
  const act = (label, cls, fn) => button(label, 'btn btn--small ' + cls, fn);
  const fail = (el) => (e) => {
    const p = $('.queue__error', el) || el.appendChild(h('p', { class: 'queue__error', role: 'alert' }));
    p.textContent = e.status ? e.message : 'No connection.';
  };
  const card = (p) => {
    const returned = p.status === 'draft' && p.review_note;
    const approver = p.status === 'submitted' && can('approve');
    const el = h(
      'article',
      { class: 'qcard qcard--' + p.status, 'data-id': p.id, 'data-version': p.version },
      h(
        'header',
        { class: 'qcard__head' },
        h('span', {
          class: 'pill pill--' + (returned ? 'warn' : p.status),
          text: returned ? 'Sent back' : STATUS[p.status],
        }),
        h('span', { class: 'qcard__who', text: p.author.name }),
        p.publish_at
          ? h('span', { class: 'qcard__when', text: 'for ' + localTime(p.publish_at, cfg.timezone, SHORT) })
          : null,
        isOpen(p) ? h('span', { class: 'qcard__open', text: 'open in composer' }) : null,
      ),
      h('span', { class: 'post-actions__presence', 'data-presence': '', hidden: true }),
      p.review_note ? h('p', { class: 'qcard__note', text: 'Note: ' + p.review_note }) : null,
      h('div', { class: 'qcard__preview' }, fragment(p.html)),
    );
    const bar = h(
      'div',
      { class: 'qcard__actions' },
      approver
        ? act('Approve', 'btn--primary', () =>
            api('POST', base + '/drafts/' + p.id + '/approve', undefined, { 'If-Match': '"' + p.version + '"' }).then(
              (post) => {
                drop(p.id);
                desk.stream.upsert(post, true);
              },
              fail(el),
            ),
          )
        : null,
      act('Edit', '', () => desk.composer.load(p)),
      approver
        ? act('Send back…', '', () => {
            const note = h('textarea', {
              rows: 2,
              'aria-label': 'Note to ' + p.author.name,
              placeholder: 'What should ' + p.author.name + ' change?',
            });
            bar.after(
              h(
                'div',
                { class: 'qcard__return' },
                note,
                act('Send back', 'btn--primary', () =>
                  api('POST', base + '/drafts/' + p.id + '/return', { note: note.value }).then(put, fail(el)),
                ),
              ),
            );
            note.focus();
          })
        : null,
      p.status !== 'submitted' && (p.author.id === me.id || can('edit_any'))
        ? act(
            'Discard',
            'btn--danger-ghost',
            () =>
              confirm('Discard this draft for good?') &&
              api('DELETE', base + '/drafts/' + p.id).then(() => drop(p.id), fail(el)),
          )
        : null,
    );
    el.append(bar);
    return el;
  };
  const render = () => {
    const posts = Array.from(items.values())
      .filter((p) => editorMode || p.author.id === me.id)
      .sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.updated_at.localeCompare(a.updated_at));
    $('#queue-count').textContent = String(posts.filter((p) => !editorMode || p.status === 'submitted').length);
    const keep = new Set(posts.map((p) => String(p.id)));
    $$(':scope > *', list).forEach((el) => keep.has(el.dataset.id) || el.remove());
    posts.forEach((p, i) => {
      // rebuild only the cards that changed, so a note being typed survives
      let el = $(':scope > [data-id="' + p.id + '"]', list);
      const open = isOpen(p);
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
      list.append(
        h('p', {
          class: 'queue__empty',
          text: editorMode
            ? 'Nothing waiting for approval.'
            : 'No drafts. What you write is kept here until an editor publishes it.',
        }),
      );
    }
    showPresence();
  };
  const keep = (p) => !(items.get(p.id) && items.get(p.id).version > p.version) && items.set(p.id, p);
  const put = (p) => keep(p) && render();
  const drop = (id) => items.delete(id) && render();
  const apply = ({ kind, data: d }) => {
    if (kind === 'presence.editing' || kind === 'presence.left') {
      if (d.user_id === me.id) return;
      const who = presence.get(d.post_id) || new Map();
      if (kind === 'presence.left') who.delete(d.user_id);
      else who.set(d.user_id, { name: d.user, until: Date.now() + 25000 });
      return presence.set(d.post_id, who);
    }
    alerts.seen(kind, d);
    if (kind === 'post.approved' || kind === 'draft.discarded') items.delete(d.id);
    else if (d.status !== 'published' && d.status !== 'deleted') keep(d);
    desk.composer.follow(kind, d);
  };
  const poll = () =>
    api('GET', base + '/newsroom/changes?since=' + since)
      .then((body) => {
        body.events.forEach(apply);
        since = body.last_seq;
        if (body.events.length) render();
      })
      .catch(() => {})
      .finally(() => setTimeout(poll, 2000));
  render();
  setTimeout(poll, 2000);
  return { put, drop, render, items };
};
