import { Group, Loader, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useState } from 'react';

// A saved e-mail has no reliable MIME type (often empty or application/octet-stream): accept by name.
const ACCEPT = { 'message/rfc822': ['.eml'], 'application/octet-stream': ['.eml'], '': ['.eml'] };

/**
 * A drop zone for saved e-mails (.eml: bounces, complaints, complained messages): anything else is refused
 * with `texts.rejected` until the next drop; `busy` shows that the dropped ones are being read.
 */
export function EmlDropzone({
  name,
  texts,
  busy,
  minHeight,
  onFiles,
}: {
  name: string;
  texts: { drop: string; dropLabel: string; reading: string; rejected: string };
  busy: boolean;
  minHeight: number;
  onFiles: (files: File[]) => void;
}) {
  const [rejected, setRejected] = useState(false);
  return (
    <>
      <Dropzone
        onDrop={(files) => {
          setRejected(false);
          onFiles(files);
        }}
        onReject={() => setRejected(true)}
        accept={ACCEPT}
        validator={(file) =>
          file.name.toLowerCase().endsWith('.eml')
            ? null
            : { code: 'file-invalid-type', message: texts.rejected }
        }
        loading={busy}
        aria-label={texts.dropLabel}
        name={name}
      >
        <Stack align="center" gap={4} mih={minHeight} justify="center" style={{ pointerEvents: 'none' }}>
          <Text size="lg">{texts.drop}</Text>
          {busy && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">{texts.reading}</Text>
            </Group>
          )}
        </Stack>
      </Dropzone>
      {rejected && (
        <Text c="red.8" role="alert">
          {texts.rejected}
        </Text>
      )}
    </>
  );
}
