/** An inclusive range of field numbers. */
type FieldRange = readonly [first: number, last: number];

/**
 * Field numbers a record type leaves to its users, which the standard therefore does not name
 * (ANSI/NIST-ITL 1-2011 Update 2013, each type's record layout table):
 * - Type-9: the registered vendor feature-set blocks 9.013–9.175 and "other feature sets"
 *   9.176–9.225 (Table 27), and 9.400–9.900;
 * - Types 20 and 21: 100–900 ("UDF" rows of §8.20 and §8.21);
 * - every other tagged type from 10 on, and 98 and 99: 200–900.
 * Type-1 has none. Type-2 is wholly user-defined and is not checked here.
 */
const USER_DEFINED: Readonly<Record<number, readonly FieldRange[]>> = {
  9: [[13, 225], [400, 900]],
  20: [[100, 900]],
  21: [[100, 900]],
};
const DEFAULT_USER_DEFINED: readonly FieldRange[] = [[200, 900]];

/** Whether a `type` record may carry field `number` as a user-defined field. */
export function isUserDefinedField(type: number, number: number): boolean {
  if (type === 1) return false;
  return (USER_DEFINED[type] ?? DEFAULT_USER_DEFINED).some(([first, last]) => number >= first && number <= last);
}
