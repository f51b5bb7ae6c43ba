import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportFile } from '../../app/api-types.js';
import { uploadFile } from '../../app/trpc-link.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useHost } from '../../components/use-host.js';
import { useOpenFileDialog } from './queries.js';

export interface ChosenImportFile {
  file: ImportFile;
  name: string;
}

const ACCEPT = {
  'text/csv': ['.csv'],
  'text/plain': ['.txt', '.tsv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.ms-excel': ['.csv'],
};

/**
 * Choosing the contact file: the native open dialog in the desktop app, or a drop zone (click or drag) that
 * uploads the file to the browser host (or, inside Electron, sends its content, since a sandboxed page
 * cannot see a dropped file's path).
 */
export function FileStep({ onChosen }: { onChosen: (chosen: ChosenImportFile) => void }) {
  const { t } = useTranslation();
  const host = useHost();
  const [rejected, setRejected] = useState(false);
  const openDialog = useOpenFileDialog();
  const receive = useMutation({
    mutationFn: async (file: File): Promise<ChosenImportFile> => {
      if (host?.kind === 'browser') {
        const uploaded = await uploadFile(file);
        return { file: { path: uploaded.path }, name: uploaded.name };
      }
      return { file: { fileName: file.name, contentBase64: await toBase64(file) }, name: file.name };
    },
    onSuccess: onChosen,
  });

  // Without the native dialog, a real button opens the browser's file chooser: the drop zone is for the
  // mouse, and react-dropzone gives it no role, so a keyboard or screen-reader user needs the button.
  const openChooser = useRef<() => void>(null);

  return (
    <Stack>
      {!host?.nativeDialogs && (
        <Group>
          <Button loading={receive.isPending} onClick={() => openChooser.current?.()}>
            {t('import.file.choose')}
          </Button>
        </Group>
      )}
      {host?.nativeDialogs && (
        <Group>
          <Button
            loading={openDialog.isPending}
            onClick={() =>
              openDialog.mutate(
                {
                  title: t('import.file.dialogTitle'),
                  filters: [{ name: t('import.file.filterName'), extensions: ['csv', 'txt', 'tsv', 'xlsx'] }],
                },
                {
                  onSuccess: (chosen) =>
                    chosen && onChosen({ file: { path: chosen.path }, name: chosen.name }),
                },
              )
            }
          >
            {t('import.file.choose')}
          </Button>
        </Group>
      )}
      <Dropzone
        onDrop={(files) => {
          setRejected(false);
          const [file] = files;
          if (file) receive.mutate(file);
        }}
        onReject={() => setRejected(true)}
        accept={ACCEPT}
        maxFiles={1}
        multiple={false}
        loading={receive.isPending}
        aria-label={t('import.file.dropLabel')}
        name="contact-file"
        openRef={openChooser}
        activateOnKeyboard={false}
      >
        <Stack align="center" gap={4} mih={140} justify="center" style={{ pointerEvents: 'none' }}>
          <Text size="lg">{t('import.file.drop')}</Text>
          <Text size="sm" c="dimmed">
            {t('import.file.dropHint')}
          </Text>
          {receive.isPending && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">{t('import.file.uploading')}</Text>
            </Group>
          )}
        </Stack>
      </Dropzone>
      {rejected && (
        <Text c="red" role="alert">
          {t('import.file.rejected')}
        </Text>
      )}
      {receive.isError && <ErrorNotice error={receive.error} />}
      {openDialog.isError && <ErrorNotice error={openDialog.error} />}
    </Stack>
  );
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // Chunked: String.fromCharCode with a whole file's bytes as arguments overflows the call stack.
  for (let offset = 0; offset < bytes.length; offset += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
