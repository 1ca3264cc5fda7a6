/* Bulletin reader: keeps a blog page live. Plain JavaScript, no build step.
 *
 * The page is complete without this script. With it, the page follows the blog's change feed
 * (`/blogs/{slug}/live`, SSE; `/changes` polling where EventSource is missing) and applies
 * each event in seq order. Rules that hold whatever order events, reconnects and page loads
 * come in: a post id appears at most once in the stream; a deleted id never comes back; an
 * event older than what the page shows (by post version) changes nothing; and nothing the
 * reader is looking at moves. Post HTML comes from the server's own `_post.html`.
 */
(() => {
  'use strict';
  const doc = document;
  const $ = (sel, el) => (el || doc).querySelector(sel);
  const $$ = (sel, el) => Array.from((el || doc).querySelectorAll(sel));
  doc.documentElement.classList.add('js');

  // Interface strings in the blog's language: the server puts them in `data-strings` as
  // JSON keyed by the English text; a missing or broken catalogue reads English.
  let S = {};
  try {
    const holder = $('[data-strings]');
    S = (holder && JSON.parse(holder.getAttribute('data-strings'))) || {};
  } catch (err) {
    S = {};
  }
  const t = (key, n) => String(S[key] || key).replace('{n}', n);

  // Relative times ("2 min ago"), kept fresh every 30 s.
  const ago = (iso, now) => {
    const s = Math.max(0, (now - Date.parse(iso)) / 1000);
    if (!isFinite(s)) return '';
    if (s < 45) return t('just now');
    const m = Math.round(s / 60);
    if (m < 60) return t('{n} min ago', m);
    const h = Math.round(m / 60);
    if (h < 24) return h === 1 ? t('1 hour ago') : t('{n} hours ago', h);
    const d = Math.round(h / 24);
    return d === 1 ? t('yesterday') : t('{n} days ago', d);
  };
  const refreshTimes = () => {
    const now = Date.now();
    $$('[data-ago]').forEach((el) => {
      const text = el.textContent.trim();
      if (!el.title && text && !el.hasAttribute('data-ago-set')) el.title = text;
      el.setAttribute('data-ago-set', '');
      el.textContent = ago(el.getAttribute('data-ago'), now);
    });
  };
  refreshTimes();
  setInterval(refreshTimes, 30000);

  // Clock times stay as the server wrote them: in the blog's time zone, labelled ("21:40
  // GMT"), the same for every reader, with or without this script. Only relative times
  // ("5 min ago") are the script's.

  // Embeds are facades: a card with a link and a button, no request to the provider until
  // the reader asks. The button swaps the card for the provider's player (its URL is built
  // by the server, domain/embeds.py; the page's CSP frame-src lists its origin). Delegated,
  // so cards in posts added live work too. The sandbox keeps what players need: scripts and
  // their own origin (players are apps that keep state and check who they talk to), popups
  // (links open in a new tab) that escape the sandbox (so the provider's own page works),
  // and presentation (casting). Not allowed: navigating this page, forms, modals, downloads.
  const SANDBOX = 'allow-scripts allow-same-origin allow-popups ' +
    'allow-popups-to-escape-sandbox allow-presentation';
  // A click on a card's thumbnail plays here too, as a picture with a play mark promises
  // (the link around it still opens the provider's page without JavaScript).
  doc.addEventListener('click', (e) => {
    const el = e.target instanceof Element && e.target;
    const button = el && (el.closest('.embed-card__load') || el.closest('.embed-card__thumb'));
    const card = button && button.closest('.embed-card[data-player]');
    const d = card && card.dataset;
    if (!d || !/^https:\/\//.test(d.player)) return;
    e.preventDefault();
    const frame = doc.createElement('iframe');
    frame.className = card.className.replace(/embed-card/g, 'embed-frame');
    frame.setAttribute('sandbox', SANDBOX);
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    frame.setAttribute('loading', 'lazy');
    if (d.allow) frame.setAttribute('allow', d.allow);
    frame.title = d.title || '';
    if (d.ratio) frame.style.aspectRatio = d.ratio;
    else frame.style.height = (parseInt(d.height, 10) || 400) + 'px';
    if (d.width) frame.style.maxWidth = parseInt(d.width, 10) + 'px';
    frame.src = d.player;
    card.replaceWith(frame);
    frame.focus();
  });

  // Share menus (`_post.html`): plain links to each network's share page work without this
  // script; with it, the device's own share sheet (not inside another site's frame, where
  // it is refused) and "Copy link". What is shared is always the post's permalink.
  const html = doc.documentElement.classList;
  if (navigator.share && window.top === window) html.add('can-share');
  if (navigator.clipboard) html.add('can-copy');
  doc.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target : null;
    $$('details.share[open]').forEach((d) => {
      if (!el || !d.contains(el)) d.open = false;
    });
    const button = el && el.closest('.share__native, .share__copy');
    const box = button && button.closest('.share');
    if (!box) return;
    const url = new URL(box.dataset.url, location.href).href;
    const say = (text) => {
      $('.share__status', box).textContent = text;
    };
    if (button.matches('.share__native')) {
      navigator.share({ title: box.dataset.title, url }).then(() => {
        box.open = false;
      }, () => {});
    } else {
      navigator.clipboard.writeText(url).then(() => say(t('Link copied')),
        () => say(t('Copy this link:') + ' ' + url));
    }
  });
  doc.addEventListener('keydown', (e) => {
    const box = e.key === 'Escape' && e.target instanceof Element && e.target.closest('details.share[open]');
    if (!box) return;
    box.open = false;
    $('summary', box).focus();
  });

  const live = doc.getElementById('live');
  if (!live) return;
  const keyOnly = live.dataset.filter === 'key';
  const slug = live.dataset.slug;
  const front = live.dataset.front === 'true';
  let lastSeq = parseInt(live.dataset.lastSeq, 10) || 0;
  let pollAfter = parseInt(live.dataset.pollAfter, 10) || 5;
  let ended = live.dataset.status === 'ended';
  const stream = doc.getElementById('stream');
  const pinned = doc.getElementById('pinned');
  const pill = doc.getElementById('new-pill');
  const pauseBtn = doc.getElementById('pause');
  const stateLine = doc.getElementById('live-state');
  const controls = doc.getElementById('controls');
  const reduced = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;

  const deleted = new Set();   // ids removed: never shown again
  const versions = new Map();  // id -> newest version seen
  const pending = new Map();   // id -> post data, published while the reader was away
  const queue = [];            // events received while paused
  let paused = false;
  let unseen = 0;
  let baseTitle = doc.title;
  $$('article.post').forEach((el) => see(+el.dataset.id, +el.dataset.version));

  function see(id, version) {
    if (!(versions.get(id) >= version)) versions.set(id, version);
  }

  // ---- keeping the reader's place ------------------------------------------------------
  // Before a change, note the first post (or page block) in view and where it is; after,
  // scroll by however far it moved, so changes above the viewport do not shift the view.
  const anchor = (gone) => {
    if (window.scrollY <= 0) return null;
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.height > 0;
    };
    const el = $$('article.post').find((a) => a.dataset.id !== String(gone) && visible(a)) ||
      Array.from(live.children).find((c) => c !== stream && !c.matches('.key-events') && visible(c));
    return el ? { el, id: el.id, top: el.getBoundingClientRect().top } : null;
  };
  const keep = (change, gone) => {
    const a = anchor(gone);
    change();
    if (!a) return;
    const el = a.el.isConnected ? a.el : a.id && doc.getElementById(a.id);
    if (!el) return;
    const moved = el.getBoundingClientRect().top - a.top;
    if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
  };
  const atTop = () => window.scrollY < 4 || stream.getBoundingClientRect().top >= 0;

  // ---- building and placing posts ------------------------------------------------------
  const build = (data, prefix) => {
    const t = doc.createElement('template');
    t.innerHTML = data.html;
    const el = t.content.querySelector('article.post');
    if (el && prefix) el.id = prefix + data.id;
    return el;
  };
  // An ended blog's closing post stands above the recap, in #closing, with its usual id.
  const closing = doc.getElementById('closing');
  const inStream = (id) => {
    const el = doc.getElementById('post-' + id);
    return el && (stream.contains(el) || (closing && closing.contains(el))) ? el : null;
  };
  const insert = (data) => {
    if (deleted.has(data.id) || inStream(data.id)) return;
    const el = build(data);
    if (!el) return;
    el.classList.add('post--new');
    const empty = doc.getElementById('empty');
    if (empty) empty.remove();
    const below = $$(':scope > article.post', stream)
      .find((a) => +a.dataset.position < data.position);
    stream.insertBefore(el, below || null);
  };
  const flush = () => {
    const items = Array.from(pending.values()).sort((a, b) => a.position - b.position);
    pending.clear();
    items.forEach(insert);
    showPill();
  };
  const showPill = () => {
    const n = pending.size;
    pill.hidden = n === 0;
    pill.textContent = (n === 1 ? t('1 new update') : t('{n} new updates', n)) + ' ↑';
  };
  pill.addEventListener('click', () => {
    if (!front) {
      location.href = '/blogs/' + encodeURIComponent(slug);
      return;
    }
    flush();
    const top = stream.getBoundingClientRect().top + window.scrollY - 16;
    window.scrollTo({ top: Math.max(0, top), behavior: reduced ? 'auto' : 'smooth' });
  });
  window.addEventListener('scroll', () => {
    if (front && pending.size && !paused && atTop()) flush();
  }, { passive: true });

  // ---- the pinned box and the key-events list ------------------------------------------
  const syncPinned = (data) => {
    const cur = $('article.post', pinned);
    const mine = cur && cur.dataset.id === String(data.id);
    if (data.pinned) {
      const el = build(data, 'pinned-');
      if (!el) return;
      keep(() => {
        pinned.textContent = '';
        pinned.append(el);
        pinned.hidden = false;
      });
    } else if (mine) {
      keep(() => {
        pinned.textContent = '';
        pinned.hidden = true;
      });
    }
  };
  const keyList = () => doc.getElementById('key-events');
  const syncKeyEvent = (data) => {
    let list = keyList();
    const old = list && $('li[data-id="' + data.id + '"]', list);
    if (!data.key_event || deleted.has(data.id)) {
      if (old) keep(() => dropKey(old));
      return;
    }
    const el = build(data);
    const clock = el && $('time', el);
    const li = doc.createElement('li');
    li.dataset.id = data.id;
    li.dataset.position = data.position;
    const a = doc.createElement('a');
    a.href = '/blogs/' + encodeURIComponent(slug) + '#post-' + data.id;
    const time = doc.createElement('time');
    time.dateTime = clock ? clock.getAttribute('datetime') : data.published_at;
    time.textContent = clock ? clock.textContent : '';
    const label = doc.createElement('span');
    const text = el && $('.block--text', el);
    const words = text ? text.textContent.replace(/\s+/g, ' ').trim() : '';
    label.textContent = data.headline ||
      (words.length > 90 ? words.slice(0, 89) + '…' : words) || t('Key update');
    a.append(time, ' ', label);
    li.append(a);
    keep(() => {
      if (!list) {
        const box = doc.createElement('details');
        box.className = 'key-events';
        box.open = wide();
        const summary = doc.createElement('summary');
        summary.textContent = t('Key events');
        list = doc.createElement('ol');
        list.id = 'key-events';
        box.append(summary, list);
        pinned.after(box);
      }
      if (old) {
        old.replaceWith(li);
        return;
      }
      const below = $$(':scope > li', list).find((x) => +x.dataset.position < data.position);
      list.insertBefore(li, below || null);
    });
  };
  const dropKey = (li) => {
    const list = li.parentNode;
    li.remove();
    if (list && !list.children.length) list.closest('.key-events').remove();
  };
  // The key-events list is open on wide screens and folded on phones (the page sends it
  // open, for readers without the script).
  const wide = () => !!window.matchMedia && matchMedia('(min-width: 700px)').matches;
  const keyBox = $('.key-events', live);
  if (keyBox && !wide()) keyBox.open = false;
  const wideQuery = window.matchMedia && matchMedia('(min-width: 1100px)');
  if (wideQuery && wideQuery.addEventListener) {
    wideQuery.addEventListener('change', (e) => {
      const box = $('.key-events', live);
      if (box && e.matches) box.open = true;  // the side column has no toggle
    });
  }

  // ---- applying events -----------------------------------------------------------------
  // The heading's "Updated" time: its full date on hover in the blog's zone, from the
  // server's own words when an event carries a post, else from Intl in the blog's zone.
  const zoned = (iso) => {
    try {
      const p = {};
      new Intl.DateTimeFormat('en-GB', {
        timeZone: live.dataset.timezone, day: 'numeric', month: 'short', year: 'numeric',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
      }).formatToParts(new Date(iso)).forEach((x) => { p[x.type] = x.value; });
      return p.day + ' ' + p.month + ' ' + p.year + ', ' + p.hour + ':' + p.minute + ' ' + p.timeZoneName;
    } catch (err) {
      return '';
    }
  };
  const touch = (iso, el) => {
    const t = $('.blog__updated time', live);
    if (!t) return;
    const said = el && ($('.post__updated time', el) || $('.post__time time', el));
    t.dateTime = iso;
    t.title = (said && said.title) || zoned(iso);
    t.setAttribute('data-ago', iso);
  };
  const postEvent = (kind, data) => {
    const id = data.id;
    if (deleted.has(id) || versions.get(id) >= data.version) return;
    see(id, data.version);
    touch(data.updated_at, build(data));
    syncPinned(data);
    if (!keyOnly) syncKeyEvent(data);
    const el = inStream(id);
    if (keyOnly && !data.key_event) {  // "Key events only": a post that is not one goes
      if (pending.delete(id)) showPill();
      if (el) keep(() => el.remove(), id);
      return;
    }
    if (keyOnly && !el && !pending.has(id)) kind = 'post.published';  // newly a key event
    if (el) {
      const fresh = build(data);
      if (fresh) keep(() => el.replaceWith(fresh));
      return;
    }
    if (pending.has(id)) {
      pending.set(id, data);
      return;
    }
    if (kind !== 'post.published') return;  // not on this page: nothing to show
    if (doc.hidden) setUnseen(unseen + 1);
    pending.set(id, data);
    if (front && atTop()) flush();
    else showPill();
  };
  const removePost = (id) => {
    deleted.add(id);
    if (pending.delete(id)) showPill();
    touch(new Date().toISOString());
    keep(() => {
      ['post-', 'pinned-'].forEach((p) => {
        const el = doc.getElementById(p + id);
        if (el) el.remove();
      });
      if (!$('article.post', pinned)) pinned.hidden = true;
      const list = keyList();
      const li = list && $('li[data-id="' + id + '"]', list);
      if (li) dropKey(li);
    }, id);
  };
  const setText = (sel, text) => {
    const el = $(sel, live);
    if (el) el.textContent = text;
  };
  const retitle = (title) => {
    const old = $('.blog__title', live).textContent;
    if (!title || title === old) return;
    setText('.blog__title', title);
    baseTitle = baseTitle.replace(old, title);
    setUnseen(unseen);
  };
  // Ending: the closing post (on this page, or waiting behind the pill) moves up to lead the
  // page, above the recap. Reopening puts it back in its place in the stream.
  const leadWith = (id) => {
    if (!closing || !front || !id || deleted.has(id)) return;
    let el = doc.getElementById('post-' + id);
    if (el && !stream.contains(el)) el = closing.contains(el) ? el : null;
    if (!el && pending.has(id)) {
      el = build(pending.get(id));
      pending.delete(id);
      showPill();
    }
    if (!el) return;
    el.classList.remove('post--new');
    closing.replaceChildren(el);
    closing.hidden = false;
  };
  const backInStream = () => {
    const el = closing && $('article.post', closing);
    if (closing) closing.hidden = true;
    if (!el) return;
    const below = $$(':scope > article.post', stream)
      .find((a) => +a.dataset.position < +el.dataset.position);
    stream.insertBefore(el, below || null);
  };
  const blogEvent = (kind, data) => {
    if (data.updated_at) touch(data.updated_at);
    if (kind === 'blog.updated') {
      keep(() => {
        retitle(data.title);
        let sf = $('.blog__standfirst', live);
        if (data.description && !sf) {
          sf = doc.createElement('p');
          sf.className = 'blog__standfirst';
          $('.blog__title', live).after(sf);
        }
        if (sf && data.description) sf.textContent = data.description;
        else if (sf) sf.remove();
      });
      return;
    }
    const isEnded = kind === 'blog.ended';
    live.dataset.status = isEnded ? 'ended' : 'live';
    $$('.blog__status .badge', live).forEach((b) => {
      b.className = 'badge ' + (isEnded ? 'badge--ended' : 'badge--live');
      b.textContent = t(isEnded ? 'Ended' : 'Live');
    });
    keep(() => {
      doc.getElementById('ended-banner').hidden = !isEnded;
      controls.hidden = isEnded;
      if (isEnded) {
        retitle(data.title);
        leadWith(data.closing_post_id);
      } else {
        backInStream();
      }
    });
    ended = isEnded;
    if (isEnded) disconnect();
    else if (!source && !timer && window.EventSource) connect();
    status();
  };
  const apply = (kind, data) => {
    if (kind === 'reset') {
      location.reload();
    } else if (kind === 'post.deleted') {
      removePost(data.id);
    } else if (kind.startsWith('post.')) {
      postEvent(kind, data);
    } else if (kind.startsWith('blog.')) {
      blogEvent(kind, data);
    }
    refreshTimes();
  };
  const receive = (kind, data, seq) => {
    if (seq) {
      if (seq <= lastSeq) return;  // already applied (a replay after a reconnect)
      lastSeq = seq;
    }
    if (paused) {
      queue.push([kind, data]);
      status();
    } else {
      apply(kind, data);
    }
  };

  // ---- tab title, pause control and status line ----------------------------------------
  const setUnseen = (n) => {
    unseen = n;
    doc.title = n ? '(' + n + ') ' + baseTitle : baseTitle;
  };
  doc.addEventListener('visibilitychange', () => {
    if (!doc.hidden) setUnseen(0);
  });
  let link = 'connecting';
  const status = (value) => {
    if (value) link = value;
    let text = '';
    if (ended) text = '';
    else if (paused) {
      const n = queue.length;
      text = t('Paused') + (n ? ' · ' + (n === 1 ? t('1 update waiting') : t('{n} updates waiting', n)) : '');
    } else if (link === 'reconnecting') text = t('Reconnecting…');
    if (stateLine.textContent !== text) stateLine.textContent = text;
    live.dataset.link = link;
  };
  pauseBtn.addEventListener('click', () => {
    paused = !paused;
    pauseBtn.setAttribute('aria-pressed', String(paused));
    pauseBtn.textContent = t(paused ? 'Resume live updates' : 'Pause live updates');
    if (!paused) {
      queue.splice(0).forEach(([kind, data]) => apply(kind, data));
      if (front && atTop()) flush();
    }
    status();
  });
  controls.hidden = ended;

  // ---- the connection: SSE, reconnect with backoff, or polling -------------------------
  const KINDS = ['post.published', 'post.updated', 'post.deleted', 'post.pinned',
    'post.unpinned', 'blog.updated', 'blog.ended', 'blog.reopened'];
  let source = null;
  let timer = 0;
  let backoff = 1000;
  const base = '/blogs/' + encodeURIComponent(slug);
  const retryLater = (run) => {
    timer = setTimeout(() => {
      timer = 0;
      run();
    }, backoff + Math.random() * 500);
    backoff = Math.min(backoff * 2, 60000);
  };
  const disconnect = () => {
    if (!window.EventSource) return;  // polling stops by itself once the blog has ended
    if (source) source.close();
    source = null;
    clearTimeout(timer);
    timer = 0;
  };
  const connect = () => {
    const es = new EventSource(base + '/live?last_event_id=' + lastSeq);
    source = es;
    KINDS.forEach((kind) => es.addEventListener(kind, (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      receive(kind, data, parseInt(e.lastEventId, 10) || 0);
    }));
    es.addEventListener('reset', () => receive('reset', null, 0));
    es.onopen = () => {
      backoff = 1000;
      status('live');
    };
    es.onerror = () => {
      status('reconnecting');
      // CONNECTING: the browser retries by itself with Last-Event-ID. CLOSED: it gave up
      // (an HTTP error, say); reopen from the last seq we applied, backing off.
      if (es.readyState === 2 && source === es) {
        source = null;
        if (!ended) retryLater(connect);
      }
    };
  };
  const poll = () => {
    fetch(base + '/changes?since=' + lastSeq, { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((body) => {
        backoff = 1000;
        status('live');
        if (body.reset) {
          receive('reset', null, 0);
          return;
        }
        body.events.forEach((e) => receive(e.kind, e.data, e.seq));
        if (body.poll_after != null) pollAfter = body.poll_after;
        if (body.ended && !body.more) ended = true;
        if (ended) return status();  // an ended blog is not polled any more
        timer = setTimeout(() => {
          timer = 0;
          poll();
        }, pollAfter * 1000);
      })
      .catch(() => {
        status('reconnecting');
        retryLater(poll);
      });
  };
  const start = () => (window.EventSource ? connect() : window.fetch && poll());
  status();
  if (!ended) start();
})();
