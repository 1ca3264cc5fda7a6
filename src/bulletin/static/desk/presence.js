/* Who is editing what: tell the others, show the others. */
import { $$, api, csrf } from './dom.js';
import { base } from './context.js';

export const presence = new Map(); // post id → Map(user id → {name, until})
/** "I am editing post id" every 10 s; returns a function that stops it. */
export const beat = (id) => {
  const url = base + '/posts/' + id + '/editing';
  const tell = () => api('PUT', url).catch(() => {});
  const timer = setInterval(tell, 10000);
  tell();
  return () => {
    clearInterval(timer);
    fetch(url, {
      method: 'DELETE',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'X-CSRF-Token': csrf },
    }).catch(() => {});
  };
};
export const showPresence = () => {
  const now = Date.now();
  $$('[data-presence]').forEach((el) => {
    const who = presence.get(+el.closest('[data-id]').dataset.id);
    const names = who
      ? Array.from(who.values())
          .filter((p) => p.until > now)
          .map((p) => p.name)
      : [];
    el.hidden = !names.length;
    el.textContent = names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' editing…';
  });
};
setInterval(showPresence, 5000);
