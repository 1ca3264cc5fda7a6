/* Two versions side by side: the other person's (now stored) and mine; the person picks. */
import { $$, api, button, fragment, h, plain } from './dom.js';
import { base } from './context.js';

export const conflict = (anchor, current, mine, choose) => {
  $$(':scope > .conflict', anchor.parentNode).forEach((el) => el.remove());
  const yours = h('div', { class: 'conflict__post', text: 'Rendering…' });
  const pick = (fn) => () => {
    box.remove();
    fn(current);
  };
  const box = h(
    'div',
    { class: 'conflict', role: 'alert' },
    h(
      'p',
      { class: 'conflict__title' },
      h('strong', { text: 'Someone else changed this while you were editing.' }),
      ' Nothing was overwritten. Choose which version to keep.',
    ),
    h(
      'div',
      { class: 'conflict__cols' },
      h(
        'section',
        {},
        h('h3', { text: 'Theirs · version ' + current.version + ' · ' + current.author.name }),
        h('div', { class: 'conflict__post' }, fragment(current.html)),
      ),
      h('section', {}, h('h3', { text: 'Yours · not saved' }), yours),
    ),
    h(
      'div',
      { class: 'conflict__actions' },
      button('Take theirs', 'btn', pick(choose.theirs)),
      button('Overwrite with mine', 'btn btn--primary', pick(choose.mine)),
    ),
  );
  anchor.after(box);
  api('POST', base + '/preview', { headline: mine.headline, blocks: mine.blocks }).then(
    (res) => yours.replaceChildren(fragment(res.html)),
    () => {
      yours.textContent = mine.blocks.map((b) => plain(b.html || b.text || b.url || '')).join(' · ');
    },
  );
};
