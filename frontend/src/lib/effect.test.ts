// The outcome label of a decision whose effect waits.
import { describe, expect, it } from 'vitest';
import { outcomeLabel, proposalLabel } from './effect';
import { en } from './i18n/en';
import { fr } from './i18n/fr';

const pending = { status: 'pending', reason: 'unknown_account', reason_messages: { fr: 'Compte inconnu dans ce livre.', en: 'Unknown account in this book.' } };

describe('outcomeLabel', () => {
  it('says the effect waits, in French and English', () => {
    expect(outcomeLabel(fr.decisions.outcome, fr, 'passed', pending)).toBe('adoptée — exécution en attente');
    expect(outcomeLabel(en.decisions.outcome, en, 'passed', pending)).toBe('passed — effect pending');
  });

  it('is the plain outcome once applied or without effect', () => {
    expect(outcomeLabel(fr.decisions.outcome, fr, 'passed', { ...pending, status: 'applied' })).toBe('adoptée');
    expect(outcomeLabel(fr.proposals.status, fr, 'rejected', null)).toBe('rejetée');
  });
});

describe('proposalLabel', () => {
  it('says a vote past its deadline is closing until the worker closes it', () => {
    expect(proposalLabel(fr, { status: 'open', closing_due: true })).toBe('clôture en cours');
    expect(proposalLabel(en, { status: 'open', closing_due: true })).toBe('closing');
    expect(proposalLabel(fr, { status: 'open', closing_due: false })).toBe('vote en cours');
    expect(proposalLabel(fr, { status: 'passed', closing_due: false, effect: pending })).toBe('adoptée — exécution en attente');
  });
});
