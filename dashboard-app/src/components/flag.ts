// A country's flag as an SVG file shipped with the app (country-flag-icons, bundled by Vite),
// never an emoji: regional-indicator emoji render as empty boxes where no emoji font is installed.
const FLAG_FILES = import.meta.glob<string>('@flags/*.svg', { eager: true, query: '?url', import: 'default' });

const byCode = new Map(Object.entries(FLAG_FILES).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1, -4), url]));

/** The flag image's URL for an ISO 3166-1 alpha-2 code, or null for unknown / missing codes. */
export function flagUrl(code: unknown): string | null {
  const cc = String(code ?? '').trim().toUpperCase();
  return /^[A-Z]{2}$/.test(cc) ? byCode.get(cc) ?? null : null;
}

const names = (() => {
  try { return new Intl.DisplayNames(undefined, { type: 'region' }); } catch { return null; }
})();

export function countryName(code: unknown): string {
  const cc = String(code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) return cc || 'Unknown';
  try { return names?.of(cc) ?? cc; } catch { return cc; }
}
