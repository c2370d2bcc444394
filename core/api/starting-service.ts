/**
 * A service that is still starting, as the loopback bridge sees it: `postfach ui --browser` prints the address as
 * soon as the bridge listens, and the browser loads the UI while the service's worker loads its modules (both take
 * hundreds of milliseconds; one after the other they added up before the mailbox could open). Calls made meanwhile
 * wait for the service; events listened to meanwhile are passed on once it is up. A start that fails answers every
 * call with that failure.
 */
import type { Unsubscribe } from './api-types.js';
import type { BridgeService } from './bridge-server.js';
import type { EventName } from './contract.js';
import { failure } from './call-result.js';

export function whenStarted(starting: Promise<BridgeService>): BridgeService {
  // the caller awaits the start itself; here a failure only answers the calls
  starting.catch(() => undefined);
  return {
    async invoke(method, input) {
      let service: BridgeService;
      try {
        service = await starting;
      } catch (error) {
        return failure(error);
      }
      return service.invoke(method, input);
    },
    on(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
      let unsubscribe: Unsubscribe | undefined;
      let ended = false;
      starting.then(
        (service) => {
          if (!ended) unsubscribe = service.on(event, listener);
        },
        () => undefined,
      );
      return () => {
        ended = true;
        unsubscribe?.();
      };
    },
  };
}
