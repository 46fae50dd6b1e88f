// Tests of the contribution draft's price: quantity × unit price in integer cents, lump sums, unreadable fields.
import { describe, expect, it } from 'vitest';
import { createPayload, emptyDraft, priceOf } from './contribution';

describe('priceOf', () => {
  it('multiplies the quantity by the unit price in cents', () => {
    const draft = { ...emptyDraft(), quantity: '35', unit: 'h', unitPrice: '45,50' };
    expect(priceOf(draft)).toEqual({ total: 159250, quantity: '35', unitCents: 4550, problems: {} });
  });

  it('reads a lump sum and flags unreadable fields', () => {
    expect(priceOf({ ...emptyDraft(), pricing: 'lump', price: '1 200' }).total).toBe(120000);
    expect(priceOf({ ...emptyDraft(), pricing: 'lump', price: '12,345' }).problems).toEqual({ proposed_price_cents: 'badAmount' });
    expect(priceOf({ ...emptyDraft(), quantity: 'abc', unitPrice: '1' }).problems).toEqual({ quantity: 'badQuantity' });
  });

  it('builds the create payload without the unused pricing fields', () => {
    const draft = { ...emptyDraft(), pricing: 'lump' as const, price: '500', quantity: '3', title: ' Four ' };
    const payload = createPayload('atelier', draft, priceOf(draft), null);
    expect(payload).toMatchObject({ title: 'Four', quantity: null, unit_price_cents: null, proposed_price_cents: 50000 });
  });
});
