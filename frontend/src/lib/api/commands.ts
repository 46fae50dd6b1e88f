// The commands the server registers: their payloads and results.
import type {
  Agent,
  AgentKind,
  BallotCast,
  Choice,
  Commons,
  Decision,
  Invitation,
  MarkRead,
  Member,
  NotificationPreferences,
  Period,
  ProposalComment,
  ProposalDetail,
  ProposalKind,
  Role,
  Visibility,
} from './types';
import type { ContributionDetail, ContributionKind, Need, Redemption, Transfer } from './types';

interface AgentFields {
  display_name: string;
  siren?: string;
  siret?: string;
  description?: string;
  website?: string;
}

interface CommonsFields {
  name: string;
  purpose?: string;
  category?: string;
  location?: string;
  visibility: Visibility;
}

export interface Commands {
  'agent.create': { payload: AgentFields & { kind: AgentKind }; result: Agent };
  'agent.update': { payload: Partial<AgentFields> & { agent_id: number }; result: Agent };
  'commons.create': {
    payload: CommonsFields & { slug: string; parent_slug?: string | null; agent_id?: number };
    result: Commons;
  };
  'commons.update': { payload: Partial<CommonsFields> & { slug: string }; result: Commons };
  'invitation.create': { payload: { commons_slug: string; email: string; roles: Role[] }; result: Invitation };
  'invitation.revoke': { payload: { commons_slug: string; invitation_id: number }; result: Invitation };
  'invitation.accept': { payload: { token: string; agent_id?: number }; result: Member };
  'membership.set_roles': { payload: { commons_slug: string; membership_id: number; roles: Role[] }; result: Member };
  'membership.leave': { payload: { commons_slug: string; agent_id?: number }; result: Member };
  'proposal.open': {
    payload: {
      commons_slug: string;
      kind: ProposalKind;
      title: string;
      body?: string;
      payload?: Record<string, unknown>;
      agent_id?: number | null;
      draft?: boolean;
    };
    result: ProposalDetail;
  };
  'proposal.publish': { payload: { proposal_id: number }; result: ProposalDetail };
  'proposal.withdraw': { payload: { proposal_id: number }; result: ProposalDetail };
  'decision.retry_effect': { payload: { decision_id: number }; result: Decision };
  'ledger.period_close': { payload: { commons_slug: string; period_id: number }; result: Period };
  'ballot.cast': {
    payload: { proposal_id: number; choice: Choice; comment?: string; agent_id?: number | null };
    result: BallotCast;
  };
  'comment.add': { payload: { proposal_id: number; body: string; parent_id?: number | null }; result: ProposalComment };
  'notifications.mark_read': { payload: { ids?: number[] | null }; result: MarkRead };
  'notifications.set_preferences': { payload: { email_enabled: boolean }; result: NotificationPreferences };
  'contribution.create': { payload: ContributionFields & { commons_slug: string; kind: ContributionKind }; result: ContributionDetail };
  'contribution.update': {
    payload: Partial<Omit<ContributionFields, 'need_id' | 'agent_id' | 'co_author_agent_ids'>> & { contribution_id: number; comment: string };
    result: ContributionDetail;
  };
  'contribution.submit': { payload: ContributionAction; result: ContributionDetail };
  'contribution.accept_counter': { payload: ContributionAction; result: ContributionDetail };
  'contribution.withdraw': { payload: ContributionAction; result: ContributionDetail };
  'contribution.call': { payload: ContributionAction; result: ContributionDetail };
  'contribution.pay': { payload: ContributionAction; result: ContributionDetail };
  'contribution.counter': { payload: ContributionAction & { price_cents: number }; result: ContributionDetail };
  'need.create': {
    payload: { commons_slug: string; kind: ContributionKind; title: string; description?: string; target_cents: number; wanted_by?: string | null };
    result: Need;
  };
  'need.close': { payload: { need_id: number }; result: Need };
  'transfer.propose': {
    payload: { commons_slug: string; buyer_agent_id: number; units: string; unit_price_cents: number; seller_agent_id?: number | null };
    result: Transfer;
  };
  'transfer.accept': { payload: { transfer_id: number }; result: Transfer };
  'transfer.refuse': { payload: { transfer_id: number }; result: Transfer };
  'transfer.cancel': { payload: { transfer_id: number }; result: Transfer };
  'redemption.request': { payload: { commons_slug: string; units?: string | null; agent_id?: number | null }; result: Redemption };
  'redemption.execute': { payload: { redemption_id: number }; result: Redemption };
}

interface ContributionFields {
  title: string;
  description?: string;
  quantity?: string | null;
  unit?: string;
  unit_price_cents?: number | null;
  proposed_price_cents: number;
  price_explanation?: string;
  delivery_date?: string | null;
  resource_account?: string;
  resource_label?: string;
  co_author_agent_ids?: number[];
  need_id?: number | null;
  agent_id?: number | null;
}

interface ContributionAction {
  contribution_id: number;
  comment?: string;
}

export type CommandType = keyof Commands;
