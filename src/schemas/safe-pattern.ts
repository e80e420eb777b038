// Regular expressions in schemas run against client data with a backtracking engine, so a pattern
// such as (a+)+$ can take exponential time on a crafted string. Schemas are operator-controlled
// files, so this is a guard against mistakes, not a proof: it refuses the usual shapes of
// catastrophic backtracking (a quantified group that itself contains a quantifier, and
// backreferences) and leaves everything else to review.

/** Why a pattern is refused, or undefined when it looks linear. */
export function unsafePatternReason(pattern: string): string | undefined {
  // One entry per open group: whether a quantifier occurred inside it.
  const groups: boolean[] = [];
  let lastGroupHadQuantifier = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9k]/.test(next)) return 'backreferences are not allowed';
      i++;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      lastGroupHadQuantifier = false;
    } else if (ch === '(') {
      groups.push(false);
      lastGroupHadQuantifier = false;
    } else if (ch === ')') {
      lastGroupHadQuantifier = groups.pop() ?? false;
      if (lastGroupHadQuantifier && groups.length > 0) groups[groups.length - 1] = true;
      continue;
    } else if (isQuantifierAt(pattern, i)) {
      if (lastGroupHadQuantifier && isUnboundedAt(pattern, i)) {
        return 'a repeated group contains a repetition (nested quantifiers backtrack exponentially)';
      }
      if (groups.length > 0) groups[groups.length - 1] = true;
      if (ch === '{') i = pattern.indexOf('}', i);
      lastGroupHadQuantifier = false;
      continue;
    } else {
      lastGroupHadQuantifier = false;
    }
  }
  return undefined;
}

function isQuantifierAt(p: string, i: number): boolean {
  const ch = p[i];
  if (ch === '*' || ch === '+' || ch === '?') return !(ch === '?' && p[i - 1] === '(');
  return ch === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(i));
}

function isUnboundedAt(p: string, i: number): boolean {
  const ch = p[i];
  if (ch === '*' || ch === '+') return true;
  if (ch !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  return m !== null && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1000);
}

/** Every regular expression a schema document holds: `pattern` values and `patternProperties` keys, with their JSON pointers. */
export function patternsIn(schema: unknown, pointer = ''): Array<{ pointer: string; pattern: string }> {
  const found: Array<{ pointer: string; pattern: string }> = [];
  const stack: Array<[unknown, string]> = [[schema, pointer]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push([child, `${at}/${i}`]));
      continue;
    }
    const obj = node as Record<string, unknown>;
    if (typeof obj.pattern === 'string') found.push({ pointer: `${at}/pattern`, pattern: obj.pattern });
    const pp = obj.patternProperties;
    if (typeof pp === 'object' && pp !== null) {
      for (const key of Object.keys(pp)) found.push({ pointer: `${at}/patternProperties`, pattern: key });
    }
    // Annotation values and enum/const data are never schemas: do not look for patterns inside them.
    for (const [key, child] of Object.entries(obj)) {
      if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default' || key.startsWith('x-')) continue;
      stack.push([child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return found;
}
