// The commands the server registers: their payloads and results.
import type { Agent, AgentKind, Commons, Invitation, Member, Role, Visibility } from './types';

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
}

export type CommandType = keyof Commands;
