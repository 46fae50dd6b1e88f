// The commands the SPA sends: their payloads are generated from the server's table (the OpenAPI
// union `CommandIn`, discriminated on `type`); their results are named here, since the command
// endpoint answers each with its own shape. The payloads come from requests.d.ts, generated with
// `--default-non-nullable false`: a field the server defaults may be left out by the sender.
import type { components } from './requests';
import type {
  Agent,
  BallotCast,
  Certificate,
  Contract,
  Commons,
  ContributionDetail,
  Decision,
  Due,
  EarmarkTag,
  Financing,
  Invitation,
  MarkRead,
  Measurement,
  MeasurementReviewed,
  Member,
  Need,
  NotificationPreferences,
  ObjectiveProposed,
  Period,
  ProposalComment,
  ProposalDetail,
  Redemption,
  Resource,
  Transfer,
  Usage,
} from './types';

type CommandIn = components['schemas']['CommandIn'];

/** The payload the server's schema for command `K` accepts. */
export type CommandPayload<K extends CommandIn['type']> = Extract<CommandIn, { type: K }>['payload'];

/** Every command the SPA sends, with its result; a key the server does not register fails to type-check. */
export interface CommandResults {
  'agent.create': Agent;
  'agent.update': Agent;
  'commons.create': Commons;
  'commons.update': Commons;
  'invitation.create': Invitation;
  'invitation.revoke': Invitation;
  'invitation.accept': Member;
  'membership.set_roles': Member;
  'membership.leave': Member;
  'proposal.open': ProposalDetail;
  'proposal.publish': ProposalDetail;
  'proposal.withdraw': ProposalDetail;
  'decision.retry_effect': Decision;
  'ledger.period_close': Period;
  'ballot.cast': BallotCast;
  'comment.add': ProposalComment;
  'notifications.mark_read': MarkRead;
  'notifications.set_preferences': NotificationPreferences;
  'contribution.create': ContributionDetail;
  'contribution.update': ContributionDetail;
  'contribution.submit': ContributionDetail;
  'contribution.accept_counter': ContributionDetail;
  'contribution.withdraw': ContributionDetail;
  'contribution.call': ContributionDetail;
  'contribution.pay': ContributionDetail;
  'contribution.counter': ContributionDetail;
  'need.create': Need;
  'need.close': Need;
  'transfer.propose': Transfer;
  'transfer.accept': Transfer;
  'transfer.refuse': Transfer;
  'transfer.cancel': Transfer;
  'redemption.request': Redemption;
  'redemption.execute': Redemption;
  'redemption.withdraw': Redemption;
  'resource.register': Resource;
  'resource.retire': Resource;
  'resource.link_contribution': Resource;
  'usage.declare': Usage;
  'due.pay': Due;
  'contract.accept': Contract;
  'certificate.issue': Certificate;
  'commons.classify': import('./schema').components['schemas']['ClassificationOut'];
  'objective.propose': ObjectiveProposed;
  'objective.change': ObjectiveProposed;
  'measurement.declare': Measurement;
  'measurement.verify': MeasurementReviewed;
  'measurement.dispute': Measurement;
  'footprint.declare': Measurement;
  'financing.offer': Financing;
  'financing.put_to_vote': Financing;
  'financing.withdraw': Financing;
  'tranche.disburse': Financing;
  'loan.repay': Financing;
  'earmark.tag': EarmarkTag;
}

export type CommandType = keyof CommandResults & CommandIn['type'];

export type Commands = { [K in CommandType]: { payload: CommandPayload<K>; result: CommandResults[K] } };
