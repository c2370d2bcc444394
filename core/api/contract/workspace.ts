/**
 * Contract area "workspace": what only the UI needs and that is not mailbox data — which mailbox the program works
 * on (a real one or the Übungsmodus), the first-start state, the last fetch for the status bar, the browser mode's
 * file upload (key and certificate files for the set-up) and downloads (exports, audit CSV), and the licences of the
 * bundled libraries. Handlers: core/api/handlers/workspace*.ts. No Node and no DOM (imported by the renderer).
 *
 * Keys and passwords never come back out: an upload answers with a path inside the service's data folder, which
 * the UI hands on to `identity.setup`; the Übungsmodus store's password stays in the service.
 */
import { z } from 'zod';
import { serviceEvent, serviceMethod, shellMethod } from '../contract-kit.js';
import { count, isoTime, noInput, shortText } from './fields.js';
import { storeStatusSchema } from './mailbox.js';

const token = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const fileName = z.string().min(1).max(255);

/** unset: first start (neither a real mailbox nor the Übungsmodus chosen) · real · training (Übungsmodus). */
export const workspaceModeSchema = z.lazy(() => z.enum(['unset', 'real', 'training']));
export type WorkspaceMode = z.infer<typeof workspaceModeSchema>;

export const lastFetchSchema = z.lazy(() =>
  z.strictObject({
    at: isoTime,
    outcome: z.enum(['complete', 'cancelled', 'failed']),
    newMessages: count,
    /** The error kind of a failed fetch (no text: the UI has its own words for each kind). */
    errorKind: shortText.optional(),
  }),
);

/**
 * What the Übungsmodus is preparing, step by step: the test PKI's keys, the demo store, the invented applications sent
 * to its local intermediary (done of total; after the first few the mailbox opens and the rest follow in the background).
 */
export const trainingPreparationSchema = z.lazy(() =>
  z.strictObject({
    step: z.enum(['keys', 'store', 'applications']),
    done: count,
    total: count,
    /** Sending stopped with an error: what is missing is sent at the next start of the Übungsmodus. */
    failed: z.boolean(),
  }),
);
export type TrainingPreparation = z.infer<typeof trainingPreparationSchema>;

export const workspaceStateSchema = z.lazy(() =>
  z.strictObject({
    mode: workspaceModeSchema,
    /** Übungsmodus: the local intermediary of the demo mailbox runs in the service. */
    trainingRunning: z.boolean(),
    /** Where the Übungsmodus intermediary listens (loopback), for the settings screen. */
    trainingIntermediaryUrl: z.string().max(2000).nullable(),
    /** The Übungsmodus is still being prepared (in the background once its mailbox is open); null when nothing is. */
    trainingPreparation: trainingPreparationSchema.nullable(),
    lastFetch: lastFetchSchema.nullable(),
    /** The end of the last fetch that emptied the mailbox ("Zuletzt abgerufen"). */
    lastSuccessfulFetchAt: isoTime.nullable(),
  }),
);
export type WorkspaceState = z.infer<typeof workspaceStateSchema>;

/**
 * How the caseworker arranged the mailbox window, kept across restarts (workspace.json): the width of the message
 * list (the splitter between list and reading pane; null: the default), the list's density (two lines per row,
 * or one line as in a mail program's compact view) and whether the list sorted by Eingang is grouped by day
 * ("Heute", "Gestern", …; on by default, as in mail programs).
 */
// Built at import (not lazily): core/app/workspace-file.ts derives the file's schema from it when it loads.
export const uiLayoutSchema = z.strictObject({
  listWidth: z.number().int().min(160).max(4000).nullable(),
  density: z.enum(['comfortable', 'compact']),
  groupByDay: z.boolean(),
});
export type UiLayout = z.infer<typeof uiLayoutSchema>;
export { DEFAULT_UI_LAYOUT } from './ui-layout-default.js';

export const uploadKindSchema = z.lazy(() => z.enum(['p12', 'certificate']));

/** An uploaded key or certificate file: at most 256 KiB (a .p12 is a few KB). */
export const UPLOAD_MAX_BYTES = 256 * 1024;

export const downloadFileSchema = z.lazy(() => z.strictObject({ name: fileName, size: count }));

export const licenseSchema = z.lazy(() =>
  z.strictObject({
    name: shortText,
    version: shortText,
    license: shortText,
    /** Where it is used: the window (bundled into the UI), the background service, or a font. */
    usedIn: z.enum(['ui', 'service', 'font']),
    homepage: z.string().max(500).optional(),
  }),
);

