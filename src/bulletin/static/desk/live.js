/* The desk's live connection: the same public stream readers get, resumed from the last seq. */
import { $ } from './dom.js';
import { cfg, desk } from './context.js';

let lastSeq = cfg.lastSeq;
let backoff = 1000;
export const connect = () => {
  const es = new EventSource('/blogs/' + encodeURIComponent(cfg.slug) + '/live?last_event_id=' + lastSeq);
  const on = (kind, fn) =>
    es.addEventListener(kind, (e) => {
      const seq = parseInt(e.lastEventId, 10) || 0;
      if (seq && seq <= lastSeq) return;
      lastSeq = seq || lastSeq;
      fn(JSON.parse(e.data));
    });
  ['post.published', 'post.updated', 'post.pinned', 'post.unpinned'].forEach((k) =>
    on(k, (d) => desk.stream.upsert(d, k === 'post.published')),
  );
  on('post.deleted', (d) => desk.stream.remove(d.id));
  on('blog.ended', () => desk.status.set('ended'));
  on('blog.reopened', () => desk.status.set('live'));
  es.addEventListener('reset', () => desk.composer.flush().then(() => location.reload()));
  es.onopen = () => {
    backoff = 1000;
    $('#link-state').textContent = '· connected';
  };
  es.onerror = () => {
    $('#link-state').textContent = '· reconnecting…';
    if (es.readyState !== 2) return; // the browser reconnects by itself, with Last-Event-ID
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 30000);
  };
};
