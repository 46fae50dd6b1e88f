// The "propose a contribution" form's draft: its price read from the typed text (integer cents) and the command payload.
import { multiplyCents, parseEuros, parseQuantity } from './amount';
import type { ContributionKind } from './api/types';

export interface ContributionDraft {
  kind: ContributionKind;
  title: string;
  description: string;
  pricing: 'quantity' | 'lump';
  quantity: string;
  unit: string;
  unitPrice: string;
  price: string;
  explanation: string;
  deliveryDate: string;
  resourceLabel: string;
  needId: number | null;
}

export function emptyDraft(): ContributionDraft {
  return {
    kind: 'labour',
    title: '',
    description: '',
    pricing: 'quantity',
    quantity: '',
    unit: '',
    unitPrice: '',
    price: '',
    explanation: '',
    deliveryDate: '',
    resourceLabel: '',
    needId: null,
  };
}

export interface Priced {
  /** The proposed price in cents, or null while it cannot be read. */
  total: number | null;
  quantity: string | null;
  unitCents: number | null;
  /** Field name → message key (`badAmount`, `badQuantity`) for what cannot be read. */
  problems: Record<string, 'badAmount' | 'badQuantity'>;
}

/** The price of a draft: quantity × unit price (exact, in cents) or the lump sum; blank fields are not problems yet. */
export function priceOf(draft: ContributionDraft): Priced {
  const problems: Priced['problems'] = {};
  if (draft.pricing === 'lump') {
    const total = draft.price.trim() ? parseEuros(draft.price) : null;
    if (draft.price.trim() && total === null) problems.proposed_price_cents = 'badAmount';
    return { total, quantity: null, unitCents: null, problems };
  }
  const quantity = draft.quantity.trim() ? parseQuantity(draft.quantity) : null;
  const unitCents = draft.unitPrice.trim() ? parseEuros(draft.unitPrice) : null;
  if (draft.quantity.trim() && quantity === null) problems.quantity = 'badQuantity';
  if (draft.unitPrice.trim() && unitCents === null) problems.unit_price_cents = 'badAmount';
  const total = quantity !== null && unitCents !== null ? multiplyCents(quantity, unitCents) : null;
  return { total, quantity, unitCents, problems };
}

/** The `contribution.create` payload of a draft whose price reads. */
export function createPayload(slug: string, draft: ContributionDraft, priced: Priced, agentId: number | null) {
  const byQuantity = draft.pricing === 'quantity';
  return {
    commons_slug: slug,
    kind: draft.kind,
    title: draft.title.trim(),
    description: draft.description.trim(),
    quantity: byQuantity ? priced.quantity : null,
    unit: byQuantity ? draft.unit.trim() : '',
    unit_price_cents: byQuantity ? priced.unitCents : null,
    proposed_price_cents: priced.total ?? 0,
    price_explanation: draft.explanation.trim(),
    delivery_date: draft.deliveryDate || null,
    resource_label: draft.resourceLabel.trim(),
    need_id: draft.needId,
    agent_id: agentId,
  };
}
