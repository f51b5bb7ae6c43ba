import { AppShell, Group, NavLink, ScrollArea, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HostInfo } from '../../shared/host-services.js';
import { LanguageSelect } from '../components/language-select.js';
import { AcknowledgementsPage } from '../features/acknowledgements/acknowledgements-page.js';
import { ArrivalsPage } from '../features/intake/arrivals-page.js';
import { ContactsPage } from '../features/contacts/contacts-page.js';
import { DashboardPage } from '../features/dashboard/dashboard-page.js';
import { ImportPage } from '../features/import/import-page.js';
import { MailingsPage } from '../features/mailings/mailings-page.js';
import { SettingsPage } from '../features/settings/settings-page.js';
import { SuppressionsPage } from '../features/suppressions/suppressions-page.js';
import { DatabaseStatusBar } from './database-status-bar.js';
import { routeHref, useRoute, type RouteName } from './routes.js';
import { HEADER_HEIGHT, STATUS_BAR_HEIGHT } from './shell-sizes.js';

interface Screen {
  name: RouteName;
  render: (params: string[]) => React.ReactNode;
}

/**
 * The screens in the navigation. A screen is listed only once the api procedures it needs exist; see the
 * README's "Desktop status" for what is still missing.
 */
const SCREENS: Screen[] = [
  { name: 'dashboard', render: () => <DashboardPage /> },
  { name: 'contacts', render: (params) => <ContactsPage params={params} /> },
  { name: 'import', render: () => <ImportPage /> },
  // Mailings and Acknowledgements screens: owned by the mailings-UI helper.
  { name: 'mailings', render: () => <MailingsPage /> },
  { name: 'acknowledgements', render: () => <AcknowledgementsPage /> },
  { name: 'arrivals', render: () => <ArrivalsPage /> },
  { name: 'suppressions', render: () => <SuppressionsPage /> },
  { name: 'settings', render: () => <SettingsPage /> },
];

/** The app shell: header with language choice, navigation, the current screen, and the database status. */
export function AppLayout({ host }: { host: HostInfo }) {
  const { t } = useTranslation();
  const route = useRoute();
  const screen = SCREENS.find((candidate) => candidate.name === route.name) ?? SCREENS[0];
  return (
    <AppShell
      header={{ height: HEADER_HEIGHT }}
      navbar={{ width: 230, breakpoint: 0 }}
      footer={{ height: STATUS_BAR_HEIGHT }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={2} size="h4">
            {t('app.name')}
          </Title>
          <LanguageSelect compact />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
        <ScrollArea>
          <Stack gap={2}>
            {SCREENS.map((candidate) => (
              <NavLink
                key={candidate.name}
                href={routeHref(candidate.name)}
                label={t(`nav.${candidate.name}`)}
                active={candidate.name === screen?.name}
                aria-current={candidate.name === screen?.name ? 'page' : undefined}
              />
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">{screen?.render(route.params)}</AppShell.Main>
      <AppShell.Footer px="md">
        <DatabaseStatusBar host={host} />
      </AppShell.Footer>
    </AppShell>
  );
}
