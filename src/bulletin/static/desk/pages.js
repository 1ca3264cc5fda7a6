/* The small newsroom pages: forms that talk JSON (new blog, invite, token), copy buttons,
 * team roles and API tokens. */
import { $, $$, api, doc, h, localTime } from './dom.js';

$$('time[data-local]').forEach((t) => {
  const zone = t.closest('[data-timezone]');
  t.title = t.getAttribute('datetime');
  t.textContent = localTime(t.getAttribute('datetime'), zone && zone.dataset.timezone);
});

const FORM_DONE = {
  'new-blog-form': (blog) => {
    location.href = '/blogs/' + encodeURIComponent(blog.slug) + '/edit';
  },
  'invite-form': (res) => {
    $('#invite-result').hidden = false;
    $('[data-invite-name]').textContent = res.name + ' (' + res.role + ')';
    $('#invite-url').value = res.invite_url || 'Already has an account: the new role applies at once.';
    $('.copy button', $('#invite-result')).hidden = !res.invite_url;
  },
  'token-form': (res) => {
    $('#token-result').hidden = false;
    $('#token-value').value = res.token;
    $$('#tokens .table__empty').forEach((el) => el.remove());
    $('#tokens tbody').append(
      h(
        'tr',
        {},
        h('td', { text: res.label }),
        h('td', { text: 'just now' }),
        h('td', {}, h('span', { class: 'pill pill--ok', text: 'Active' })),
        h('td'),
      ),
    );
  },
};
$$('form[data-api]').forEach((form) =>
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = {};
    new FormData(form).forEach((v, k) => {
      if (String(v).trim()) body[k] = String(v).trim();
    });
    const submit = $('button[type="submit"]', form);
    const box = $('[data-error]', form);
    submit.disabled = true;
    $$('.is-invalid', form).forEach((el) => el.classList.remove('is-invalid'));
    api(form.dataset.method || 'POST', form.dataset.api, body)
      .then(
        (res) => {
          box.hidden = true;
          FORM_DONE[form.id](res);
          form.reset();
        },
        (e) => {
          box.hidden = false;
          box.textContent = e.status ? e.message : 'No connection: check the network and try again.';
          const input = e.field && form.elements.namedItem(e.field);
          if (input && input.classList) input.classList.add('is-invalid');
        },
      )
      .finally(() => {
        submit.disabled = false;
      });
  }),
);
doc.addEventListener('click', (ev) => {
  const copy = ev.target.closest('[data-copy]');
  if (!copy) return;
  const input = $(copy.dataset.copy);
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(() => {});
  copy.textContent = 'Copied';
});
const say = (text) => {
  $('#team-status').textContent = text;
};
const member = (name) =>
  '/api/v1/blogs/' + encodeURIComponent(location.pathname.split('/')[2]) + '/members/' + encodeURIComponent(name);
$$('select[data-role-for]').forEach((sel) =>
  sel.addEventListener('change', () => {
    const name = sel.dataset.roleFor;
    api('PUT', member(name), { role: sel.value }).then(
      () => say(name + ' is now ' + sel.value + '.'),
      (e) => say(e.message),
    );
  }),
);
$$('[data-remove]').forEach((btn) =>
  btn.addEventListener('click', () => {
    const name = btn.dataset.remove;
    if (!confirm('Remove ' + name + ' from this blog?')) return;
    api('DELETE', member(name)).then(
      () => {
        btn.closest('tr').remove();
        say(name + ' was removed.');
      },
      (e) => say(e.message),
    );
  }),
);
$$('[data-revoke]').forEach((btn) =>
  btn.addEventListener('click', () => {
    if (!confirm('Revoke this token? Scripts using it stop working at once.')) return;
    api('DELETE', '/api/v1/tokens/' + btn.dataset.revoke).then(
      () => {
        btn
          .closest('tr')
          .children[2].replaceChildren(h('span', { class: 'pill pill--muted', text: 'Revoked just now' }));
        btn.remove();
      },
      (e) => alert(e.message),
    );
  }),
);
