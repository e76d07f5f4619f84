// Renders a country code as flag + name, for any table keyed by country.
import { countryName, flag } from './flag.ts';

export function CountryLabel({ code }: { code: unknown }) {
  return <span><span aria-hidden>{flag(code)} </span>{countryName(code)}</span>;
}
