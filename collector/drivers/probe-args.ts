/** An integer option of the probe command within bounds, or the message saying what is wrong with it. */
export function integerOption(name: string, text: string | undefined, min: number, max: number): number | string {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} must be an integer from ${min} to ${max}, got "${text}"`;
}

/** A string option's value (parseArgs types every value as string, boolean or a list of them). */
export function stringOption(value: string | boolean | (string | boolean)[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
