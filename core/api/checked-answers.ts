/**
 * Answers the service's runtime has already checked against the contract's output schema in this very process.
 *
 * The service runtime (service-runtime.ts) checks every answer before it posts it; a service in a worker thread of
 * this process (worker-service.ts) does so with the same contract code, and the answer reaches the host by
 * structured clone, which cannot change what was checked. A second check by the front end (dispatch.ts) costs
 * CPU (5–6 ms for the first 100-row page, 2 ms after; ≈ 12 ms over an app start) and protects nothing: so the host
 * marks such answers here and dispatch passes them on as they are. Only the host marks (service-host.ts, for a
 * channel that says it runs in this process); an answer from anywhere else — another process (Electron's utility
 * process), a front end's own answer — is checked as before. Every input is checked where it arrives, always
 * (issue 14, app start). This holds for every front end over a worker-thread service alike: the loopback bridge
 * (`postfach ui --browser`) and `postfach serve` (core/serve/, whose own answers, e.g. `inbox.people`, are not
 * marked and so are checked).
 */
const checked = new WeakSet<object>();

/** Marks a successful answer of a service in this process (its runtime checked it); returns it. */
export function markCheckedInProcess<T extends object>(answer: T): T {
  checked.add(answer);
  return answer;
}

/** Whether this very object is an answer that a service runtime in this process has checked. */
export function checkedInProcess(answer: object): boolean {
  return checked.has(answer);
}
