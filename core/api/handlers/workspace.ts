/**
 * Handlers of the contract area "workspace" (core/api/contract/workspace.ts): which mailbox the program works on
 * (real or Übungsmodus), the last fetch, the browser mode's uploads and downloads, the licences.
 *
 * One-liners: which mailbox and the last fetch are the application layer's Workspace (core/app/workspace.ts), the
 * transfer folders workspace-transfer.ts, the licences workspace-licenses.ts.
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { ServiceOptions } from '../service-protocol.js';
import type { Workspace } from '../../app/workspace.js';
import { serviceLicenses } from './workspace-licenses.js';
import { TransferFolders } from './workspace-transfer.js';

export function workspaceHandlers(options: ServiceOptions, workspace: Workspace) {
  const transfer = new TransferFolders(options.dataDir);

  return {
    'workspace.state': () => workspace.state(),
    'workspace.resume': (_input: HandlerInput<'workspace.resume'>, context: ServiceContext) => workspace.resume(context),
    'workspace.startTraining': (_input: HandlerInput<'workspace.startTraining'>, context: ServiceContext) => workspace.startTraining(context),
    'workspace.stopTraining': (_input: HandlerInput<'workspace.stopTraining'>, context: ServiceContext) => workspace.stopTraining(context),
    'workspace.chooseReal': (_input: HandlerInput<'workspace.chooseReal'>, context: ServiceContext) => workspace.chooseReal(context),
    'workspace.recordFetch': (input: HandlerInput<'workspace.recordFetch'>, context: ServiceContext) => workspace.recordFetch(input, context),

    'workspace.uploadFile': (input: HandlerInput<'workspace.uploadFile'>) => transfer.upload(input.kind, input.name, input.data),
    'workspace.discardUploads': () => ({ discarded: transfer.discardUploads() }),
    'workspace.createDownload': (input: HandlerInput<'workspace.createDownload'>) => transfer.createDownload(input.fileName),
    'workspace.downloadFiles': (input: HandlerInput<'workspace.downloadFiles'>) => ({ files: transfer.files(input.downloadId) }),
    'workspace.readDownload': (input: HandlerInput<'workspace.readDownload'>) => transfer.read(input.downloadId, input.file, input.offset, input.length),
    'workspace.releaseDownload': (input: HandlerInput<'workspace.releaseDownload'>) => ({ released: transfer.release(input.downloadId) }),

    'workspace.licenses': () => ({ licenses: serviceLicenses() }),
  };
}
