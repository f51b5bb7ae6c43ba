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

const TABS = ['entities', 'smtp', 'intake', 'optin', 'lists', 'texts', 'language'] as const;
type SettingsTab = (typeof TABS)[number];

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
        <Tabs.Panel value="entities" pt="md">
          <EntitiesSection />
        </Tabs.Panel>
        <Tabs.Panel value="smtp" pt="md">
          <SmtpSection />
        </Tabs.Panel>
        <Tabs.Panel value="intake" pt="md">
          <MailboxSection />
        </Tabs.Panel>
        <Tabs.Panel value="optin" pt="md">
          <OptinSection />
        </Tabs.Panel>
        <Tabs.Panel value="lists" pt="md">
          <ListsSection />
        </Tabs.Panel>
        <Tabs.Panel value="texts" pt="md">
          <ConsentTextsSection />
        </Tabs.Panel>
        <Tabs.Panel value="language" pt="md">
          <Card withBorder maw={420}>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('language.label')}
              </Title>
              <LanguageSelect />
            </Stack>
          </Card>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
