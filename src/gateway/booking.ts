import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import type { ImmigrationSearchResult } from '../repositories/immigration/immigration-node.ts';
import type { BookingRequest, BookingResult, CriminalHistory, WantedSummary } from '../repositories/criminal/criminal-node.ts';
import { mayPerform, type Requester } from './access.ts';
import { opensImmigration, POLICY_VERSION, type ImmigrationGrant } from './dissemination-policy.ts';
import { link } from './identity-links.ts';
import { notify } from './notifications.ts';
import { buildOneStopHistory, type OneStopHistory } from './one-stop-history.ts';
import { once } from './tcn-claims.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** ICE's Law Enforcement Support Center: where booking matches become cases (IAQ). */
export const LESC_ORI = 'VTICE0900';

export interface BookingAnswer {
  tcn: string;
  tcr: string;
  sre: { srf: 'I' | 'N'; fbiNumber: string };
  wanted: WantedSummary[];
  criminalHistory?: OneStopHistory;
  immigration: {
    /** WITHHELD: the purpose's grant releases no immigration data, not even whether there is any. */
    status: 'MATCH' | 'NO_MATCH' | 'PENDING' | 'WITHHELD';
    message: string;
    knownToDhs?: boolean;
    fin?: string;
    statusClass?: string;
    flags?: string[];
    iceNotified?: boolean;
    iceContact?: string;
  };
  withheld: boolean;
  policyVersion: string;
}

/**
 * An arrest booked with the criminal repository (ten prints: identified, or a new FBI number),
 * checked against the immigration repository, and answered with the rap sheet, wants and the
 * immigration part the purpose's grant allows. A match opens an ICE case (IAQ).
 */
export async function book(ctx: WorkflowContext, requester: Requester, request: { tcn: string; purpose?: string; arrest: BookingRequest['arrest']; fingers: FingerPayload[]; photo?: string; face?: BookingRequest['face'] }): Promise<BookingAnswer> {
  const purpose = await ctx.requirePurpose(requester, request.purpose ?? 'C', 'booking.refused', request.tcn);
  await ctx.authorize(requester, 'book', purpose);
  // Refused before the booking runs: nothing is searched or recorded for a purpose that releases nothing.
  const grant = await ctx.requireGrant(requester, purpose, { event: 'booking.refused', tcn: request.tcn });
  // No arrest without its audit record. The arrest is written in the criminal node's database,
  // which no gateway transaction can span, so the submission (TCN, ORI, user) is audited here
  // before the node is asked to write: if that audit fails, nothing is written; whatever fails
  // after the write (a bus timeout, the answer's own transaction), the arrest is already on the
  // trail under its TCN, and the failure is audited after it with the FBI number.
  let written: string | undefined;
  return once(ctx, requester, request.tcn, 'booking', purpose, { arrest: request.arrest, fingers: request.fingers }, async () => {
    await ctx.audit({ event: 'booking.submitted', outcome: 'success', tcn: request.tcn, purpose }, requester);
    // The immigration check needs only the prints, so it runs while the criminal node books; its
    // answer is read (and any failure of it handled) once the arrest is written.
    const immigrationCheck = ctx.bus.request<ImmigrationSearchResult>('immigration.search', { fingers: request.fingers }, 5000);
    immigrationCheck.catch(() => undefined);
    const booking = await ctx.bus.request<BookingResult>('criminal.book', {
      tcn: request.tcn,
      ori: requester.ori,
      reportsDispositions: mayPerform(requester, 'disposition.report'),
      arrest: request.arrest,
      fingers: request.fingers,
      photo: request.photo,
      face: request.face,
    } satisfies BookingRequest);
    written = booking.fbiNumber;
    let immigration: ImmigrationSearchResult | undefined;
    try {
      immigration = await immigrationCheck;
    } catch (error) {
      if (!(error instanceof ConcordError && error.code === 'NODE_UNAVAILABLE')) throw error;
      // The immigration node is down: the check waits on the bus and completes when it returns.
      await ctx.bus.publish('booking.immigration-check', { tcn: request.tcn, ori: requester.ori, fingers: request.fingers });
    }
    const criminalHistory = await ctx.bus.request<CriminalHistory>('criminal.history', { fbiNumber: booking.fbiNumber });
    const history = buildOneStopHistory({ ...grant, immigration: 'none' }, criminalHistory);
    const answer: BookingAnswer = {
      tcn: request.tcn,
      tcr: request.tcn,
      sre: { srf: booking.srf, fbiNumber: booking.fbiNumber },
      wanted: grant.wanted ? booking.wanted : [],
      criminalHistory: grant.criminalHistory === 'none' ? undefined : history,
      immigration: immigrationPart(immigration, grant.immigration),
      withheld: history.withheld || grant.immigration === 'none' || (!!immigration?.match && grant.immigration !== 'full'),
      policyVersion: POLICY_VERSION,
    };
    return {
      answer,
      audit: {
        event: 'booking.answer',
        outcome: 'success',
        recordIds: [booking.fbiNumber, ...(immigration?.fin ? [immigration.fin] : [])],
        fieldClasses: [...history.fieldClasses, ...(immigration?.match && opensImmigration(grant) ? ['immigration_summary'] : [])],
      },
      alsoInTransaction: async (tx) => {
        if (immigration?.match && immigration.fin) await onImmigrationMatch(ctx, tx, request.tcn, booking.fbiNumber, immigration, requester.ori);
      },
    };
  }, () => (written ? [written] : []));
}

