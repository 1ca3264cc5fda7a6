/* Bulletin embed for other sites. Paste where the live blog should appear:
 *   <script src="https://HOST/static/embed.js" data-blog="SLUG" async></script>
 * It puts the blog's embed page in an iframe right after the script and sizes the frame to
 * its content, trusting height messages only from that frame on the Bulletin origin.
 * Any number of widgets may share a page.
 */
(() => {
  'use strict';
  const MAX_HEIGHT = 100000;
  const mine = /\/static\/embed\.js(?:[?#]|$)/;
  const scripts = document.currentScript && document.currentScript.hasAttribute('data-blog')
    ? [document.currentScript]
    : Array.from(document.querySelectorAll('script[data-blog]'))
        .filter((s) => mine.test(s.src));
  const frames = [];

  scripts.forEach((script) => {
    if (script.hasAttribute('data-bulletin-embedded')) return;
    const slug = (script.getAttribute('data-blog') || '').trim();
    let origin;
    try {
      origin = new URL(script.src, location.href).origin;
    } catch (err) {
      return;
    }
    if (!slug || origin === 'null') return;
    script.setAttribute('data-bulletin-embedded', '');
    const iframe = document.createElement('iframe');
    iframe.src = origin + '/blogs/' + encodeURIComponent(slug) + '/embed';
    iframe.title = script.getAttribute('data-title') || 'Live coverage';
    iframe.loading = 'lazy';
    iframe.setAttribute('style', 'width:100%;border:0');
    script.after(iframe);
    frames.push({ iframe, origin });
  });
  if (!frames.length) return;

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'bulletin:height') return;
    const height = data.height;
    if (typeof height !== 'number' || !isFinite(height) || height < 0) return;
    const frame = event.source && frames.find((f) => event.source === f.iframe.contentWindow &&
      event.origin === f.origin);
    if (!frame) return;
    frame.iframe.style.height = Math.ceil(Math.min(height, MAX_HEIGHT)) + 'px';
  });
})();
