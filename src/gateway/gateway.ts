import type { Database } from '../infra/db/database.ts';
import type { MessageBus } from '../infra/bus/message-bus.ts';
import { migrate } from '../infra/db/migrate.ts';
import type { ImmigrationSearchResult } from '../repositories/immigration/immigration-node.ts';
import type { Requester } from './access.ts';
import type { AuditSigner } from './audit-repair.ts';
import { POLICY, POLICY_VERSION } from './dissemination-policy.ts';
import { gatewayMigrations } from './migrations.ts';
import { recordPolicyActivation } from './policy-activation.ts';
import { WorkflowContext } from './workflow-context.ts';
import * as accountAdministration from './account-administration.ts';
import * as auditReview from './audit-review.ts';
import * as authentication from './authentication.ts';
import * as booking from './booking.ts';
import * as disposition from './disposition.ts';
import * as enrollment from './enrollment.ts';
import * as hitConfirmation from './hit-confirmation.ts';
import * as metrics from './metrics.ts';
import * as notifications from './notifications.ts';
import * as oneStopHistory from './one-stop-history.ts';
import * as printComparison from './print-comparison.ts';
import * as rapidIdentification from './rapid-identification.ts';
import * as redress from './redress.ts';
import * as retention from './retention.ts';
import * as secondaryDissemination from './secondary-dissemination.ts';
import * as subjectPhotos from './subject-photos.ts';
import * as faceCheck from './face-check.ts';
import * as faceSearch from './face-search.ts';
import * as wanted from './wanted.ts';

export type { BookingAnswer } from './booking.ts';
export { LESC_ORI } from './booking.ts';
export type { EnrollmentAnswer } from './enrollment.ts';
export { CONTROL_TERMINAL_ORI } from './hit-confirmation.ts';
export type { Alert } from './notifications.ts';
export type { SubjectHistory } from './one-stop-history.ts';
export type { CandidateComparison } from './print-comparison.ts';
export type { IdentifyAnswer } from './rapid-identification.ts';
export { DEFAULT_RETENTION, type RetentionReport, type RetentionRules } from './retention.ts';

/** A workflow's arguments after the context the gateway supplies. */
type Args<F> = F extends (ctx: WorkflowContext, ...rest: infer A) => unknown ? A : never;

/**
 * The justice-department broker: authenticates and authorises every request, fans it out to the
 * repositories over the bus, merges and filters the answers, and writes the audit record and the
 * transaction record in one database transaction before anything is returned.
 *
 * This class is the gateway's front door only: each workflow lives in the file named beside it.
 * It keeps no state of its own; everything shared lives in the gateway's database.
 */
export class Gateway {
  private constructor(private readonly ctx: WorkflowContext) {}

  /** `auditSigner` (the key ring) signs audit repair entries and checks them; without it none is made or accepted. */
  static async start(db: Database, bus: MessageBus, options: { now?: () => Date; auditSigner?: AuditSigner } = {}): Promise<Gateway> {
    await migrate(db, gatewayMigrations);
    const ctx = new WorkflowContext(db, bus, options.now ?? (() => new Date()), options.auditSigner);
    await recordPolicyActivation(db, ctx.auditWriter, POLICY_VERSION, POLICY, ctx.now());
    await bus.consume('booking.immigration-result', 'gateway-bookings', (event: { tcn: string; ori?: string; result: ImmigrationSearchResult }) =>
      booking.completeBooking(ctx, event.tcn, event.ori, event.result),
    );
    return new Gateway(ctx);
  }

  get database(): Database {
    return this.ctx.db;
  }

  /** The shared dependencies every workflow runs with (for the gateway's scheduled jobs). */
  get context(): WorkflowContext {
    return this.ctx;
  }

  /** Brings the audit chain's head witness up to the last record; the database stays open. */
  async close(): Promise<void> {
    await this.ctx.auditWriter.close();
  }

  // Who is asking (authentication.ts) and whether they may (workflow-context.ts).
  authenticate(...args: Args<typeof authentication.authenticate>) { return authentication.authenticate(this.ctx, ...args); }
  recordThrottled(...args: Args<typeof authentication.recordThrottled>) { return authentication.recordThrottled(this.ctx, ...args); }
  signIn(...args: Args<typeof authentication.signIn>) { return authentication.signIn(this.ctx, ...args); }
  signOut(...args: Args<typeof authentication.signOut>) { return authentication.signOut(this.ctx, ...args); }
  authorize(...args: Parameters<WorkflowContext['authorize']>) { return this.ctx.authorize(...args); }
  recordFailure(...args: Parameters<WorkflowContext['recordFailure']>) { return this.ctx.recordFailure(...args); }

