/* Small DOM and server helpers every desk module shares. */
export const doc = document;
export const $ = (sel, el) => (el || doc).querySelector(sel);
export const $$ = (sel, el) => Array.from((el || doc).querySelectorAll(sel));
export const csrf = ($('meta[name="csrf-token"]') || {}).content || '';

/** h('p', {class: 'x', text: 'hi', onclick: fn}, child…): an element, its attributes and children. */
export const h = (tag, props, ...kids) => {
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
export const button = (text, cls, onclick, props) =>
  h('button', { type: 'button', class: cls, text, onclick, ...props });
/** Parse HTML from our own server (already sanitised) into a fragment. */
export const fragment = (html) => Object.assign(doc.createElement('template'), { innerHTML: html }).content;
export const plain = (html) =>
  (fragment(html.replace(/<\/(p|li)>/g, '$& ')).textContent || '').replace(/\s+/g, ' ').trim();

/** One JSON request with the session cookie and the CSRF token; rejects with {status, field, body}. */
export const api = async (method, url, body, headers) => {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(url, init); // rejects (TypeError) when the network is down
  const data = await r.json().catch(() => null);
  if (r.ok) return data;
  const info = (data && data.error) || {};
  throw Object.assign(new Error(info.message || 'The server answered ' + r.status + '.'), {
    status: r.status,
    field: info.field || null,
    body: data,
  });
};
/** A failure worth retrying with the same request: no answer, or a gateway's. */
export const transient = (e) => !e.status || [502, 503, 504].includes(e.status);
export const uuid = () =>
  crypto.randomUUID
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export const localTime = (iso, tz, opts) => {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z');
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone: tz || undefined,
      hourCycle: 'h23',
      ...(opts || { dateStyle: 'medium', timeStyle: 'short' }),
    }).format(d);
  } catch (err) {
    return d.toLocaleString();
  }
};
export const SHORT = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
