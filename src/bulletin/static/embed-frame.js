/* Bulletin embed, inside the frame: tells the host page how tall the content is.
 *
 * Loaded by /blogs/{slug}/embed next to reader.js. Whenever the content's height changes
 * (a post arrives, an image loads, the frame is resized) it posts
 * {type: "bulletin:height", slug, height} to window.parent; /static/embed.js on the host
 * page checks the sender and sizes the iframe. The height is no secret, so any parent may
 * read it. It also keeps the reader inside the widget: the "new updates" pill on an older
 * page goes to the embed's front page, and live-added permalinks open a new tab.
 */
(() => {
  'use strict';
  const doc = document;
  const live = doc.getElementById('live');
  const slug = live ? live.dataset.slug : '';
  const base = '/blogs/' + encodeURIComponent(slug) + '/embed';

  // reader.js sends an older page's pill to the full blog page; in the frame, go to the
  // embed's front page instead (capturing on document runs before the pill's own handler).
  doc.addEventListener('click', (e) => {
    const pill = e.target instanceof Element && e.target.closest('#new-pill');
    if (!pill || !live || live.dataset.front === 'true') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    location.href = base;
  }, true);

  // Links added live (posts, key events) open a new tab like the server-rendered ones.
  const newTab = (root) => {
    root.querySelectorAll('a[href]:not([target])').forEach((a) => {
      a.target = '_blank';
      if (!/\bnoopener\b/.test(a.rel)) a.rel = (a.rel + ' noopener').trim();
    });
  };
  if (live && window.MutationObserver) {
    new MutationObserver(() => newTab(live)).observe(live, { childList: true, subtree: true });
  }

  if (window.parent === window) return;  // opened on its own, not framed
  let sent = -1;
  const report = () => {
    const height = Math.ceil(doc.body.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({ type: 'bulletin:height', slug, height }, '*');
  };
  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(doc.body);
  } else {
    window.addEventListener('resize', report);
    setInterval(report, 1000);
  }
  window.addEventListener('load', report);
  report();
})();
