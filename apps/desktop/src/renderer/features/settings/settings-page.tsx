import { Card, Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../app/routes.js';
import { LanguageSelect } from '../../components/language-select.js';
import { ConsentTextsSection } from './consent-texts-section.js';
import { EntitiesSection } from './entities-section.js';
import { ListsSection } from './lists-section.js';
import { SmtpSection } from './smtp-section.js';
import { MailboxSection } from '../intake/mailbox-section.js';
import { OptinSection } from '../optin/optin-section.js';

/** What each tab shows; its key is the tab's name in the address (#/settings/smtp). */
const PANELS = {
  entities: EntitiesSection,
  smtp: SmtpSection,
  intake: MailboxSection,
  optin: OptinSection,
  lists: ListsSection,
  texts: ConsentTextsSection,
  language: LanguagePanel,
};
type SettingsTab = keyof typeof PANELS;
const TABS = Object.keys(PANELS) as SettingsTab[];

function Panel({ tab }: { tab: SettingsTab }) {
  const Section = PANELS[tab];
  return <Section />;
}

function LanguagePanel() {
  const { t } = useTranslation();
  return (
    <Card withBorder maw={420}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('language.label')}
        </Title>
        <LanguageSelect />
      </Stack>
    </Card>
  );
}

/** Settings: sender entities, SMTP profiles with a connection test, lists, consent text versions, language. */
export function SettingsPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const tab: SettingsTab = TABS.find((candidate) => candidate === route.params[0]) ?? 'entities';
  return (
    <Stack>
      <Title order={1}>{t('settings.title')}</Title>
      <Tabs value={tab} onChange={(value) => value && navigate('settings', value)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((candidate) => (
            <Tabs.Tab key={candidate} value={candidate}>
              {t(`settings.tabs.${candidate}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((candidate) => (
          <Tabs.Panel key={candidate} value={candidate} pt="md">
            <Panel tab={candidate} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
