/**
 * Choosing a key or certificate file for the set-up. In the desktop app the native open dialog runs in the main
 * process and the UI only learns the path; in browser mode a file input reads the file and its bytes go one way
 * into `workspace.uploadFile`, which answers with a path in the service's data folder. Either way the rest of the
 * set-up passes a path to `identity.setup`.
 */
import { useId, useState } from 'react';
import { Button, FileTrigger } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { bytesToBase64 } from '../format/base64.js';
import { useT } from '../i18n/i18n.js';
import { useWorkspace } from '../state/workspace.js';

export interface PickedFile {
  readonly path: string;
  readonly name: string;
}

const accepted: Record<'p12' | 'certificate', string[]> = {
  p12: ['.p12', '.pfx', 'application/x-pkcs12'],
  certificate: ['.cer', '.crt', '.pem', '.der', '.p7b', '.p7c', 'application/x-x509-ca-cert', 'application/pkix-cert', 'application/x-pkcs7-certificates'],
};

export function FilePicker(props: {
  kind: 'p12' | 'certificate';
  label: string;
  value: PickedFile | null;
  onChange: (file: PickedFile | null) => void;
  onError: (error: unknown) => void;
  errorMessage?: string | undefined;
  description?: string;
  testId?: string;
}) {
  const { kind, label, value, onChange, onError, errorMessage, description, testId } = props;
  const api = useApi();
  const t = useT();
  const { isDesktop } = useWorkspace();
  const [busy, setBusy] = useState(false);
  const labelId = useId();
  const nameId = useId();
  const errorId = useId();
  const descriptionId = useId();

  const chooseNative = async (): Promise<void> => {
    setBusy(true);
    try {
      const { path } = await api.call('dialog.openFile', { kind });
      if (path !== null) onChange({ path, name: path.split(/[\\/]/).pop() ?? path });
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (files: FileList | null): Promise<void> => {
    const file = files?.[0];
    if (file === undefined) return;
    setBusy(true);
    try {
      const data = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      const uploaded = await api.call('workspace.uploadFile', { kind, name: file.name, data });
      onChange({ path: uploaded.path, name: uploaded.name });
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };

  const describedBy = [nameId, description ? descriptionId : undefined, errorMessage ? errorId : undefined].filter(Boolean).join(' ');
  const button = (
    <Button
      className="button button--secondary"
      isDisabled={busy}
      aria-label={`${label}: ${t.common.chooseFile}`}
      aria-describedby={describedBy}
      onPress={isDesktop ? () => void chooseNative() : undefined}
    >
      {t.common.chooseFile}
    </Button>
  );
  return (
    <div className="field" role="group" aria-labelledby={labelId} data-testid={testId}>
      <span className="field__label" id={labelId}>
        {label}
      </span>
      <div className="file-picker">
        {isDesktop ? (
          button
        ) : (
          <FileTrigger acceptedFileTypes={accepted[kind]} onSelect={(files) => void upload(files)}>
            {button}
          </FileTrigger>
        )}
        <span id={nameId} className={value ? 'file-picker__name' : 'file-picker__name file-picker__name--empty'}>
          {value?.name ?? t.common.noFileChosen}
        </span>
      </div>
      {description ? (
        <span id={descriptionId} className="field__description">
          {description}
        </span>
      ) : null}
      {errorMessage ? (
        <span id={errorId} className="field__error">
          {errorMessage}
        </span>
      ) : null}
    </div>
  );
}
