// A country's flag emoji from its ISO 3166-1 alpha-2 code (regional indicator symbols; no images to load).
export function flag(code: unknown): string {
  const cc = String(code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) return '🌐';
  return String.fromCodePoint(...[...cc].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

const names = (() => {
  try { return new Intl.DisplayNames(undefined, { type: 'region' }); } catch { return null; }
})();

export function countryName(code: unknown): string {
  const cc = String(code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) return cc || 'Unknown';
  try { return names?.of(cc) ?? cc; } catch { return cc; }
}
