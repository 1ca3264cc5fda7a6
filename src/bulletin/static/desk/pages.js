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
  'invite-form': async (res) => {
    say('');
    await refreshTeam();
    showLink(
      res.name,
      res.invite_url
        ? 'Send this link to ' +
            res.name +
            ' (' +
            res.role +
            '). It works once, until ' +
            expiry(res.invitation) +
            ', to set a password.'
        : res.name + ' already has an account: the ' + res.role + ' role applies at once.',
      res.invite_url,
    );
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

// ---- the team page: the list refreshes in place; pending invitations get a new link or are revoked
const team = $('#team');
const teamApi = team && '/api/v1/blogs/' + encodeURIComponent(team.dataset.blog);
const when = (iso) =>
  localTime(iso, team && team.dataset.timezone, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
/** An invitation's expiry as the refreshed team list prints it (the blog's zone, labelled). */
const expiry = (invitation) => {
  const shown = $$('#members tr[data-invitation="' + invitation.id + '"] time')[1];
  return shown ? shown.textContent : when(invitation.expires_at);
};
let linkFor = null; // whose link the box shows
const showLink = (name, text, url) => {
  linkFor = url ? name : null;
  $('#invite-result').hidden = false;
  $('#invite-note').textContent = text;
  $('#invite-url').value = url || '';
  $('.copy', $('#invite-result')).hidden = !url;
  $('[data-copy]', $('#invite-result')).textContent = 'Copy';
};
/** Re-read the team list from the server's page: one template renders every row. */
const refreshTeam = async () => {
  try {
    const r = await fetch(location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    const fresh = r.ok && new DOMParser().parseFromString(await r.text(), 'text/html').querySelector('#team-list');
    if (!fresh) throw new Error('no list');
    $('#team-list').replaceWith(fresh);
  } catch (err) {
    say('The team list could not be refreshed: reload the page to see the latest.');
  }
};
const member = (name) => teamApi + '/members/' + encodeURIComponent(name);
doc.addEventListener('change', (ev) => {
  const sel = ev.target.closest('select[data-role-for]');
  if (!sel) return;
  const name = sel.dataset.roleFor;
  api('PUT', member(name), { role: sel.value }).then(
    () => say(name + ' is now ' + sel.value + '.'),
    (e) => say(e.message),
  );
});
doc.addEventListener('click', (ev) => {
  const remove = ev.target.closest('[data-remove]');
  const reissue = ev.target.closest('[data-reissue]');
  const withdraw = ev.target.closest('[data-withdraw]');
  const btn = remove || reissue || withdraw;
  if (!btn) return;
  const name = btn.closest('tr').dataset.name;
  if (remove) {
    if (!confirm('Remove ' + name + ' from this blog?')) return;
    api('DELETE', member(name)).then(
      () => {
        btn.closest('tr').remove();
        say(name + ' was removed.');
      },
      (e) => say(e.message),
    );
  } else if (reissue) {
    btn.disabled = true;
    api('POST', teamApi + '/invites/' + reissue.dataset.reissue + '/reissue').then(
      async (res) => {
        const copied = await (navigator.clipboard
          ? navigator.clipboard.writeText(res.invite_url).then(
              () => true,
              () => false,
            )
          : Promise.resolve(false));
        await refreshTeam();
        showLink(
          name,
          'A new link for ' + name + ', valid until ' + expiry(res.invitation) + '. The previous link no longer works.',
          res.invite_url,
        );
        say(
          (copied ? 'A new link for ' + name + ' is copied' : 'A new link for ' + name + ' is ready below') +
            '. The previous link no longer works.',
        );
        $('#invite-url').focus();
        $('#invite-url').select();
      },
      (e) => {
        btn.disabled = false;
        say(e.message);
      },
    );
  } else {
    if (!confirm('Revoke the invitation for ' + name + '? The link stops working at once.')) return;
    btn.disabled = true;
    api('DELETE', teamApi + '/invites/' + withdraw.dataset.withdraw).then(
      async () => {
        if (linkFor === name) $('#invite-result').hidden = true;
        say('The invitation for ' + name + ' was revoked; the link no longer works.');
        await refreshTeam();
        $('#members-title').focus();
      },
      (e) => {
        btn.disabled = false;
        say(e.message);
      },
    );
  }
});
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

// ---- the blog settings page: only changed fields are sent; each error shows beside its field
const settings = $('#settings-form[data-settings]');
if (settings) {
  const FIELDS = ['title', 'description', 'timezone', 'language', 'poll_after'];
  const input = (name) => settings.elements.namedItem(name);
  const value = (name) => {
    const v = input(name).value.trim();
    if (name !== 'poll_after') return v;
    return v === '' ? null : Number(v);
  };
  let saved = Object.fromEntries(FIELDS.map((n) => [n, value(n)]));
  const box = $('[data-error]', settings);
  const status = $('#settings-status');
  const clear = () => {
    box.hidden = true;
    FIELDS.forEach((n) => {
      input(n).removeAttribute('aria-invalid');
      input(n).classList.remove('is-invalid');
      $('#' + n + '-error').hidden = true;
    });
  };
  const fieldError = (name, message) => {
    const el = $('#' + name + '-error');
    el.textContent = message;
    el.hidden = false;
    input(name).setAttribute('aria-invalid', 'true');
    input(name).classList.add('is-invalid');
    input(name).focus();
  };
  const zoneNow = () => {
    const out = $('#zone-now');
    const zone = input('timezone').value.trim();
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone }); // throws for a zone it does not know
    } catch (err) {
      out.textContent = 'not a zone in the list yet';
      return;
    }
    out.textContent = localTime(new Date().toISOString(), zone, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
  };
  input('timezone').addEventListener('input', zoneNow);
  settings.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clear();
    if (input('poll_after').validity.badInput) {
      fieldError('poll_after', 'Type a whole number of seconds, or leave it empty for the site’s setting.');
      return;
    }
    const body = {};
    FIELDS.forEach((n) => {
      if (value(n) !== saved[n]) body[n] = value(n);
    });
    if (!Object.keys(body).length) {
      status.textContent = 'Nothing has changed.';
      return;
    }
    const submit = $('button[type="submit"]', settings);
    submit.disabled = true;
    status.textContent = 'Saving…';
    api('PATCH', settings.dataset.settings, body)
      .then(
        (blog) => {
          FIELDS.forEach((n) => {
            input(n).value = blog[n] == null ? '' : blog[n];
          });
          saved = Object.fromEntries(FIELDS.map((n) => [n, value(n)]));
          $$('.nr-blog__title h1').forEach((el) => {
            el.textContent = blog.title;
          });
          document.title = 'Settings · ' + blog.title + ' · Bulletin';
          const time = localTime(new Date().toISOString(), undefined, { hour: '2-digit', minute: '2-digit' });
          status.textContent =
            'Saved at ' + time + ': ' + Object.keys(body).length + ' change(s). Readers see them at once.';
        },
        (e) => {
          status.textContent = '';
          if (e.field && FIELDS.includes(e.field)) fieldError(e.field, e.message);
          else {
            box.hidden = false;
            box.textContent = e.status ? e.message : 'No connection: check the network and try again.';
          }
        },
      )
      .finally(() => {
        submit.disabled = false;
      });
  });
}
