// Cube's /meta treatment of `format`: named numeric formats become d3-format specifiers and
// numeric members get a formatDescription (Cube 1.7's named-numeric-formats, as data).
import type { MemberFormat } from './types.ts';

type CustomNumeric = { type: 'custom-numeric'; value: string; alias?: string };
export type MetaFormat = MemberFormat | CustomNumeric;
export interface FormatDescription { name: string; specifier: string; currency?: string }

const DIGITS = [0, 1, 2, 3, 4, 5, 6];
// Zero decimals keep trailing zeros off by construction; others use `~` to trim them.
const family = (name: string, spec: (d: string) => string): [string, string][] =>
  DIGITS.map((d) => [`${name}_${d}`, spec(d === 0 ? '.0' : `.${d}~`)]);
const NAMED: Record<string, string> = Object.fromEntries([
  ...family('number', (d) => `,${d}f`),
  ...family('percent', (d) => `${d}%`),
  ...family('currency', (d) => `$,${d}f`),
  ...family('decimal', (d) => `,${d}f`),
  ...family('abbr', (d) => `${d === '.0' ? '.0~' : d}s`),
  ...family('accounting', (d) => `(,${d}f`),
  ['decimal', ',.2~f'], ['abbr', '.2~s'], ['accounting', '(,.2~f'], ['id', '.0f'],
]);
const STANDARD: Record<string, FormatDescription> = {
  percent: { name: 'percent', specifier: '.2~%' },
  currency: { name: 'currency', specifier: '$,.2~f' },
  number: { name: 'number', specifier: ',.2~f' },
  abbr: { name: 'abbr', specifier: '.2~s' },
  accounting: { name: 'accounting', specifier: '(,.2~f' },
  id: { name: 'id', specifier: '.0f' },
};
const DEFAULT: FormatDescription = { name: 'number', specifier: ',.2~f' };

export function measureFormat(format: MemberFormat | undefined): MetaFormat | undefined {
  if (format === undefined || typeof format === 'object') return format;
  if (NAMED[format]) return { type: 'custom-numeric', value: NAMED[format], alias: format };
  if (['percent', 'currency', 'number'].includes(format)) return format;
  return { type: 'custom-numeric', value: format };
}

export function dimensionFormat(format: MemberFormat | undefined, type: string): MetaFormat | undefined {
  if (format === undefined || typeof format === 'object') return format;
  if (NAMED[format]) return { type: 'custom-numeric', value: NAMED[format], alias: format };
  if (['imageUrl', 'currency', 'percent', 'number', 'id'].includes(format)) return format;
  if (type === 'time') return { type: 'custom-time', value: format };
  if (type === 'number') return { type: 'custom-numeric', value: format };
  return format;
}

/** Measures: all but string/boolean/time types; dimensions: number only. */
export function formatDescription(
  format: MetaFormat | undefined, type: string, isMeasure: boolean, currency?: string,
): FormatDescription | undefined {
  if (isMeasure ? ['string', 'boolean', 'time'].includes(type) : type !== 'number') return undefined;
  let desc: FormatDescription;
  if (format && typeof format === 'object' && format.type === 'custom-numeric') {
    desc = { name: ('alias' in format && format.alias) || 'custom', specifier: format.value };
  } else if (typeof format === 'string' && STANDARD[format]) desc = { ...STANDARD[format] };
  else desc = { ...DEFAULT };
  return currency ? { ...desc, currency } : desc;
}
