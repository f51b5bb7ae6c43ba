import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n.js';

/** Switches between Dutch and English; remembered for the next start. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size={compact ? 'xs' : 'sm'}
      aria-label={t('language.label')}
      value={i18n.language === 'nl' ? 'nl' : 'en'}
      onChange={(value) => changeLanguage(value)}
      data={[
        { value: 'nl', label: compact ? 'NL' : t('language.nl') },
        { value: 'en', label: compact ? 'EN' : t('language.en') },
      ]}
    />
  );
}
