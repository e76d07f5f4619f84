// Default titles exactly as Cube's CubeToMetaTransformer.titleize: `created_at` → "Created at",
// `user_id` → "User ID" (same libraries, same rules).
import camelCase from 'camelcase';
import inflection from 'inflection';

export function titleize(name: string): string {
  const titleized = inflection.titleize(inflection.underscore(camelCase(name, { pascalCase: true })));
  return titleized.replace(/\bId(s?)\b/g, (_m: string, plural: string) => `ID${plural}`);
}
