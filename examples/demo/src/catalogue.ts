/** The shop's fixed catalogue: what can go into a cart. */

/** One thing the shop sells. */
export interface Product {
  sku: string;
  name: string;
  /** Price in cents, so totals add up exactly. */
  price: number;
}

/** Everything the demo shop sells. */
export const CATALOGUE: readonly Product[] = [
  { sku: 'tea', name: 'Green tea, 100 g', price: 650 },
  { sku: 'mug', name: 'Stoneware mug', price: 1200 },
  { sku: 'kettle', name: 'Gooseneck kettle', price: 4900 },
  { sku: 'biscuits', name: 'Oat biscuits', price: 380 },
];

/** The product with this SKU, or undefined for anything else a form might send. */
export function productOf(sku: unknown): Product | undefined {
  return CATALOGUE.find((p) => p.sku === sku);
}

/** Cents as a price tag, e.g. `€12.00`. */
export function formatPrice(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}