/** The delayed immigration part of a booking whose check waited for the immigration node (event `booking.immigration-result`). */
export async function completeBooking(ctx: WorkflowContext, tcn: string, bookingOri: string | undefined, result: ImmigrationSearchResult): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    // A check published before TCNs were kept per agency names no ORI: then the TCN alone finds it.
    const [row] = await tx.query<{ response: BookingAnswer | null; ori: string; user_id: string; status: string }>(
      `SELECT response, ori, user_id, status FROM transactions WHERE tcn = $1 AND ($2::text IS NULL OR ori = $2) AND tot = 'booking' FOR UPDATE`,
      [tcn, bookingOri ?? null],
    );
    // The booking is still being answered: throwing has the bus deliver the result again shortly.
    if (row?.status === 'pending') throw new ConcordError('TCN_IN_PROGRESS', `booking ${tcn} is not answered yet`, { tcn });
    if (!row?.response || row.status === 'completed') return;
    // A booking whose grant withholds immigration data still opens the ICE case; the agency is told nothing more.
    const withheld = row.response.immigration.status === 'WITHHELD';
    if (!withheld && row.response.immigration.status !== 'PENDING') return;
    const response: BookingAnswer = withheld ? row.response : { ...row.response, immigration: immigrationPart(result, 'idr_summary') };
    await tx.query(`UPDATE transactions SET response = $1, status = 'completed' WHERE tcn = $2 AND ori = $3`, [JSON.stringify(response), tcn, row.ori]);
    if (result.match && result.fin) await onImmigrationMatch(ctx, tx, tcn, response.sre.fbiNumber, result, row.ori);
    if (!withheld) await notify(tx, ctx.now(), 'idr', row.ori, response.sre.fbiNumber, tcn, { immigration: response.immigration }, undefined);
    await ctx.audit({ event: 'booking.immigration_completed', outcome: 'success', tcn, recordIds: [response.sre.fbiNumber], fieldClasses: withheld ? [] : ['immigration_summary'] }, { userId: row.user_id, ori: row.ori }, tx);
  });
}

async function onImmigrationMatch(ctx: WorkflowContext, tx: Sql, tcn: string, fbiNumber: string, result: ImmigrationSearchResult, bookingOri: string): Promise<void> {
  await link(tx, fbiNumber, result.fin!, tcn, ctx.now());
  await notify(tx, ctx.now(), 'iaq', LESC_ORI, result.fin!, tcn, { fbiNumber, fin: result.fin, bookingOri, summary: result.summary }, undefined);
}

function immigrationPart(result: ImmigrationSearchResult | undefined, grant: ImmigrationGrant): BookingAnswer['immigration'] {
  // Without an immigration grant, "known to DHS or not" is itself immigration data: the answer is the same either way.
  if (grant === 'none') return { status: 'WITHHELD', message: 'immigration data withheld by policy' };
  if (!result) return { status: 'PENDING', message: 'the immigration repository is unavailable; its answer will follow when it returns' };
  if (!result.match) return { status: 'NO_MATCH', message: 'no DHS record', knownToDhs: false };
  return {
    status: 'MATCH',
    message: 'known to DHS; ICE has been notified',
    knownToDhs: true,
    fin: result.fin,
    statusClass: result.summary?.statusClass,
    flags: (result.summary?.flags ?? []).filter((f) => ['removed', 'expedited_removal', 'overstay', 'watchlist'].includes(f)),
    iceNotified: true,
    iceContact: `ICE LESC (${LESC_ORI}), 24x7`,
  };
}
