// Minimal typing for inflection@1 (ships none), covering what titles.ts uses.
declare module 'inflection' {
  const inflection: { titleize(s: string): string; underscore(s: string): string };
  export default inflection;
}
