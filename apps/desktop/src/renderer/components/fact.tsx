import { Stack, Text } from '@mantine/core';

/** One fact of a record's summary (a mailing's sender, an acknowledgement's signer): a small label over it. */
export function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}