  // Workflows of the agencies, one file each.
  enroll(...args: Args<typeof enrollment.enroll>) { return enrollment.enroll(this.ctx, ...args); }
  book(...args: Args<typeof booking.book>) { return booking.book(this.ctx, ...args); }
  reportDisposition(...args: Args<typeof disposition.reportDisposition>) { return disposition.reportDisposition(this.ctx, ...args); }
  identify(...args: Args<typeof rapidIdentification.identify>) { return rapidIdentification.identify(this.ctx, ...args); }
  checkFaceIdentificationGrant(...args: Args<typeof rapidIdentification.checkFaceIdentificationGrant>) { return rapidIdentification.checkFaceIdentificationGrant(this.ctx, ...args); }
  history(...args: Args<typeof oneStopHistory.history>) { return oneStopHistory.history(this.ctx, ...args); }
  historyByPrints(...args: Args<typeof oneStopHistory.historyByPrints>) { return oneStopHistory.historyByPrints(this.ctx, ...args); }
  photo(...args: Args<typeof subjectPhotos.photo>) { return subjectPhotos.photo(this.ctx, ...args); }
  bookingPhoto(...args: Args<typeof subjectPhotos.bookingPhoto>) { return subjectPhotos.bookingPhoto(this.ctx, ...args); }
  recordFaceCheck(...args: Args<typeof faceCheck.recordFaceCheck>) { return faceCheck.recordFaceCheck(this.ctx, ...args); }
  searchFaces(...args: Args<typeof faceSearch.searchFaces>) { return faceSearch.searchFaces(this.ctx, ...args); }
  checkFaceSearchGrant(...args: Args<typeof faceSearch.checkFaceSearchGrant>) { return faceSearch.checkFaceSearchGrant(this.ctx, ...args); }
  compare(...args: Args<typeof printComparison.compare>) { return printComparison.compare(this.ctx, ...args); }
  enterWanted(...args: Args<typeof wanted.enterWanted>) { return wanted.enterWanted(this.ctx, ...args); }
  clearWanted(...args: Args<typeof wanted.clearWanted>) { return wanted.clearWanted(this.ctx, ...args); }
  recordSecondaryDissemination(...args: Args<typeof secondaryDissemination.recordSecondaryDissemination>) { return secondaryDissemination.recordSecondaryDissemination(this.ctx, ...args); }

  // Alerts and hit confirmation.
  notifications(...args: Args<typeof notifications.notifications>) { return notifications.notifications(this.ctx, ...args); }
  answerAlert(...args: Args<typeof notifications.answerAlert>) { return notifications.answerAlert(this.ctx, ...args); }
  escalateOverdueConfirmations() { return hitConfirmation.escalateOverdueConfirmations(this.ctx); }

  // Redress.
  openRedress(...args: Args<typeof redress.openRedress>) { return redress.openRedress(this.ctx, ...args); }
  redressCases(...args: Args<typeof redress.redressCases>) { return redress.redressCases(this.ctx, ...args); }
  decideRedress(...args: Args<typeof redress.decideRedress>) { return redress.decideRedress(this.ctx, ...args); }

  // Oversight: audit review, the dissemination log, retention, metrics.
  searchAudit(...args: Args<typeof auditReview.searchAudit>) { return auditReview.searchAudit(this.ctx, ...args); }
  verifyAudit(...args: Args<typeof auditReview.verifyAudit>) { return auditReview.verifyAudit(this.ctx, ...args); }
  repairAudit(...args: Args<typeof auditReview.repairAudit>) { return auditReview.repairAudit(this.ctx, ...args); }
  recordRefusal(...args: Args<typeof auditReview.recordRefusal>) { return auditReview.recordRefusal(this.ctx, ...args); }
  recordReextraction(...args: Args<typeof auditReview.recordReextraction>) { return auditReview.recordReextraction(this.ctx, ...args); }
  recordKeyRotation(...args: Args<typeof auditReview.recordKeyRotation>) { return auditReview.recordKeyRotation(this.ctx, ...args); }
  searchDisseminations(...args: Args<typeof secondaryDissemination.searchDisseminations>) { return secondaryDissemination.searchDisseminations(this.ctx, ...args); }
  runRetention(...args: Args<typeof retention.runRetention>) { return retention.runRetention(this.ctx, ...args); }
  metrics(...args: Args<typeof metrics.metrics>) { return metrics.metrics(this.ctx, ...args); }

  // Accounts.
  accounts(...args: Args<typeof accountAdministration.accounts>) { return accountAdministration.accounts(this.ctx, ...args); }
  createAgency(...args: Args<typeof accountAdministration.createAgency>) { return accountAdministration.createAgency(this.ctx, ...args); }
  createUser(...args: Args<typeof accountAdministration.createUser>) { return accountAdministration.createUser(this.ctx, ...args); }
  /** The second person's approval of an account waiting for it. */
  approveUser(requester: Requester, id: string) { return accountAdministration.approve(this.ctx, requester, 'account', id); }
  /** The second person's approval of a registered system waiting for it. */
  approveClient(requester: Requester, id: string) { return accountAdministration.approve(this.ctx, requester, 'client', id); }
  registerClient(...args: Args<typeof accountAdministration.registerClient>) { return accountAdministration.registerClient(this.ctx, ...args); }
  deactivateClient(...args: Args<typeof accountAdministration.deactivateClient>) { return accountAdministration.deactivateClient(this.ctx, ...args); }
  deactivateUser(...args: Args<typeof accountAdministration.deactivateUser>) { return accountAdministration.deactivateUser(this.ctx, ...args); }
}
