/* The blog's status on the desk: end and reopen coverage. */
import { $, api } from './dom.js';
import { base, can, desk } from './context.js';

const set = (status) => {
  const ended = status === 'ended';
  $('#blog-badge').className = 'badge ' + (ended ? 'badge--ended' : 'badge--live');
  $('#blog-badge').textContent = ended ? 'Ended' : 'Live';
  $('#ended-note').hidden = !ended;
  if ($('#end-blog')) {
    $('#end-blog').hidden = ended;
    $('#reopen-blog').hidden = !ended;
  }
  if (can('publish')) $('#publish').disabled = ended;
};

export const createStatus = () => {
  if ($('#end-blog')) {
    $('#end-blog').addEventListener('click', () => {
      const composer = desk.composer;
      const body = composer.content();
      const closing = body.blocks.length > 0;
      const ask =
        'End this coverage? Readers will see it as ended.\n' +
        (closing
          ? 'What is in the composer is published as the closing post.'
          : 'Tip: write a closing post in the composer first.');
      if (!confirm(ask)) return;
      const was = composer.current();
      api(
        'POST',
        base + '/end',
        closing ? { closing_post: { headline: body.headline, blocks: body.blocks } } : undefined,
      ).then(() => {
        set('ended');
        if (!closing) return;
        if (was) api('DELETE', base + '/drafts/' + was.id).catch(() => {});
        composer.reset();
      }, composer.showError);
    });
    $('#reopen-blog').addEventListener('click', () =>
      api('POST', base + '/reopen').then(() => set('live'), desk.composer.showError),
    );
  }
  return { set };
};
