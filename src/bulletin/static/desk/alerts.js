/* Desk alerts. An editor working in another tab learns from the tab title that something
 * entered the approval queue — "(2) Approval queue · …" until they come back — and, if they
 * switch it on, from a short tone (made with WebAudio: nothing to download). A contributor
 * sees "Your post is live" when an editor approves what they submitted. queue.js hands every
 * newsroom event to seen(). */
import { $, button, doc, h, plain } from './dom.js';
import { can, cfg, me } from './context.js';

const SOUND = 'bulletin:sound-on-submissions';

/** A short two-note chime; quiet, a third of a second. */
const chime = (ctx) => {
  const t = ctx.currentTime;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.setValueAtTime(880, t);
  osc.frequency.setValueAtTime(660, t + 0.14);
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.32);
  osc.connect(gain).connect(ctx.destination);
  osc.start(t);
  osc.stop(t + 0.34);
};

const remembered = () => {
  try {
    return localStorage.getItem(SOUND) === 'on';
  } catch (err) {
    return false;
  }
};

export const createAlerts = (section = $('#queue')) => {
  const editor = can('approve');
  const base = doc.title;
  let waiting = 0; // submissions the editor has not seen yet
  let live = ''; // the contributor's post that went live, until they see it
  let focused = doc.hasFocus();
  let audio = null;
  let clearLive = 0;
  const away = () => doc.visibilityState === 'hidden' || !focused;
  const title = () => {
    if (waiting) doc.title = '(' + waiting + ') Approval queue · ' + base;
    else if (live) doc.title = 'Your post is live · ' + base;
    else doc.title = base;
  };
  const seenNow = () => {
    if (away()) return;
    waiting = 0;
    // a visible tab keeps "Your post is live" in its title a little while, then tidies up
    clearTimeout(clearLive);
    if (live) clearLive = setTimeout(() => ((live = ''), title()), 15000);
    title();
  };
  window.addEventListener('focus', () => {
    focused = true;
    seenNow();
  });
  window.addEventListener('blur', () => {
    focused = false;
  });
  doc.addEventListener('visibilitychange', seenNow);

  // the status line: polite, so a screen reader says it when the person is not busy
  const status = h('div', { class: 'desk-alert', role: 'status' });
  section.insertBefore(status, $('.queue__list', section));

  let sound = null;
  if (editor) {
    sound = h('input', { type: 'checkbox', id: 'alert-sound' });
    sound.checked = remembered();
    const wake = () => {
      if (!audio) {
        const Ctx = window.AudioContext || window.webkitAudioContext;
        if (!Ctx) return null;
        audio = new Ctx();
      }
      if (audio.state === 'suspended') audio.resume().catch(() => {});
      return audio;
    };
    sound.addEventListener('change', () => {
      try {
        localStorage.setItem(SOUND, sound.checked ? 'on' : 'off');
      } catch (err) {
        /* private mode: on for this page only */
      }
      if (sound.checked && wake()) chime(audio); // what it will sound like
    });
    // browsers start sound only after a gesture: the first click or key on the page will do
    const first = () => sound.checked && wake();
    doc.addEventListener('pointerdown', first, { once: true });
    doc.addEventListener('keydown', first, { once: true });
    section.insertBefore(
      h(
        'label',
        { class: 'toggle queue__sound' },
        sound,
        h('span', { class: 'toggle__ui', 'aria-hidden': 'true' }),
        'Sound on new submissions',
      ),
      status,
    );
    sound.ring = () => sound.checked && wake() && chime(audio);
  }

  const say = (...kids) => status.replaceChildren(h('p', { class: 'desk-alert__text' }, ...kids));
  const what = (d) => {
    const text = d.headline || plain(d.html || '');
    return text.length > 80 ? text.slice(0, 79) + '…' : text;
  };

  /** One event of the newsroom feed. */
  const seen = (kind, d) => {
    if (!d || !d.author) return;
    if (editor && kind === 'post.submitted' && d.author.id !== me.id) {
      if (away()) waiting += 1;
      title();
      say('New in the queue: ', h('strong', { text: d.author.name }), ' sent “' + what(d) + '” for approval.');
      if (sound) sound.ring();
    } else if (kind === 'post.approved' && d.author.id === me.id && (d.by || '') !== me.name) {
      live = what(d);
      title();
      seenNow();
      say(
        h('strong', { text: 'Your post is live' }),
        ': “' + live + '”' + (d.by && d.by !== 'scheduler' ? ', approved by ' + d.by : '') + '. ',
        h('a', { href: '/blogs/' + encodeURIComponent(cfg.slug) + '/posts/' + d.id, text: 'See it as readers do' }),
        ' ',
        button('Dismiss', 'link-btn desk-alert__close', () => status.replaceChildren()),
      );
    }
  };
  return { seen };
};
