// Checks shared by the commands' flags.

/** A flag's decimal integer value within [min, max]; throws a message naming the flag otherwise. */
export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new Error(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  return n;
}
