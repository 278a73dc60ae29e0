// The names live with the other stored names (common/contracts/stored.ts), where readers (the API) find them too.
export { EVENTS_POLICY, LONG_TERM_POLICY, RAW_POLICY } from '../../common/contracts/stored.js';
