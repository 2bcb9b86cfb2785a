/** Ends an exhaustive `switch`: the compiler proves it unreachable, and a bad runtime value fails loudly. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
