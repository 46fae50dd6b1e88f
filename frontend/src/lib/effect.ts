// A decision's effect refused at closing: the outcome label that says it waits, and its reason in the reader's language.
import type { Messages } from './i18n/fr';

export interface EffectLike {
  status: string;
  reason: string;
  reason_messages: Record<string, string>;
}

/** `adoptée — exécution en attente`: the outcome (or proposal status) label, and that its effect waits. */
export function outcomeLabel(labels: Record<string, string>, t: Messages, outcome: string, effect?: EffectLike | null): string {
  const label = labels[outcome] ?? outcome;
  return effect?.status === 'pending' ? `${label} — ${t.decisions.effectPending}` : label;
}
