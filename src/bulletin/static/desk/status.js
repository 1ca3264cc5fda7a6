/* The blog's status on the desk: end coverage (through its dialog) and reopen it. */
import { $, api, doc, plain } from './dom.js';
import { base, can, desk } from './context.js';

const AS_IT_HAPPENED = ' — as it happened';

const set = (status, blog) => {
  const ended = status === 'ended';
  $('#blog-badge').className = 'badge ' + (ended ? 'badge--ended' : 'badge--live');
  $('#blog-badge').textContent = ended ? 'Ended' : 'Live';
  $('#ended-note').hidden = !ended;
  if (blog && blog.title) $('#blog-head h1').textContent = blog.title;
  if ($('#end-blog')) {
    $('#end-blog').hidden = ended;
    $('#reopen-blog').hidden = !ended;
  }
  if (can('publish')) $('#publish').disabled = ended;
};

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Typed closing words as a text block: blank lines part paragraphs, a line break stays one. */
const textBlock = (text) => ({
  kind: 'text',
  html: text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => '<p>' + escape(p).replace(/\n/g, '<br>') + '</p>')
    .join(''),
});
const excerpt = (post, max) => {
  const words = [post.headline, ...post.blocks.map((b) => plain(b.html || '') || b.text || b.caption || b.title || '')]
    .filter(Boolean)
    .join(' — ');
  return words.length > max ? words.slice(0, max - 1) + '…' : words;
};

const postOf = (article) => {
  const headline = $('.post__headline', article);
  const body = $('.post__body', article);
  return { headline: headline ? headline.textContent : '', blocks: [{ html: body ? body.innerHTML : '' }] };
};

/** "End coverage…": a dialog that takes the closing post (the composer's copy, or its own
 * words), offers to retitle the blog "… — as it happened" and to unpin the recap; the server
 * applies all of it at once. Esc or Cancel closes it and nothing happens. The dialog is made
 * from its template each time it opens and removed when it closes. */
const openEndDialog = () => {
  const dialog = $('#tpl-end-dialog').content.firstElementChild.cloneNode(true);
  doc.body.append(dialog);
  const q = (sel) => $(sel, dialog);
  const useComposer = q('#end-use-composer');
  const own = q('#end-closing');
  const retitle = q('#end-retitle');
  const title = q('#end-title');
  const unpin = q('#end-unpin');
  const unpinGroup = q('#end-unpin-group');
  const error = q('#end-error');
  const go = q('#end-go');
  const body = desk.composer.content();
  const copy = body.blocks.length ? { headline: body.headline, blocks: body.blocks } : null;
  const showOwn = () => (q('#end-own').hidden = !!copy && useComposer.checked);
  q('#end-from-composer').hidden = !copy;
  useComposer.checked = !!copy;
  q('#end-composer-copy').textContent = copy ? excerpt(copy, 280) : '';
  showOwn();
  const current = $('#blog-head h1').textContent.trim();
  title.value = current.endsWith(AS_IT_HAPPENED) ? current : current + AS_IT_HAPPENED;
  const recap = $('#pinned article.post');
  unpinGroup.hidden = !recap;
  q('#end-recap-name').textContent = recap ? '(“' + excerpt(postOf(recap), 70) + '”)' : '';

  useComposer.addEventListener('change', () => {
    showOwn();
    if (!useComposer.checked) own.focus();
  });
  title.addEventListener('input', () => (retitle.checked = title.value.trim() !== ''));
  title.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') ev.preventDefault(); // a one-line field never ends the coverage
  });
  q('#end-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    ($('#end-blog').hidden ? $('#reopen-blog') : $('#end-blog')).focus();
  });
  q('#end-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fromComposer = !!copy && useComposer.checked;
    const request = {};
    if (fromComposer) request.closing_post = copy;
    else if (own.value.trim()) request.closing_post = { blocks: [textBlock(own.value)] };
    if (retitle.checked) request.title = title.value;
    if (!unpinGroup.hidden && unpin.checked) request.unpin = true;
    const was = desk.composer.current();
    go.disabled = true;
    error.hidden = true;
    api('POST', base + '/end', request).then(
      (blog) => {
        set('ended', blog);
        dialog.close();
        if (!fromComposer) return;
        if (was) api('DELETE', base + '/drafts/' + was.id).catch(() => {});
        desk.composer.reset();
      },
      (e) => {
        go.disabled = false;
        error.textContent = e.status ? e.message : 'No connection: the coverage has not ended. Try again.';
        error.hidden = false;
        if (e.field === 'title') title.focus();
      },
    );
  });
  dialog.showModal();
  (copy ? useComposer : own).focus();
};

export const createStatus = () => {
  if ($('#end-blog')) {
    $('#end-blog').addEventListener('click', openEndDialog);
    $('#reopen-blog').addEventListener('click', () =>
      api('POST', base + '/reopen').then((blog) => set('live', blog), desk.composer.showError),
    );
  }
  return { set };
};
