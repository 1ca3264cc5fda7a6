/* The composer: the state line, drafts that autosave, publishing and scheduling.
 *
 * Publishing hands the copy to the outbox (outbox.js) and empties the composer at once, so the
 * next update can be written while this one travels and nothing typed meanwhile is touched.
 * Drafts autosave; the draft's id (and any edit not yet saved) stays in localStorage, so a
 * closed tab loses nothing. */
import { $, SHORT, api, doc, fragment, h, localTime, transient, uuid } from './dom.js';
import { BlockEditor } from './blocks.js';
import { base, can, cfg, desk, me } from './context.js';
import { conflict } from './conflict.js';
import { beat } from './presence.js';
import { createOutbox, writeDraft } from './outbox.js';

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
  // Which post the composer holds: bumped whenever its copy goes to the outbox or another
  // post is loaded, so a draft save still under way for the old one never lands in the new one.
  let gen = 0;
  const handed = new Map(); // gen → the newest save of a draft whose copy is in the outbox
  let saveTimer = 0,
    previewTimer = 0,
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
  const isEmpty = () => {
    const body = content();
    return !body.headline && !body.blocks.length;
  };
  const save = async () => {
    // create or update the draft with what is in the composer
    clearTimeout(saveTimer);
    if (draft && !dirty) return draft;
    const body = content();
    if (!draft && !body.headline && !body.blocks.length) return null;
    const g = gen;
    dirty = false;
    try {
      const post = await writeDraft(draft, body);
      if (g !== gen) return handed.set(g, post) && post; // its copy went on meanwhile
      adopt(post);
      return post;
    } catch (e) {
      if (g === gen) {
        dirty = true;
        remember();
      }
      throw e;
    }
  };
  const autosave = () =>
    serial(save).then(
      (post) => post && setState('saved'),
      (e) => {
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
  // The composer's copy goes to the outbox: the composer is a new post at once.
  const detach = () => {
    const item = {
      key: uuid(), // one Idempotency-Key for this post, the same on every retry
      body: content(),
      pin: !!(pinBox && pinBox.checked),
      draft,
      dirty,
      gen,
      contributor: !can('publish'),
    };
    gen += 1;
    reset();
    return item;
  };
  const refuse = (e) => {
    setState('invalid');
    if (e.el) editor.flag(e.el, e.message);
    else showError(e);
  };
  /** Publish (editors) or submit for approval (contributors): Ctrl/Cmd+Enter or the button. */
  const send = () => {
    clearTimeout(saveTimer);
    showError(null);
    if (!content().blocks.length)
      return refuse({ field: 'blocks', message: 'Add some content first: a post needs at least one block.' });
    if (editor.uploading())
      return refuse({ field: 'blocks', message: 'A photo is still uploading: publish once it is done.' });
    const problem = editor.problem();
    if (problem) return refuse(problem);
    const typing = form.contains(doc.activeElement) || doc.activeElement === doc.body;
    outbox.add(detach());
    if (typing) editor.focusBody();
  };
  /** A post the server refused comes back into the composer, with the message beside its field.
   * What the composer held is saved as a draft first (it stays in the queue). */
  const takeBack = async (item, error) => {
    if (!isEmpty()) {
      await serial(save);
      gen += 1;
      reset();
    }
    gen += 1;
    const saved = handed.get(item.gen) || item.draft;
    editor.set(item.body);
    if (keyBox) keyBox.checked = !!item.body.key_event;
    if (pinBox) pinBox.checked = item.pin;
    if (saved) {
      adopt(saved);
      stopDraftBeat = beat(saved.id);
    }
    changed();
    preview();
    refuse(error);
  };
  const outbox = createOutbox({ serial, handed, setState, takeBack, isEmpty });
  stateEl.addEventListener('click', () => outbox.retryNow());
  form.addEventListener('submit', (ev) => ev.preventDefault()); // Enter in a field never publishes
  $('#publish').addEventListener('click', () => send());
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
      gen += 1;
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
      gen += 1;
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
    outbox.resume();
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
