import { api, session } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox } from '../render.js';

const ROLES = ['port_officer', 'booking_officer', 'field_officer', 'immigration_analyst', 'justice_analyst', 'privacy_officer', 'administrator'];

/**
 * Administration: agencies and users. Administrators read no records. A new account that reads
 * records waits for a second administrator's approval; persons get no API token, they sign in.
 */
export async function adminView() {
  const list = h('section', { 'aria-live': 'polite' });
  const created = h('section', { 'aria-live': 'polite' });
  const load = async () => {
    try {
      const { agencies, users } = await api('GET', '/v1/admin/accounts');
      fill(list, h('h2', {}, 'Users'), usersTable(users, load), h('h2', {}, 'Agencies'), agenciesTable(agencies));
      return agencies;
    } catch (error) {
      fill(list, errorBox(error));
      return [];
    }
  };
  show(h('h1', {}, 'Administration'), h('p', { class: 'muted' }, 'Loading…'));
  const agencies = await load();
  show(
    h('h1', {}, 'Administration'),
    form(
      [
        h('h2', {}, 'New user'),
        h(
          'div',
          { class: 'grid' },
          field('User id', h('input', { name: 'id', required: true, pattern: '[a-z][a-z0-9._-]{1,39}' })),
          field('Full name', h('input', { name: 'name', required: true })),
          field('User’s agency', h('select', { name: 'ori' }, agencies.map((a) => h('option', { value: a.ori }, `${a.ori} — ${a.name}`)))),
          field('Role', h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, r.replace(/_/g, ' '))))),
          field('Initial password (12+ characters)', h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 })),
        ),
      ],
      'Create user',
      async (data, status) => {
        try {
          const user = await api('POST', '/v1/admin/users', Object.fromEntries(data));
          fill(created, h('div', { class: 'notice', 'data-testid': 'created-user' },
            h('strong', {}, `User ${user.id} created. Give them this secret once; it is not shown again.`),
            h('dl', { class: 'facts' }, h('dt', {}, 'One-time-code secret'), h('dd', {}, user.totpSecret)),
            user.status === 'pending_approval' ? h('p', {}, 'The account can sign in once a second administrator approves it.') : null,
          ));
          await load();
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Creating…',
    ),
    created,
    form(
      [
        h('h2', {}, 'New agency'),
        h(
          'div',
          { class: 'grid' },
          field('ORI (2-letter state + 7)', h('input', { name: 'ori', required: true, pattern: '[A-Za-z]{2}[A-Za-z0-9]{7}' })),
          field('Agency name', h('input', { name: 'name', required: true })),
          field('Type', h('select', { name: 'type' }, ['local', 'state', 'federal_criminal', 'federal_immigration'].map((t) => h('option', { value: t }, t.replace(/_/g, ' '))))),
        ),
      ],
      'Create agency',
      async (data, status) => {
        try {
          await api('POST', '/v1/admin/agencies', Object.fromEntries(data));
          adminView();
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Creating…',
    ),
    list,
  );
}

function usersTable(users, reload) {
  return h('table', { 'data-testid': 'users' },
    h('thead', {}, h('tr', {}, ['User', 'Name', 'Agency', 'Role', 'Sign-in', 'State', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, users.map((u) => {
      const approve = u.active && u.status === 'pending_approval' && u.createdBy !== session()?.user?.id ? h('button', { type: 'button', class: 'link' }, 'Approve') : null;
      approve?.addEventListener('click', async () => {
        try {
          await api('POST', `/v1/admin/users/${encodeURIComponent(u.id)}/approve`);
          await reload();
        } catch (error) {
          approve.replaceWith(errorBox(error));
        }
      });
      const deactivate = u.active ? h('button', { type: 'button', class: 'link' }, 'Deactivate') : null;
      deactivate?.addEventListener('click', async () => {
        if (!confirm(`Deactivate ${u.id}? Their sessions end at once.`)) return;
        try {
          await api('POST', `/v1/admin/users/${encodeURIComponent(u.id)}/deactivate`);
          await reload();
        } catch (error) {
          deactivate.replaceWith(errorBox(error));
        }
      });
      const state = !u.active ? 'deactivated' : u.status === 'pending_approval' ? `waiting for approval (created by ${u.createdBy})` : u.lockedAddresses > 0 ? `locked out at ${u.lockedAddresses} address(es)` : 'active';
      return h('tr', {}, h('td', {}, u.id), h('td', {}, u.name), h('td', {}, u.ori), h('td', {}, u.role.replace(/_/g, ' ')), h('td', {}, u.signInEnabled ? 'password + code' : 'none'), h('td', {}, state), h('td', {}, approve, ' ', deactivate));
    })),
  );
}

function agenciesTable(agencies) {
  return h('table', {}, h('thead', {}, h('tr', {}, ['ORI', 'Agency', 'Type'].map((t) => h('th', {}, t)))), h('tbody', {}, agencies.map((a) => h('tr', {}, h('td', {}, a.ori), h('td', {}, a.name), h('td', {}, a.type.replace(/_/g, ' '))))));
}
