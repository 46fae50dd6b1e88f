// A decision's effect refused at closing: the outcome label that says it waits, and its reason in the reader's language.
import type { Messages } from './i18n/fr';

export interface EffectLike {
  status: string;
  reason: string;
  reason_messages: Record<string, string>;
}

/** A proposal's status tag: `clôture en cours` past its deadline until the worker closes it. */
export function proposalLabel(t: Messages, proposal: { status: string; closing_due?: boolean; effect?: EffectLike | null }): string {
  if (proposal.status === 'open' && proposal.closing_due) return t.proposals.closingDue;
  return outcomeLabel(t.proposals.status, t, proposal.status, proposal.effect);
}

/** `adoptée — exécution en attente`: the outcome (or proposal status) label, and that its effect waits. */
export function outcomeLabel(labels: Record<string, string>, t: Messages, outcome: string, effect?: EffectLike | null): string {
  const label = labels[outcome] ?? outcome;
  return effect?.status === 'pending' ? `${label} — ${t.decisions.effectPending}` : label;
}
