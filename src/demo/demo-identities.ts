import type { AgencyType, Role } from '../gateway/access.ts';

/** The agencies and users of the demo (and of the end-to-end tests). */
export const DEMO_AGENCIES: { ori: string; name: string; type: AgencyType }[] = [
  { ori: 'DCCBP0001', name: 'CBP, Washington Dulles port of entry', type: 'federal_immigration' },
  { ori: 'VTICE0900', name: 'ICE Law Enforcement Support Center', type: 'federal_immigration' },
  { ori: 'DCFBI0000', name: 'FBI CJIS Division', type: 'federal_criminal' },
  { ori: 'TX0570000', name: 'Dallas County Sheriff', type: 'local' },
  { ori: 'TXDPS0000', name: 'Texas DPS, state identification bureau', type: 'state' },
];

export const DEMO_USERS: { id: string; name: string; ori: string; role: Role }[] = [
  { id: 'port', name: 'Officer Rivera', ori: 'DCCBP0001', role: 'port_officer' },
  { id: 'ice', name: 'Analyst Chen', ori: 'VTICE0900', role: 'immigration_analyst' },
  { id: 'fbi', name: 'Analyst Okafor', ori: 'DCFBI0000', role: 'justice_analyst' },
  { id: 'booking', name: 'Deputy Walsh', ori: 'TX0570000', role: 'booking_officer' },
  { id: 'field', name: 'Deputy Park', ori: 'TX0570000', role: 'field_officer' },
  { id: 'privacy', name: 'Privacy Officer Adams', ori: 'DCFBI0000', role: 'privacy_officer' },
  { id: 'admin', name: 'Administrator Moss', ori: 'DCFBI0000', role: 'administrator' },
  // A second administrator, so that an account one of them creates can be approved by the other.
  { id: 'admin2', name: 'Administrator Ito', ori: 'DCFBI0000', role: 'administrator' },
];

/**
 * Each demo user's desk also has a demo system: an API token (`demo-<user id>`) for the command
 * line, the tests and the README's examples, acting as `client:demo-<user id>`. Persons themselves
 * have no token; they sign in.
 */
export function demoSystem(user: (typeof DEMO_USERS)[number]): { id: string; name: string; ori: string; role: Role } {
  return { id: `demo-${user.id}`, name: `Demo system (${user.name})`, ori: user.ori, role: user.role };
}

/** The demo users' password (with each one's one-time-code secret, printed at start). */
export const DEMO_PASSWORD = 'concord-demo-2026';
