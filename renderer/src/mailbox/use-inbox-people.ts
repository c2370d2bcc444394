/**
 * Whether this mailbox is shared by a team (`postfach serve`) and with whom: read once per contract client
 * (`inbox.people`). The single-PC mode answers "no team": the views "Meine" and "Nicht zugewiesen" and the claim
 * buttons stay away there, so the one-person program looks as before.
 */
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../core/api/contract.js';
import type { PostfachApi } from '../../../core/api/api-types.js';
import { useApi } from '../api/api-context.js';

export type InboxPeople = MethodOutput<'inbox.people'>;

const NO_TEAM: InboxPeople = { team: false, mayTakeOver: true, colleagues: [] };
const asked = new WeakMap<PostfachApi, Promise<InboxPeople>>();

export function useInboxPeople(): InboxPeople {
  const api = useApi();
  const [people, setPeople] = useState<InboxPeople>(NO_TEAM);
  useEffect(() => {
    let live = true;
    let question = asked.get(api);
    if (question === undefined) {
      // a service that cannot answer (an older one) is a single-PC mailbox
      question = api.call('inbox.people', {}).catch(() => NO_TEAM);
      asked.set(api, question);
    }
    void question.then((p) => {
      if (live) setPeople(p);
    });
    return () => {
      live = false;
    };
  }, [api]);
  return people;
}
