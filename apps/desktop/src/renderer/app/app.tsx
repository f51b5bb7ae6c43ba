import {
  DEFAULT_THEME,
  MantineProvider,
  Notification,
  PasswordInput,
  createTheme,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type MantineThemeOverride,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { DateOnlyProvider } from '../components/date-only-input.js';
import { createTRPCClient } from '@trpc/client';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopRouter } from '../../shared/host-router.js';
import { AppRoot } from './app-root.js';
import notices from './notices.module.css';
import { STATUS_BAR_HEIGHT } from './shell-sizes.js';
import { TRPCProvider } from './trpc.js';
import { createApiLink } from './trpc-link.js';

const baseTheme: MantineThemeOverride = {
  primaryColor: 'teal',
  // WCAG 2.2 AA: white text on Mantine's default teal-6 is 2.5:1; teal-9 is above 4.5:1.
  primaryShade: { light: 9, dark: 8 },
  // Filled badges and buttons in light colours (yellow, orange) get dark text instead of white.
  autoContrast: true,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  colors: {
    // Filled buttons use shade 9: white on Mantine's orange-9 (#d9480f) is 4.29:1, under WCAG AA's 4.5:1
    // (axe, on "Read and sign"); this darker orange is 6.5:1 and is the orange text colour below too.
    orange: [...DEFAULT_THEME.colors.orange.slice(0, 9), '#a33a00'] as unknown as MantineColorsTuple,
  },
};

/**
 * Text colour per colour name on its own tint (shade 0, shade 1 under the pointer) and on white: Mantine's
 * light variants use shade 6 or lighter and tints of shade 1–2, 2.5:1 to 4.3:1; these meet the 4.5:1 that
 * WCAG AA asks of body text (checked by axe-core in the e2e tests, which leave the pointer on the button
 * they clicked). Yellow, orange and green need darker than Mantine's own shade 9; teal's shade 9 is 4.3:1 on
 * its shade 1, this one 5.3:1.
 */
const TEXT_ON_TINT: Record<string, string> = {
  teal: '#07704f',
  red: 'var(--mantine-color-red-9)',
  blue: 'var(--mantine-color-blue-9)',
  grape: 'var(--mantine-color-grape-9)',
  violet: 'var(--mantine-color-violet-9)',
  cyan: 'var(--mantine-color-cyan-9)',
  gray: 'var(--mantine-color-gray-7)',
  green: '#1e6b30',
  yellow: '#7a5200',
  orange: '#a33a00',
};

const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    // The active navigation item and other primary light variants read these, not the teal ones.
    '--mantine-primary-color-light-color': TEXT_ON_TINT.teal ?? '',
    '--mantine-primary-color-light': 'var(--mantine-color-teal-0)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-teal-1)',
    ...Object.fromEntries(
      Object.entries(TEXT_ON_TINT).flatMap(([color, text]) => [
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
        [`--mantine-color-${color}-light-color`, text],
        [`--mantine-color-${color}-text`, text],
      ]),
    ),
  },
  dark: {},
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
  const { t, i18n } = useTranslation();
  // Mantine's own buttons (close a notice, show a password) get their names in the user's language, once
  // here for every screen, instead of English or none (axe: button-name; issue 14).
  const theme = useMemo(
    () =>
      createTheme({
        ...baseTheme,
        components: {
          Notification: Notification.extend({
            defaultProps: { closeButtonProps: { 'aria-label': t('app.closeNotice') } },
          }),
          PasswordInput: PasswordInput.extend({
            defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('app.showPassword') } },
          }),
        },
      }),
    [t, i18n.language],
  );
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications
        position="bottom-right"
        classNames={notices}
        style={{ '--status-bar-height': `${STATUS_BAR_HEIGHT}px` }}
      />
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <DateOnlyProvider>
            <AppRoot />
          </DateOnlyProvider>
        </TRPCProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
