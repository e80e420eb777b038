/** One entry of GET /supported-languages (seed 000's shape). */
export interface Language {
  name: string;
  value: string;
  extension: string;
}

interface EnumDetails {
  name?: unknown;
  extension?: unknown;
}

/**
 * The languages a code-execution schema accepts, read from the schema itself: `language.enum` is
 * the list that validation enforces, `x-enum-details` adds the display name and file extension.
 * So the list users are shown and the list messages are checked against cannot drift apart.
 * Throws when the schema lacks either part: that is a schema file error, found at start-up.
 */
export function languagesFromSchema(document: Readonly<Record<string, unknown>>): Language[] {
  const properties = document.properties as Record<string, Record<string, unknown>> | undefined;
  const language = properties?.language;
  const values = language?.enum;
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
    throw new Error('the code-execution schema needs properties.language.enum, a list of strings');
  }
  const details = (language?.['x-enum-details'] ?? {}) as Record<string, EnumDetails | undefined>;
  return values.map((value) => {
    const d = Object.hasOwn(details, value) ? details[value] : undefined;
    if (typeof d?.name !== 'string' || typeof d.extension !== 'string') {
      throw new Error(`the code-execution schema needs properties.language["x-enum-details"].${value} with "name" and "extension"`);
    }
    return { name: d.name, value, extension: d.extension };
  });
}
