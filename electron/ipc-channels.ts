/** The only two IPC channels: calls (renderer → main, invoke/handle) and events (main → renderer). */
export const CALL_CHANNEL = 'postfach:call';
export const EVENT_CHANNEL = 'postfach:event';
