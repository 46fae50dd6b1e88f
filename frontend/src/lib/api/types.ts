// Domain types read off the API's paths (so they follow the server's spec whatever its schema names).
import type { paths } from './schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } } | { 201: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Me = Json<'/api/v1/auth/me', 'get'>;
export type Agent = Json<'/api/v1/agents', 'get'>[number];
export type DirectoryAnswer = Json<'/api/v1/agents/directory', 'get'>;
export type DirectoryEntry = DirectoryAnswer['results'][number];
export type Commons = Json<'/api/v1/commons', 'get'>[number];
export type CommonsDetail = Json<'/api/v1/commons/{slug}', 'get'>;
export type Member = Json<'/api/v1/commons/{slug}/members', 'get'>[number];
export type Invitation = Json<'/api/v1/commons/{slug}/invitations', 'get'>[number];
export type InvitationPublic = Json<'/api/v1/invitations/{token}', 'get'>;
export type ApiToken = Json<'/api/v1/auth/tokens', 'get'>[number];
export type NewApiToken = Json<'/api/v1/auth/tokens', 'post'>;

export const ROLES = ['steward', 'contributor', 'approver', 'funder', 'verifier', 'observer'] as const;
export type Role = (typeof ROLES)[number];
export const AGENT_KINDS = ['person', 'association', 'company', 'cooperative', 'local_authority', 'public_body', 'ngo'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];
/** What a user may create beside their own person (the server refuses a second person). */
export const ORGANISATION_KINDS = AGENT_KINDS.filter((kind) => kind !== 'person');
// In the SIRENE register, so tied to their SIREN (agents.domain.SIREN_REQUIRED_KINDS).
export const SIREN_REQUIRED_KINDS: readonly string[] = ['company', 'cooperative', 'local_authority', 'public_body'];
export type Visibility = 'draft' | 'public' | 'private';

// Governance.
export type CharterParameter = Json<'/api/v1/charter-parameters', 'get'>[number];
export type Charter = Json<'/api/v1/commons/{slug}/charter', 'get'>;
export type CharterRule = Charter['rules'][number];
export type CharterVersion = Json<'/api/v1/commons/{slug}/charter/versions', 'get'>[number];
export type CharterChange = CharterVersion['changes'][number];
export type Proposal = Json<'/api/v1/commons/{slug}/proposals', 'get'>[number];
export type ProposalDetail = Json<'/api/v1/proposals/{proposal_id}', 'get'>;
export type Tally = NonNullable<Proposal['tally']>;
export type Ballot = Json<'/api/v1/proposals/{proposal_id}/ballots', 'get'>[number];
export type BallotCast = Json<'/api/v1/proposals/{proposal_id}/ballots', 'post'>;
export type ProposalComment = Json<'/api/v1/proposals/{proposal_id}/comments', 'get'>[number];
export type Decision = Json<'/api/v1/commons/{slug}/decisions', 'get'>[number];
// A decision's effect refused at closing: pending with its reason, or applied since.
export type DecisionEffect = NonNullable<Decision['effect']>;
export type DecisionsVerify = Json<'/api/v1/commons/{slug}/decisions/verify', 'get'>;
export type Notifications = Json<'/api/v1/notifications', 'get'>;
export type Notification = Notifications['items'][number];
export type MarkRead = Json<'/api/v1/notifications/read', 'post'>;
export type NotificationPreferences = Json<'/api/v1/notifications/preferences', 'get'>;
export const CHOICES = ['for', 'against', 'abstain', 'object'] as const;
export type Choice = (typeof CHOICES)[number];
export const MEMBER_KINDS = ['amend_charter', 'free_motion', 'admit_member', 'grant_role', 'allocate_result'] as const;
export type ProposalKind = (typeof MEMBER_KINDS)[number];
export const PROPOSAL_STATUSES = ['open', 'passed', 'rejected', 'expired', 'withdrawn', 'draft'] as const;
export type Scalar = number | boolean | string | null;

