// Domain types read off the API's paths (so they follow the server's spec whatever its schema names).
import type { paths } from './schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } } | { 201: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Me = Json<'/api/v1/auth/me', 'get'>;
export type Agent = Json<'/api/v1/agents', 'get'>[number];
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
export type Visibility = 'draft' | 'public' | 'private';
