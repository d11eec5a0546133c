// The portal shell: sign-in, the screens each role may use, and the idle lock.
import { saveSession, session } from './api.js';
import { h, show } from './dom.js';
import { adminView } from './views/admin.js';
import { alertsView } from './views/alerts.js';
import { dashboardView } from './views/dashboard.js';
import { bookingView } from './views/booking.js';
import { historyView } from './views/history.js';
import { identifyView } from './views/identify.js';
import { portView } from './views/port.js';
import { privacyView } from './views/privacy.js';
import { redressView } from './views/redress.js';
import { signInView } from './views/sign-in.js';

const SCREENS = {
  port: { title: 'Port of entry', view: portView, roles: ['port_officer'] },
  book: { title: 'Booking', view: bookingView, roles: ['booking_officer', 'justice_analyst'] },
  identify: { title: 'Rapid ID', view: identifyView, roles: ['port_officer', 'booking_officer', 'field_officer', 'immigration_analyst', 'justice_analyst'] },
  history: { title: 'Subject history', view: historyView, roles: ['port_officer', 'booking_officer', 'immigration_analyst', 'justice_analyst'] },
  alerts: { title: 'Alerts', view: alertsView, roles: ['booking_officer', 'immigration_analyst', 'justice_analyst'] },
  privacy: { title: 'Privacy & audit', view: privacyView, roles: ['privacy_officer'] },
  redress: { title: 'Redress', view: redressView, roles: ['privacy_officer', 'immigration_analyst', 'justice_analyst'] },
  admin: { title: 'Administration', view: adminView, roles: ['administrator'] },
  dashboard: { title: 'Dashboard', view: dashboardView, roles: ['immigration_analyst', 'justice_analyst', 'privacy_officer', 'administrator'] },
};

let idleTimer;

function screensFor(role) {
  return Object.entries(SCREENS).filter(([, screen]) => screen.roles.includes(role));
}

function route() {
  const current = session();
  if (!current) {
    renderChrome(undefined);
    signInView(() => {
      location.hash = '#/';
      route();
    }, pendingReason);
    pendingReason = undefined;
    return;
  }
  const [name, query] = location.hash.replace(/^#\/?/, '').split('?');
  const allowed = screensFor(current.user.role);
  renderChrome(current, name);
  const screen = allowed.find(([key]) => key === name);
  if (screen) return screen[1].view(new URLSearchParams(query ?? ''));
  show(
    h('h1', {}, `Welcome, ${current.user.name}`),
    h('p', { class: 'muted' }, `${current.user.role.replace(/_/g, ' ')}, ${current.user.ori}`),
    allowed.length
      ? h('ul', {}, allowed.map(([key, s]) => h('li', {}, h('a', { href: `#/${key}` }, s.title))))
      : h('p', {}, 'Your role has no screens here.'),
  );
}

function renderChrome(current, active) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!current) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.replaceChildren(...screensFor(current.user.role).map(([key, s]) => h('a', { href: `#/${key}`, 'aria-current': key === active ? 'page' : undefined }, s.title)));
  const signOut = h('button', { type: 'button', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    // The screen is cleared first; the server ends the session even if the page goes away meanwhile.
    const token = session()?.token;
    endSession('You are signed out.');
    fetch('/v1/sign-out', { method: 'POST', headers: { authorization: `Bearer ${token}` }, keepalive: true }).catch(() => undefined);
  });
  who.replaceChildren(h('span', { 'data-testid': 'who' }, `${current.user.name} · ${current.user.ori}`), signOut);
}

let pendingReason;

function endSession(reason) {
  saveSession(undefined);
  pendingReason = reason;
  // Changing the hash routes by itself; route directly only when it does not change.
  if (location.hash === '#/') route();
  else location.hash = '#/';
}

/** The server locks a session after 30 idle minutes; the screen locks itself at the same moment. */
function armIdleLock() {
  clearTimeout(idleTimer);
  const current = session();
  if (!current) return;
  idleTimer = setTimeout(() => endSession('Locked after 30 minutes without activity. Sign in again.'), (current.idleLockSeconds ?? 1800) * 1000);
}

for (const event of ['keydown', 'pointerdown', 'input']) window.addEventListener(event, armIdleLock, { passive: true });
window.addEventListener('concord:signed-out', (event) => endSession(event.detail));
window.addEventListener('hashchange', route);
route();
armIdleLock();
