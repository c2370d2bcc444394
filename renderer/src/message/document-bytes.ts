/** A document's bytes from the store, in chunks of 1 MiB over the contract (no 100 MB JSON values). */
import { useEffect, useState } from 'react';
import type { DocumentRef } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { base64ToBytes } from '../format/base64.js';

const CHUNK = 1024 * 1024;

export type DocumentBytes =
  | { readonly phase: 'loading'; readonly percent: number }
  | { readonly phase: 'ready'; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly phase: 'failed'; readonly error: unknown };

export function useDocumentBytes(id: number, ref: DocumentRef | null): DocumentBytes | null {
  const api = useApi();
  const [state, setState] = useState<DocumentBytes | null>(null);
  const key = ref === null ? '' : JSON.stringify(ref);
  useEffect(() => {
    if (ref === null) {
      setState(null);
      return;
    }
    let cancelled = false;
    setState({ phase: 'loading', percent: 0 });
    (async () => {
      let buffer: Uint8Array<ArrayBuffer> | undefined;
      for (let offset = 0; ;) {
        const chunk = await api.call('messages.documentChunk', { id, document: ref, offset, length: CHUNK });
        if (cancelled) return;
        buffer ??= new Uint8Array(chunk.size);
        const bytes = base64ToBytes(chunk.data);
        buffer.set(bytes, offset);
        offset += bytes.length;
        if (chunk.done || bytes.length === 0) break;
        setState({ phase: 'loading', percent: Math.floor((100 * offset) / Math.max(1, chunk.size)) });
      }
      if (!cancelled) setState({ phase: 'ready', bytes: buffer ?? new Uint8Array(0) });
    })().catch((error: unknown) => {
      if (!cancelled) setState({ phase: 'failed', error });
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the ref is described completely by its key
  }, [api, id, key]);
  return state;
}
