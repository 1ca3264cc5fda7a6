/* The outbox: posts sent from the composer and on their way. Each goes in the order sent; a
 * publish carries an Idempotency-Key and is retried with the SAME key while the network is
 * down, so a flaky connection never posts twice; and each stays in localStorage until the
 * server has it, so a closed tab or a crash loses nothing. A post the server refuses comes back
 * to the composer with the message — at once if the composer is empty, else when the person
 * chooses, so nothing typed meanwhile is disturbed. */
import { $, SHORT, api, button, h, localTime, plain, transient } from './dom.js';
import { base, cfg, desk } from './context.js';

/** Create (no draft yet) or update a draft with `body`. */
export const writeDraft = (draft, body) =>
  draft
    ? api('PATCH', base + '/drafts/' + draft.id, body, { 'If-Match': '"' + draft.version + '"' })
    : api('POST', base + '/drafts', body);

const STORE = 'bulletin:outbox:' + cfg.slug;
const slim = (p) => p && { id: p.id, version: p.version, status: p.status, author: p.author, review_note: null };
const summary = (body) => {
  const first = body.blocks[0] || {};
  const text =
    body.headline || plain(first.html || '') || first.text || first.caption || first.title || first.url || '';
  return text.length > 90 ? text.slice(0, 89) + '…' : text;
};

export const createOutbox = ({ serial, handed, setState, takeBack, isEmpty }) => {
  const list = $('#outbox');
  const cards = new Map(); // key → its line in the outbox
  let items = [];
  try {
    items = JSON.parse(localStorage.getItem(STORE) || '[]').map((i) => ({ ...i, resumed: true }));
  } catch (err) {
    /* damaged: nothing to resume */
  }
  let running = false;
  let wake = null; // cuts a retry's wait short (the state line's "retry", or the network's return)
  const persist = () => {
    const open = items.filter((i) => !i.done);
    if (open.length) localStorage.setItem(STORE, JSON.stringify(open));
    else localStorage.removeItem(STORE);
  };
  const drop = (item) => {
    items = items.filter((i) => i !== item);
    persist();
    const card = cards.get(item.key);
    cards.delete(item.key);
    if (card) card.remove();
    list.hidden = !cards.size;
  };
  const show = (item, state, text, ...actions) => {
    let card = cards.get(item.key);
    if (!card) {
      card = h('li', { class: 'outbox__item' }, h('span', { class: 'outbox__what', text: summary(item.body) }));
      card.append(h('span', { class: 'outbox__state' }), h('span', { class: 'outbox__actions' }));
      cards.set(item.key, card);
      list.prepend(card);
      list.hidden = false;
    }
    card.dataset.state = state;
    $('.outbox__state', card).textContent = text;
    $('.outbox__actions', card).replaceChildren(...actions);
  };
  const wait = (ms) =>
    new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        window.removeEventListener('online', go);
        wake = null;
        resolve();
      };
      const timer = setTimeout(go, ms);
      window.addEventListener('online', go);
      wake = go;
    });

  // One step after the other; each step's result is kept, so a retry (or a reload) goes on from
  // where the last attempt stopped.
  const deliver = async (item, attempt) => {
    await serial(() => null); // a draft save still under way finishes first: its version is the one to approve
    const newer = handed.get(item.gen); // an autosave that finished after the copy was sent
    if (newer && (!item.draft || newer.version > item.draft.version)) item.draft = slim(newer);
    if ((item.draft && item.dirty) || (item.contributor && !item.draft)) {
      item.draft = slim(await serial(() => writeDraft(item.draft, item.body)));
      item.dirty = false;
      persist();
    }
    const again = attempt > 0 || item.resumed; // did an earlier attempt go through before the line dropped?
    if (item.contributor) {
      try {
        return await api('POST', base + '/drafts/' + item.draft.id + '/submit');
      } catch (e) {
        if (!again || e.status !== 409) throw e;
        const { posts } = await api('GET', base + '/drafts');
        const mine = posts.find((p) => p.id === item.draft.id && p.status === 'submitted');
        if (mine) return mine;
        throw e;
      }
    }
    if (item.draft) {
      const live = again ? await api('GET', base + '/posts/' + item.draft.id).catch(() => null) : null;
      if (live && live.status === 'published') return live;
      const pin = item.pin ? { pinned: true } : undefined;
      return api('POST', base + '/drafts/' + item.draft.id + '/approve', pin, {
        'If-Match': '"' + item.draft.version + '"',
      });
    }
    return api('POST', base + '/posts', { ...item.body, pinned: item.pin }, { 'Idempotency-Key': item.key });
  };
  const succeed = (item, post) => {
    item.done = true;
    handed.delete(item.gen);
    persist();
    if (item.contributor) desk.queue.put(post);
    else {
      desk.queue.drop(post.id);
      desk.stream.upsert(post, true);
    }
    const when = localTime(post.published_at || post.updated_at || new Date().toISOString(), cfg.timezone, SHORT);
    show(item, 'done', item.contributor ? 'Sent for approval ✓' : 'Published ✓ ' + when);
    setTimeout(() => drop(item), 6000);
    if (!items.some((i) => !i.done && !i.error)) setState(item.contributor ? 'submitted' : 'live');
  };
  const refused = (item, e) => {
    item.error = { message: e.message, field: e.field, status: e.status };
    persist();
    setState('invalid');
    if (isEmpty()) {
      drop(item);
      return takeBack(item, item.error);
    }
    show(
      item,
      'refused',
      'Not published: ' + e.message,
      button('Back to the composer', 'btn btn--small btn--primary', () => {
        drop(item);
        takeBack(item, item.error);
      }),
      button('Discard', 'btn btn--small btn--danger-ghost', () => {
        if (confirm('Discard this post for good? It was not published.')) drop(item);
      }),
    );
  };
  const run = async (item) => {
    let delay = 1000;
    for (let attempt = 0; ; attempt += 1) {
      show(item, 'sending', 'Sending…');
      setState('sending');
      try {
        return succeed(item, await deliver(item, attempt));
      } catch (e) {
        if (!transient(e)) return refused(item, e);
        const why =
          navigator.onLine === false ? 'offline, sends when back online' : 'retrying in ' + delay / 1000 + ' s';
        show(
          item,
          'failed',
          'Not sent yet · ' + why,
          button('Retry now', 'btn btn--small', () => wake && wake()),
        );
        setState('failed', why);
        await wait(delay);
        delay = Math.min(delay * 2, 30000);
      }
    }
  };
  const pump = async () => {
    if (running) return;
    running = true;
    try {
      for (let item = next(); item; item = next()) await run(item);
    } finally {
      running = false;
    }
  };
  const next = () => items.find((i) => !i.done && !i.error);
  return {
    add(item) {
      items.push(item);
      persist();
      show(item, 'sending', 'Sending…');
      pump();
    },
    /** After a reload: show what was refused, send what was on its way. */
    resume() {
      items.filter((i) => i.error).forEach((i) => refused(i, i.error));
      if (next()) pump();
    },
    retryNow: () => wake && wake(),
  };
};
