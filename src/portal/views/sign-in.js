import { api, saveSession } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox } from '../render.js';

export function signInView(onSignedIn, reason) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true });
  show(
    h('h1', {}, 'Sign in'),
    reason ? h('div', { class: 'notice', role: 'status' }, reason) : null,
    form([h('div', { class: 'grid' }, field('User', user), field('Password', password), field('One-time code (6 digits)', code))], 'Sign in', async (data, status) => {
      try {
        const answer = await api('POST', '/auth/sign-in', { user: data.get('user'), password: data.get('password'), code: data.get('code') });
        saveSession({ token: answer.token, user: answer.user, idleLockSeconds: answer.idleLockSeconds });
        onSignedIn();
      } catch (error) {
        fill(status, errorBox(error));
      }
    }, 'Signing in…'),
  );
  user.focus();
}
