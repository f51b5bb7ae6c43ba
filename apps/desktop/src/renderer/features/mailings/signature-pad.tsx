import { Button, Group, Stack, Text } from '@mantine/core';
import { useRef, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

const WIDTH = 480;
const HEIGHT = 140;

/**
 * A drawn signature (optional): pointer strokes on a canvas, handed up as a PNG data URL after each
 * stroke, or null when cleared. The api keeps it beside the typed name; it is not what makes the
 * acknowledgement valid (the Ed25519 signature is).
 */
export function SignaturePad({ onChange }: { onChange: (dataUrl: string | null) => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * WIDTH,
      y: ((event.clientY - rect.top) / rect.height) * HEIGHT,
    };
  };
  const start = (event: PointerEvent<HTMLCanvasElement>) => {
    const context = event.currentTarget.getContext('2d');
    if (!context) return;
    drawing.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, y } = point(event);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.strokeStyle = '#1a1b1e';
    context.beginPath();
    context.moveTo(x, y);
  };
  const move = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const context = event.currentTarget.getContext('2d');
    if (!context) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
  };
  const end = () => {
    if (!drawing.current) return;
    drawing.current = false;
    const element = canvas.current;
    if (element) onChange(element.toDataURL('image/png'));
  };
  const clear = () => {
    const element = canvas.current;
    element?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    onChange(null);
  };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('mailings.ack.signature')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('mailings.ack.signatureHint')}
      </Text>
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        aria-label={t('mailings.ack.signaturePad')}
        role="img"
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerLeave={end}
        style={{
          width: '100%',
          maxWidth: WIDTH,
          height: 'auto',
          aspectRatio: `${WIDTH} / ${HEIGHT}`,
          border: '1px dashed var(--mantine-color-gray-5)',
          borderRadius: 6,
          touchAction: 'none',
          background: 'white',
        }}
      />
      <Group>
        <Button size="xs" variant="subtle" onClick={clear}>
          {t('mailings.ack.clearSignature')}
        </Button>
      </Group>
    </Stack>
  );
}
