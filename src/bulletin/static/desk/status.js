/* The blog's status on the desk: end coverage (through its dialog) and reopen it. */
import { $, api, plain } from './dom.js';
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

/** "End coverage…": a dialog that takes the closing post (the composer's copy, or its own
 * words), offers to retitle the blog "… — as it happened" and to unpin the recap; the server
 * applies all of it at once. Esc or Cancel closes it and nothing happens. */
const endDialog = () => {
  const dialog = $('#end-dialog');
  const useComposer = $('#end-use-composer');
  const own = $('#end-closing');
  const retitle = $('#end-retitle');
  const title = $('#end-title');
  const unpin = $('#end-unpin');
  const error = $('#end-error');
  const go = $('#end-go');
  let copy = null; // the composer's post when the dialog opened, if it had any
  const showOwn = () => ($('#end-own').hidden = !!copy && useComposer.checked);
  useComposer.addEventListener('change', () => {
    showOwn();
    if (!useComposer.checked) own.focus();
  });
  title.addEventListener('input', () => (retitle.checked = title.value.trim() !== ''));
  title.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') ev.preventDefault(); // a one-line field never ends the coverage
  });
  $('#end-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const back = $('#end-blog').hidden ? $('#reopen-blog') : $('#end-blog');
    back.focus();
  });
  const postOf = (article) => {
    const headline = $('.post__headline', article);
    const body = $('.post__body', article);
    return { headline: headline ? headline.textContent : '', blocks: [{ html: body ? body.innerHTML : '' }] };
  };
  const open = () => {
    const body = desk.composer.content();
    copy = body.blocks.length ? { headline: body.headline, blocks: body.blocks } : null;
    $('#end-from-composer').hidden = !copy;
    useComposer.checked = !!copy;
    $('#end-composer-copy').textContent = copy ? excerpt(copy, 280) : '';
    showOwn();
    const current = $('#blog-head h1').textContent.trim();
    title.value = current.endsWith(AS_IT_HAPPENED) ? current : current + AS_IT_HAPPENED;
    retitle.checked = false;
    const recap = $('#pinned article.post');
    $('#end-unpin-group').hidden = !recap;
    unpin.checked = false;
    $('#end-recap-name').textContent = recap ? '(“' + excerpt(postOf(recap), 70) + '”)' : '';
    error.hidden = true;
    go.disabled = false;
    dialog.showModal();
    (copy ? useComposer : own).focus();
  };
  $('#end-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fromComposer = !!copy && useComposer.checked;
    const body = {};
    if (fromComposer) body.closing_post = copy;
    else if (own.value.trim()) body.closing_post = { blocks: [textBlock(own.value)] };
    if (retitle.checked) body.title = title.value;
    if (!$('#end-unpin-group').hidden && unpin.checked) body.unpin = true;
    const was = desk.composer.current();
    go.disabled = true;
    error.hidden = true;
    api('POST', base + '/end', body).then(
      (blog) => {
        set('ended', blog);
        own.value = '';
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
  return open;
};

export const createStatus = () => {
  if ($('#end-blog')) {
    $('#end-blog').addEventListener('click', endDialog());
    $('#reopen-blog').addEventListener('click', () =>
      api('POST', base + '/reopen').then((blog) => set('live', blog), desk.composer.showError),
    );
  }
  return { set };
};