// Books.
export type Book = Json<'/api/v1/commons/{slug}/ledger', 'get'>;
export type Account = Book['accounts'][number];
export type Period = Book['periods'][number];
export type ResultAllocation = Json<'/api/v1/commons/{slug}/ledger/allocations', 'get'>[number];
export type TrialBalance = Json<'/api/v1/commons/{slug}/ledger/trial-balance', 'get'>;
export type BalanceSheet = Json<'/api/v1/commons/{slug}/ledger/balance-sheet', 'get'>;
export type ReportSection = BalanceSheet['actif'][number];
export type IncomeStatement = Json<'/api/v1/commons/{slug}/ledger/income-statement', 'get'>;
export type CapitalKinds = Json<'/api/v1/commons/{slug}/ledger/capital-kinds', 'get'>;
export type GeneralLedger = Json<'/api/v1/commons/{slug}/ledger/general-ledger/{account_number}', 'get'>;
export type EntryPage = Json<'/api/v1/commons/{slug}/ledger/entries', 'get'>;
export type Entry = EntryPage['items'][number];
export type EntryDetail = Json<'/api/v1/commons/{slug}/ledger/entries/{entry_id}', 'get'>;

// Contributions and titles.
export type Contribution = Json<'/api/v1/contributions/commons/{slug}', 'get'>[number];
export type ContributionDetail = Json<'/api/v1/contributions/{contribution_id}', 'get'>;
export type Revision = ContributionDetail['revisions'][number];
export type Evidence = Contribution['evidence'][number];
export type Need = Json<'/api/v1/contributions/commons/{slug}/needs', 'get'>[number];
export const CONTRIBUTION_KINDS = ['cash', 'in_kind', 'labour'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];
export const CONTRIBUTION_STATES = ['draft', 'in_review', 'countered', 'accepted', 'called', 'paid', 'rejected', 'withdrawn'] as const;
export type CapTable = Json<'/api/v1/titles/{slug}/cap-table', 'get'>;
export type CapRow = CapTable['holders'][number];
export type NavPoint = Json<'/api/v1/titles/{slug}/nav-history', 'get'>[number];
export type PricePoint = Json<'/api/v1/titles/{slug}/price-history', 'get'>[number];
export type Transfer = Json<'/api/v1/titles/{slug}/transfers', 'get'>[number];
export type Redemption = Json<'/api/v1/titles/{slug}/redemptions', 'get'>[number];
export type PortfolioRow = Json<'/api/v1/titles/portfolio', 'get'>[number];

// Resources, usages and dues.
export type Resource = Json<'/api/v1/resources/{slug}', 'get'>[number];
export type ResourceDetail = Json<'/api/v1/resources/{slug}/{resource_id}', 'get'>;
export type Usage = Json<'/api/v1/resources/{slug}/usages', 'get'>[number];
export type Due = Json<'/api/v1/resources/{slug}/dues', 'get'>[number];
export type ResourceStats = Json<'/api/v1/resources/{slug}/stats', 'get'>;

// Impact: the indicator catalogue, objectives with verified progress, measurements, emission factors.
export type ImpactIndicator = Json<'/api/v1/impact/indicators', 'get'>[number];
export type Objective = Json<'/api/v1/impact/commons/{slug}/objectives', 'get'>[number];
export type ObjectiveProposed = Json<'/api/v1/impact/commons/{slug}/objectives', 'post'>;
export type ObjectiveDetail = Json<'/api/v1/impact/objectives/{objective_id}', 'get'>;
export type Measurement = ObjectiveDetail['measurements'][number];
export type MeasurementEvidence = Measurement['evidence'][number];
export type MeasurementReviewed = Json<'/api/v1/impact/measurements/{measurement_id}/verify', 'post'>;
export type EmissionFactor = Json<'/api/v1/impact/emission-factors', 'get'>[number];
// Funding: financings, the funder's follow-up, earmark tags.
export type Financing = Json<'/api/v1/funding/financings/{financing_id}', 'get'>;
export type FinancingDashboard = Json<'/api/v1/funding/financings/{financing_id}/dashboard', 'get'>;
export type EarmarkTag = Json<'/api/v1/funding/financings/{financing_id}/tags', 'post'>;

// The legal vehicle: the SEP contract, its versions and acceptance, title certificates.
export type Contract = Json<'/api/v1/legal/{slug}/contract', 'get'>;
export type ContractSection = Contract['sections'][number];
export type ContractMember = Contract['members'][number];
export type ContractVersion = Json<'/api/v1/legal/{slug}/contract/versions', 'get'>[number];
export type Certificate = Json<'/api/v1/legal/{slug}/certificates', 'post'>;
export type CertificateCheck = Json<'/api/v1/public/certificates/{code}', 'get'>;
