import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { useState } from 'react';
import type { DesktopRouter } from '../../shared/host-router.js';
import { AppRoot } from './app-root.js';
import { TRPCProvider } from './trpc.js';
import { createApiLink } from './trpc-link.js';

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

/** Providers: Mantine, TanStack Query, and the typed tRPC client over IPC or HTTP. */
export function App() {
  const [queryClient] = useState(() => {
    const client: QueryClient = new QueryClient({
      defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 5_000 } },
      // Every change writes events: refresh the status bar's counts and chain check after any mutation.
      mutationCache: new MutationCache({
        onSuccess: () => client.invalidateQueries({ queryKey: [['system']] }),
      }),
    });
    return client;
  });
  const [trpcClient] = useState(() => createTRPCClient<DesktopRouter>({ links: [createApiLink()] }));
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-center" />
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <AppRoot />
        </TRPCProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