export const workspaceMethods = {
  /** What the program works on, and the last fetch; never starts or opens anything. */
  'workspace.state': serviceMethod(
    () => noInput,
    () => workspaceStateSchema,
  ),
  /**
   * Called once by the UI after it has loaded: in the Übungsmodus starts the demo mailbox's intermediary and opens its
   * store; otherwise only answers. The store status tells the UI whether to ask for the password.
   */
  'workspace.resume': serviceMethod(
    () => noInput,
    () => z.strictObject({ state: workspaceStateSchema, store: storeStatusSchema }),
  ),
  /** First start or settings: the Übungsmodus (demo mailbox with synthetic applications, local intermediary). */
  'workspace.startTraining': serviceMethod(
    () => noInput,
    () => z.strictObject({ state: workspaceStateSchema, store: storeStatusSchema }),
  ),
  /** Leaves the Übungsmodus (its data stays for the next time); back to the first-start choice. */
  'workspace.stopTraining': serviceMethod(
    () => noInput,
    () => z.strictObject({ state: workspaceStateSchema, store: storeStatusSchema }),
  ),
  /** The real mailbox is set up (store created and identity imported): remembered for the next start. */
  'workspace.chooseReal': serviceMethod(
    () => noInput,
    () => workspaceStateSchema,
  ),
  /** Records how a fetch ended, for "Zuletzt abgerufen" in the status bar (kept across restarts). */
  'workspace.recordFetch': serviceMethod(
    () => z.strictObject({ outcome: lastFetchSchema.unwrap().shape.outcome, newMessages: count, errorKind: shortText.optional() }),
    () => workspaceStateSchema,
  ),

  /**
   * Browser mode's file upload for the set-up (the desktop app uses the native open dialog instead): the bytes go
   * in, the answer is a path in the service's data folder to pass to `identity.setup`. Deleted by `workspace.discardUploads`
   * and when the service starts.
   */
  'workspace.uploadFile': serviceMethod(
    () =>
      z.strictObject({
        kind: uploadKindSchema,
        name: fileName,
        data: z
          .string()
          .min(1)
          .max(Math.ceil(UPLOAD_MAX_BYTES / 3) * 4),
      }),
    () => z.strictObject({ path: z.string().min(1).max(4096), name: fileName, size: count }),
  ),
  'workspace.discardUploads': serviceMethod(
    () => noInput,
    () => z.strictObject({ discarded: count }),
  ),

  /**
   * Browser mode's downloads: a private folder in the data folder to export into (its path goes to
   * `messages.export` or `audit.exportCsv` as the target), then the files are read in chunks and the folder is
   * deleted (`workspace.releaseDownload`, and on every start).
   */
  'workspace.createDownload': serviceMethod(
    () => z.strictObject({ fileName }),
    () => z.strictObject({ downloadId: token, target: z.string().min(1).max(4096) }),
  ),
  'workspace.downloadFiles': serviceMethod(
    () => z.strictObject({ downloadId: token }),
    () => z.strictObject({ files: z.array(downloadFileSchema).max(10_000) }),
  ),
  'workspace.readDownload': serviceMethod(
    () =>
      z.strictObject({
        downloadId: token,
        file: fileName,
        offset: count,
        length: z
          .number()
          .int()
          .positive()
          .max(1024 * 1024),
      }),
    () => z.strictObject({ offset: count, size: count, data: z.string().max(Math.ceil((1024 * 1024) / 3) * 4), done: z.boolean() }),
  ),
  'workspace.releaseDownload': serviceMethod(
    () => z.strictObject({ downloadId: token }),
    () => z.strictObject({ released: z.boolean() }),
  ),

  /** The window's arrangement (splitter, list density, day groups) as the caseworker left it. */
  'workspace.layout': serviceMethod(
    () => noInput,
    () => uiLayoutSchema,
  ),
  /** Changes the given parts of the arrangement; answers with all of it. */
  'workspace.setLayout': serviceMethod(
    () => uiLayoutSchema.partial().strict(),
    () => uiLayoutSchema,
  ),

  /** Licences of the bundled libraries and fonts (about box). */
  'workspace.licenses': serviceMethod(
    () => noInput,
    () => z.strictObject({ licenses: z.array(licenseSchema).max(500) }),
  ),

  /**
   * Opens a message in a window of its own, beside the main window (side-by-side work with the case system).
   * Desktop app only; the browser mode answers `shell-unavailable`.
   */
  'window.openMessage': shellMethod(
    () => z.strictObject({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    () => z.strictObject({ opened: z.boolean() }),
  ),
};

export const workspaceEvents = {
  'workspace.changed': serviceEvent(() => workspaceStateSchema),
  /** Each step of the Übungsmodus's preparation; when it ends, `workspace.changed` follows with trainingPreparation null. */
  'workspace.trainingProgress': serviceEvent(() => trainingPreparationSchema),
};
