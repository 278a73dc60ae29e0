/**
 * A silence hides real alarms for as long as it lasts. Planned works on a UPS or CRAC last hours
 * to days; one forgotten for longer than a month hides every alarm it matches, so the API stops at
 * 30 days. Longer or recurring quiet times belong in maintenance_windows, in the reviewed config.
 */
export const MAX_SILENCE_DAYS = 30;
export const MAX_SILENCE_MS = MAX_SILENCE_DAYS * 86_400_000;
/** A silence names a few labels (site, device, rule, phase); hundreds of matchers is abuse, not use. */
export const MAX_MATCHERS = 20;
export const MAX_MATCHER_KEY = 64;
export const MAX_MATCHER_VALUE = 256;
/** Who did it (acknowledged, silenced): a name or a login, not an essay. */
export const MAX_AUTHOR = 100;
/** Free text (a note, a reason): enough for a paragraph, not a file. */
export const MAX_TEXT = 2000;
/** A site, room or device id as the configuration spells them (common/config/primitives.ts Identifier). */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
