// Renders a country code as flag + name, for any table keyed by country.
import LanguageIcon from '@mui/icons-material/Language';
import { countryName, flagUrl } from './flag.ts';

const BOX = { width: 21, height: 14, verticalAlign: '-2px', marginRight: 6 } as const;

export function CountryLabel({ code }: { code: unknown }) {
  const url = flagUrl(code);
  return (
    <span>
      {url
        ? <img src={url} alt="" aria-hidden width={21} height={14} loading="lazy" data-testid="country-flag" style={{ ...BOX, borderRadius: 2, boxShadow: '0 0 0 1px rgba(0,0,0,.08)' }} />
        : <LanguageIcon aria-hidden data-testid="country-flag" sx={{ ...BOX, fontSize: 14, width: 21, color: 'text.secondary' }} />}
      {countryName(code)}
    </span>
  );
}
