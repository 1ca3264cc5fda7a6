/* The composer: the state line, drafts that autosave, publishing and scheduling.
 *
 * Publishing carries an Idempotency-Key and is retried with the SAME key while the network is
 * down, so a flaky connection never posts twice. Drafts autosave; the draft's id (and any edit
 * not yet saved) stays in localStorage, so a closed tab loses nothing. */
import { $, SHORT, api, fragment, h, localTime, transient, uuid } from './dom.js';
import { BlockEditor } from './blocks.js';
import { base, can, cfg, desk, me } from './context.js';
import { conflict } from './conflict.js';
import { beat } from './presence.js';

const STORE = 'bulletin:draft:' + cfg.slug;

export const createComposer = () => {
  const [form, stateEl, errorBox, keyBox, pinBox] = [
    '#compose',
    '#state',
    '#compose-error',
    '#flag-key',
    '#flag-pin',
  ].map((s) => $(s));
  let draft = null; // {id, version, status, author} of the draft in the composer
  let dirty = false; // edits not yet saved to the draft
  let busy = false; // a publish / submit is under way
  let saveTimer = 0,
    previewTimer = 0,
    retryNow = null,
    stopDraftBeat = null,
    chain = Promise.resolve();
  const serial = (fn) => (chain = chain.catch(() => {}).then(fn)); // one draft write at a time
  const STATES = {
    saved: 'Saved draft',
    sending: 'Sending…',
    live: 'Live ✓',
    failed: 'Failed — retry',
    submitted: 'Sent for approval ✓',
    scheduled: 'Scheduled ✓',
    unsaved: 'Draft not saved',
    invalid: 'Not sent — see the message',
  };
  const setState = (state, extra) => {
    stateEl.dataset.state = state;
    stateEl.textContent = (STATES[state] || '') + (extra ? ' · ' + extra : '');
  };
  stateEl.addEventListener('click', () => retryNow && retryNow());
  const editor = BlockEditor($('#compose-editor'), () => changed(), cfg.slug);
  const content = () => ({ ...editor.value(), key_event: keyBox ? keyBox.checked : false });
  const remember = () =>
    localStorage.setItem(STORE, JSON.stringify({ id: draft && draft.id, unsaved: dirty ? content() : null }));
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
      return out.replaceChildren(
        h('p', {
          class: 'preview__empty',
          text: 'Start writing: your post appears here exactly as it will on the reader page.',
        }),
      );
    }
    api('POST', base + '/preview', body).then(
      (res) => out.replaceChildren(fragment(res.html)),
      (e) =>
        out.replaceChildren(
          h('p', { class: 'preview__error', text: e.status ? e.message : 'The preview needs a connection.' }),
        ),
    );
  };
  const adopt = (post) => {
    // the composer now holds this draft (or submitted / scheduled post)
    draft = { id: post.id, version: post.version, status: post.status, author: post.author };
    remember();
    $('#compose-mode').textContent =
      (post.author.id === me.id ? 'Your draft' : post.author.name + '’s post') +
      ({ submitted: ' · waiting for approval', scheduled: ' · scheduled' }[post.status] || '');
    $('#compose-clear').hidden = false;
    $('#review-note').hidden = !post.review_note;
    $('#review-note').textContent = 'Sent back: ' + (post.review_note || '');
    desk.queue.render();
  };
  const save = async () => {
    // create or update the draft with what is in the composer
    clearTimeout(saveTimer);
    if (draft && !dirty) return draft;
    const body = content();
    if (!draft && !body.headline && !body.blocks.length) return null;
    dirty = false;
    try {
      const post = await (draft
        ? api('PATCH', base + '/drafts/' + draft.id, body, { 'If-Match': '"' + draft.version + '"' })
        : api('POST', base + '/drafts', body));
      adopt(post);
      return post;
    } catch (e) {
      dirty = true;
      remember();
      throw e;
    }
  };
  const autosave = () =>
    serial(save).then(
      (post) => post && !busy && setState('saved'),
      (e) => {
        if (busy) return;
        if (e.status === 409 && e.body && e.body.current) {
          return conflict(form, e.body.current, content(), {
            theirs: (cur) => {
              dirty = false;
              editor.set(cur);
              adopt(cur);
              setState('saved');
            },
            mine: (cur) => {
              draft.version = cur.version;
              autosave();
            },
          });
        }
        setState('unsaved', transient(e) ? 'offline, kept on this device' : '');
        if (transient(e)) saveTimer = setTimeout(autosave, 5000);
        else showError(e);
      },
    );
  const withRetry = (fn) =>
    new Promise((resolve, reject) => {
      // the same request until it gets an answer
      let attempt = 0;
      let delay = 1000;
      const run = () =>
        fn(attempt++).then(resolve, (e) => {
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
          setState(
            'failed',
            navigator.onLine === false ? 'offline, sends when back online' : 'retrying in ' + delay / 1000 + ' s',
          );
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
    desk.queue.render();
  };
  const send = async () => {
    // Publish (editors) or Submit for approval (contributors)
    if (busy) return;
    clearTimeout(saveTimer);
    showError(null);
    const body = content();
    if (!body.blocks.length)
      return showError({ field: 'blocks', message: 'Add some content first: a post needs at least one block.' });
    if (editor.uploading())
      return showError({ field: 'blocks', message: 'A photo is still uploading: publish once it is done.' });
    busy = true;
    setState('sending');
    const key = uuid(); // one key for this post, the same on every retry
    const pin = !!(pinBox && pinBox.checked);
    try {
      if (!can('publish')) {
        await withRetry(() => serial(save));
        desk.queue.put(await withRetry(() => api('POST', base + '/drafts/' + draft.id + '/submit')));
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
            return (
              live ||
              api('POST', base + '/drafts/' + id + '/approve', pin ? { pinned: true } : undefined, {
                'If-Match': '"' + version + '"',
              })
            );
          });
        } else {
          post = await withRetry(() =>
            api('POST', base + '/posts', { ...body, pinned: pin }, { 'Idempotency-Key': key }),
          );
        }
        reset();
        desk.queue.drop(post.id);
        desk.stream.upsert(post, true);
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
  $('#compose-clear').addEventListener('click', () =>
    serial(save)
      .catch(() => {})
      .then(() => {
        reset();
        setState('idle');
        editor.focus();
      }),
  );
  const toIso = (local) => {
    // "2026-11-25T14:00" in this browser's time zone → ISO with its offset
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
        if (!saved)
          throw Object.assign(new Error('Write the post before scheduling it.'), { field: 'blocks', status: 400 });
        const post = await api('PUT', base + '/drafts/' + saved.id + '/schedule', { publish_at: toIso(when) });
        desk.queue.put(post);
        reset();
        $('#schedule').hidden = true;
        setState('scheduled', localTime(post.publish_at, cfg.timezone, SHORT));
      } catch (e) {
        setState(transient(e) ? 'failed' : 'invalid');
        showError(e);
      }
    });
  }

  /** Load a draft (or a submitted / scheduled post) into the composer, saving what is there first. */
  const load = (p) =>
    flush().then(() => {
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
  /** Follow the newsroom feed's news of the draft in the composer. */
  const follow = (kind, d) => {
    if (!draft || draft.id !== d.id) return;
    if (kind === 'post.approved' || kind === 'draft.discarded') {
      if (busy) return;
      reset();
      setState(
        kind === 'post.approved' ? 'live' : 'idle',
        kind === 'post.approved' ? 'published by ' + d.by : 'discarded',
      );
    } else if (
      d.status !== 'published' &&
      d.status !== 'deleted' &&
      kind !== 'draft.saved' &&
      d.version > draft.version
    ) {
      adopt(d); // submitted, sent back, scheduled: the content is unchanged, follow the new version
    }
  };
  /** Save what is in the composer now, whatever happens. */
  const flush = () => serial(save).catch(() => {});
  window.addEventListener('pagehide', () => {
    if (stopDraftBeat) stopDraftBeat();
    if (dirty) remember();
  });
  /** Bring back the draft this browser was writing. */
  const start = () => {
    let kept = null;
    try {
      kept = JSON.parse(localStorage.getItem(STORE) || 'null');
    } catch (err) {
      /* damaged: start afresh */
    }
    const restore = () => {
      if (!kept || !kept.unsaved) return localStorage.removeItem(STORE);
      editor.set(kept.unsaved);
      changed();
    };
    const known = kept && kept.id && desk.queue.items.get(kept.id);
    if (known) load(known).then(() => kept.unsaved && restore());
    else restore();
    if (!known && !(kept && kept.unsaved)) editor.set(null);
    preview();
  };
  return {
    editor,
    form,
    content,
    showError,
    setState,
    reset,
    send,
    load,
    follow,
    flush,
    start,
    current: () => draft,
  };
};
