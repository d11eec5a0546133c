import { fixturePrint } from './test-system.ts';

/**
 * The people of the fault drills and the cluster bench: five persons, each two FVC fingers of the test fixtures as the right
 * and left index (finger_2, finger_7), with two impressions per finger. Every person is first
 * enrolled at a port and booked once, so the streams book known people: each booking must
 * come back with that person's one FBI number, whichever replica answers it.
 */
export interface Person {
  family: string;
  given: string;
  dob: string;
  fingers: [string, string];
}

export const PERSONS: Person[] = [
  { family: 'ALDER', given: 'ANN', dob: '1981-01-11', fingers: ['101', '102'] },
  { family: 'BIRCH', given: 'BEN', dob: '1982-02-12', fingers: ['103', '104'] },
  { family: 'CEDAR', given: 'CAL', dob: '1983-03-13', fingers: ['105', '106'] },
  { family: 'DOGWOOD', given: 'DEE', dob: '1984-04-14', fingers: ['107', '108'] },
  { family: 'ELM', given: 'EVA', dob: '1985-05-15', fingers: ['109', '110'] },
];

const today = () => new Date().toISOString().slice(0, 10);

function prints(person: Person, impression: 1 | 2) {
  return [
    { name: 'finger_2', file: fixturePrint(`${person.fingers[0]}_${impression}`) },
    { name: 'finger_7', file: fixturePrint(`${person.fingers[1]}_${impression}`) },
  ];
}

/** The parts of a booking of `person` under `tcn` (the Dallas County deputy's), with the given impression. */
export function bookingParts(tcn: string, person: Person, impression: 1 | 2 = 2) {
  const booking = { tcn, purpose: 'C', name: { family: person.family, given: person.given }, dob: person.dob, sex: 'M', dateOfArrest: today(), charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] };
  return [{ name: 'booking', json: booking }, ...prints(person, impression)];
}

/** The parts of a port-of-entry enrollment of `person` under `tcn`. */
export function enrollmentParts(tcn: string, person: Person) {
  const subject = {
    tcn,
    port: 'IAD',
    inspectionDate: today(),
    admissionClass: 'B2',
    name: { family: person.family, given: person.given },
    dob: person.dob,
    nationality: 'FRA',
    document: { type: 'passport', number: `P${person.fingers.join('')}`, issuingCountry: 'FRA' },
  };
  return [{ name: 'subject', json: subject }, ...prints(person, 1)];
}

/** The parts of a rapid identification of `person` under `tcn`. */
export function identificationParts(tcn: string, person: Person) {
  return [{ name: 'tcn', text: tcn }, ...prints(person, 2)];
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
