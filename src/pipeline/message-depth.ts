/**
 * Whether a parsed JSON value nests deeper than `max` (a scalar is depth 0, `{}` or `[]` depth 1).
 * Iterative, so a hostile message cannot overflow the stack here, and it stops at the first
 * path that is too deep. Checked before schema validation and serialisation, both of which recurse.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
