import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n.js';
import { useUiLanguage } from './ui-language.js';

/** Switches between Dutch and English; remembered for the next start. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  return (
    <SegmentedControl
      size={compact ? 'xs' : 'sm'}
      aria-label={t('language.label')}
      value={lang}
      onChange={(value) => changeLanguage(value)}
      data={[
        { value: 'nl', label: compact ? 'NL' : t('language.nl') },
        { value: 'en', label: compact ? 'EN' : t('language.en') },
      ]}
    />
  );
}
