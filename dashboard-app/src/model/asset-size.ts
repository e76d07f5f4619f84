// Which built assets a first visit downloads: the entry script, its modulepreloads and stylesheets in index.html.
export function initialAssets(indexHtml: string): string[] {
  const refs = new Set<string>();
  for (const m of indexHtml.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+\.(?:js|css))"/g)) refs.add(m[1]!);
  return [...refs];
}
