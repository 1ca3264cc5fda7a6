/* Labelled fields with a character count. A field is never cut short: past its limit the
 * count turns red and says by how much, and publishing is refused with that message. The
 * limits are the server's (domain/blocks.py, domain/post.py). */
import { $$, h } from './dom.js';

export const LIMITS = {
  headline: 300,
  speaker: 300,
  credit: 300,
  title: 300,
  site: 300,
  context: 1000,
  caption: 1000,
  alt: 1000,
  description: 1000,
  text: 5000,
};
const length = (value) => Array.from(value.trim()).length; // code points, as the server counts

const recount = (input) => {
  const limit = +input.dataset.limit;
  const count = input.parentNode.querySelector('.fld__count');
  if (!limit || !count) return;
  const n = length(input.value);
  const over = n - limit;
  count.hidden = n < limit * 0.8;
  count.textContent = over > 0 ? n + ' / ' + limit + ' · ' + over + ' too many' : n + ' / ' + limit;
  count.classList.toggle('is-over', over > 0);
  input.toggleAttribute('aria-invalid', over > 0);
};

/** A labelled input (or textarea) for `key`: {wrap, input}. */
export const field = (key, label, type, onInput, extra) => {
  const input = h(type === 'textarea' ? 'textarea' : 'input', {
    type: type === 'textarea' ? null : type || 'text',
    rows: type === 'textarea' ? (key === 'text' ? 3 : 2) : null,
    'data-key': key,
    'data-limit': LIMITS[key] || null,
    ...extra,
  });
  const wrap = h(
    'label',
    { class: 'fld fld--' + key },
    h('span', { class: 'fld__label', text: label }),
    input,
    LIMITS[key] ? h('span', { class: 'fld__count', hidden: true }) : null,
  );
  input.addEventListener('input', () => {
    recount(input);
    onInput();
  });
  return { wrap, input };
};

/** Count again after the value was set by code. */
export const recountAll = (root) => $$('[data-limit]', root).forEach(recount);

/** The first field past its limit, as an error the editor can show: {el, message} or null. */
export const overLimit = (root) => {
  const el = $$('[data-limit]', root).find((i) => length(i.value) > +i.dataset.limit);
  if (!el) return null;
  const label = el
    .closest('.fld')
    .querySelector('.fld__label')
    .textContent.replace(/\s*\(.*$/, '');
  const over = length(el.value) - +el.dataset.limit;
  return {
    el,
    message:
      label +
      ' is ' +
      over +
      ' character' +
      (over > 1 ? 's' : '') +
      ' too long: ' +
      el.dataset.limit +
      ' at most. Shorten it; nothing was cut.',
  };
};
