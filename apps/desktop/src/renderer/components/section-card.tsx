import { Card, Stack, Title, type MantineSize, type TitleSize } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A section of a screen: a bordered card named by its heading (the card's `aria-labelledby` points at the
 * heading's `id`, so screen readers and tests find the section by its title), its content stacked below.
 *
 * @example
 * <SectionCard id="send-title" title={t('mailings.send.title')} size="h3" gap="sm">…</SectionCard>
 */
export function SectionCard({
  id,
  title,
  size = 'h4',
  gap,
  padding,
  children,
}: {
  id: string;
  title: ReactNode;
  size?: TitleSize;
  gap?: MantineSize;
  padding?: MantineSize;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding={padding} component="section" aria-labelledby={id}>
      <Stack gap={gap}>
        <Title order={2} size={size} id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}
