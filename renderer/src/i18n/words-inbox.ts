/**
 * The words of the shared inbox (issue 13), German and English: who works on an application ("in Bearbeitung
 * durch …"), the buttons to take, give back, hand over and take over, "übertragen" with who, the sign-out of the
 * browser mode against `postfach serve`. Kept apart from messages.*.ts so the catalog of issue 11 can take them over.
 */
import type { UiLanguage } from '../../../core/api/contract.js';
import { useLanguage } from './i18n.js';

const de = {
  toolbarLabel: 'Bearbeitung',
  claimedByMe: 'In Bearbeitung durch Sie',
  claimedBy: (name: string) => `In Bearbeitung durch ${name}`,
  since: (when: string) => `seit ${when}`,
  unclaimed: 'Nicht zugewiesen',
  rowMine: 'bei Ihnen',
  rowClaimed: (name: string) => `bei ${name}`,
  claim: 'Bearbeiten',
  release: 'Freigeben',
  hand: 'Übergeben an …',
  handTo: (name: string) => `An ${name} übergeben`,
  noColleagues: 'Keine Kolleginnen oder Kollegen angelegt',
  takeOver: 'Übernehmen',
  claimed: 'Sie bearbeiten diesen Antrag jetzt.',
  released: 'Der Antrag ist freigegeben.',
  handed: (name: string) => `An ${name} übergeben.`,
  takenOver: (name: string) => `Von ${name} übernommen.`,
  transferredBy: (name: string, when: string) => `Übertragen von ${name} am ${when}`,
  transferredAt: (when: string) => `Übertragen am ${when}`,
  transferHeld: (name: string) => `${name} bearbeitet diesen Antrag: nur wer ihn bearbeitet, kann ihn als übertragen markieren.`,
  transferHeldLead: (name: string) => `${name} bearbeitet diesen Antrag: zum Markieren als übertragen zuerst übernehmen.`,
  signOut: 'Abmelden',
};

type InboxWords = typeof de;

const en: InboxWords = {
  toolbarLabel: 'Assignment',
  claimedByMe: 'You are working on this',
  claimedBy: (name: string) => `${name} is working on this`,
  since: (when: string) => `since ${when}`,
  unclaimed: 'Not assigned',
  rowMine: 'with you',
  rowClaimed: (name: string) => `with ${name}`,
  claim: 'Work on it',
  release: 'Release',
  hand: 'Hand to …',
  handTo: (name: string) => `Hand to ${name}`,
  noColleagues: 'No colleagues set up',
  takeOver: 'Take over',
  claimed: 'You are now working on this application.',
  released: 'The application is released.',
  handed: (name: string) => `Handed to ${name}.`,
  takenOver: (name: string) => `Taken over from ${name}.`,
  transferredBy: (name: string, when: string) => `Transferred by ${name} on ${when}`,
  transferredAt: (when: string) => `Transferred on ${when}`,
  transferHeld: (name: string) => `${name} is working on this application: only whoever works on it can mark it transferred.`,
  transferHeldLead: (name: string) => `${name} is working on this application: take it over first to mark it transferred.`,
  signOut: 'Sign out',
};

const WORDS: Readonly<Record<UiLanguage, InboxWords>> = { de, en };

export function inboxWords(language: UiLanguage): InboxWords {
  return WORDS[language];
}

export function useInboxWords(): InboxWords {
  return WORDS[useLanguage().language];
}
