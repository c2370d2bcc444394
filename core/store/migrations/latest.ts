/**
 * The schema version this program writes: the number of the last migration in index.ts. Kept apart from the list so
 * that opening a store of the current schema — every open but the first after an update — reads PRAGMA user_version
 * and loads none of the migrations' modules (schema-check.ts; issue 14, the service's start). index.ts refuses to
 * load when this number and its list disagree: a new migration updates both.
 */
export const LATEST_SCHEMA_VERSION = 19;
