import { ConcordError } from '../../shared/errors.ts';

/**
 * The version of the messages nodes exchange: every message carries it in a header, and a replica
 * refuses one it cannot read rather than misread it. A release that changes a message's shape
 * raises MESSAGE_VERSION and, for one release, still reads the previous version, so old and new
 * replicas can run side by side during a rolling upgrade.
 */
export const MESSAGE_VERSION = 1;
/** The oldest version this code still reads. */
export const OLDEST_READABLE_VERSION = 1;
export const MESSAGE_VERSION_HEADER = 'Concord-Message-Version';

/**
 * The version a message's header names, if this code can read it; a message without the header
 * was sent before versions were stamped, in the first version.
 */
export function checkMessageVersion(header: string | undefined, subject: string): number {
  const version = header === undefined || header === '' ? 1 : Number(header);
  if (!Number.isInteger(version) || version < OLDEST_READABLE_VERSION || version > MESSAGE_VERSION) {
    throw new ConcordError(
      'MESSAGE_VERSION',
      `a message on "${subject}" is in version ${header}, which this replica cannot read (it reads versions ${OLDEST_READABLE_VERSION} to ${MESSAGE_VERSION}): upgrade it, or let a replica of the matching release handle it`,
      { subject, messageVersion: String(header), readable: `${OLDEST_READABLE_VERSION}-${MESSAGE_VERSION}` },
    );
  }
  return version;
}
