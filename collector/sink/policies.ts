/** Retention policy of readings as polled: the default, so line protocol writes land here. */
export const RAW_POLICY = 'raw';
/** Readings downsampled by the continuous queries (downsample.ts), same measurement and field names. */
export const LONG_TERM_POLICY = 'long_term';
/** Alert events, kept for years and never downsampled (the continuous queries read only `raw`). */
export const EVENTS_POLICY = 'events';
