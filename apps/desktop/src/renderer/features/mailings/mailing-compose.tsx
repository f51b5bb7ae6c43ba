import { MAILING_CONTENTS, type Lang } from '@consent-mailer/policy/vocabulary';
import {
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  Input,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { navigate } from '../../app/routes.js';
import { useEntities, useLists, useSmtpProfiles } from '../settings/queries.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { BodyEditor } from './body-editor.js';
import { splitTemplate, TEMPLATE_IDS, wrapInTemplate, type TemplateId } from './email-templates.js';
import { MailingPreview } from './mailing-preview.js';
import { useCreateMailing, useUpdateMailing } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

type MailingContent = NonNullable<RouterInputs['mailings']['create']['content']>;

/** A layout around the editor's text, or `html`: the owner's own HTML, edited as such. */
type Layout = TemplateId | 'html';

interface ComposeForm {
  name: string;
  subject: string;
  layout: Layout;
  /** The editor's text (with a layout). */
  body: string;
  /** The whole HTML (with `html`). */
  html: string;
  text: string;
  senderEntityId: string | null;
  listId: string | null;
  smtpProfile: string | null;
  productCategories: string[];
  content: MailingContent;
  promotesThirdParty: boolean;
  lang: Lang;
}

/** A draft as the edit form starts from it. */
export type MailingDraft = RouterOutputs['mailings']['draft'];

/**
 * Writing a mailing: its fields on the left, the live preview on the right; saving goes to its assessment.
 * Given a `draft`, the form edits that mailing (subject, body, list, SMTP server…; the sender stays, as
 * the consents it is assessed against belong to it) and saving changes it (`mailings.update`).
 */
export function MailingCompose({ draft }: { draft?: MailingDraft } = {}) {
  const { t } = useTranslation();
  const uiLanguage = useUiLanguage();
  const entities = useEntities();
  const lists = useLists();
  const profiles = useSmtpProfiles();
  const [form, setForm] = useState<ComposeForm>(() => {
    if (!draft) return emptyForm(uiLanguage);
    // A draft the editor made opens in the editor; HTML from elsewhere opens as HTML, untouched.
    const made = splitTemplate(draft.html);
    return {
      name: draft.name,
      subject: draft.subject,
      layout: made?.id ?? 'html',
      body: made?.body ?? '',
      html: draft.html,
      text: draft.text,
      senderEntityId: draft.senderEntityId,
      listId: draft.listId,
      smtpProfile: draft.smtpProfileId,
      productCategories: draft.productCategories,
      content: draft.content,
      promotesThirdParty: draft.promotesThirdParty,
      lang: draft.lang,
    };
  });
  // The editor starts again from the form's text only when the draft (or the switch back from HTML) says so.
  const [editorKey, setEditorKey] = useState(0);
  const set = <K extends keyof ComposeForm>(key: K, value: ComposeForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  // With one sender, list or server there is nothing to choose: preselect it (the user can still see it).
  const entityId =
    form.senderEntityId ?? (entities.data?.length === 1 ? (entities.data[0]?.id ?? null) : null);
  const listId = form.listId ?? (lists.data?.length === 1 ? (lists.data[0]?.id ?? null) : null);
  const profileId = form.smtpProfile ?? (profiles.data?.length === 1 ? (profiles.data[0]?.id ?? null) : null);
  const entity = entities.data?.find((candidate) => candidate.id === entityId);
  const senderName = entity ? (entity.tradeName ?? entity.legalName) : '';
  const html =
    form.layout === 'html'
      ? form.html
      : form.body === ''
        ? ''
        : wrapInTemplate(form.layout, form.body, { senderName });
  const ownHtml = form.layout === 'html' && splitTemplate(form.html) === null;
  const [bodyMissing, setBodyMissing] = useState(false);
  const chooseLayout = (value: string) => {
    const layout = value === 'html' ? 'html' : TEMPLATE_IDS.find((id) => id === value);
    if (!layout || layout === form.layout) return;
    if (layout === 'html') {
      // Everything the editor made is carried into the HTML, so nothing is lost by looking at it.
      setForm((previous) => ({ ...previous, layout, html }));
      return;
    }
    const made = form.layout === 'html' ? splitTemplate(form.html) : null;
    setForm((previous) => ({ ...previous, layout, ...(made ? { body: made.body } : {}) }));
    if (made) setEditorKey((key) => key + 1);
  };

  const create = useCreateMailing((mailing) => navigate('mailings', mailing.id));
  const update = useUpdateMailing((mailing) => navigate('mailings', mailing.id));
  const save = draft ? update : create;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!entityId || !listId || !profileId) return;
    setBodyMissing(html.trim() === '');
    if (html.trim() === '') return;
    if (draft) {
      update.mutate({
        id: draft.id,
        name: form.name.trim(),
        subject: form.subject.trim(),
        html,
        text: form.text.trim() ? form.text : null,
        listId,
        smtpProfile: profileId,
        content: form.content,
        promotesThirdParty: form.promotesThirdParty,
        lang: form.lang,
        productCategories: form.productCategories.length > 0 ? form.productCategories : null,
      });
      return;
    }
    create.mutate({
      name: form.name.trim(),
      subject: form.subject.trim(),
      html,
      senderEntityId: entityId,
      listId,
      smtpProfile: profileId,
      content: form.content,
      promotesThirdParty: form.promotesThirdParty,
      lang: form.lang,
      ...(form.text.trim() ? { text: form.text } : {}),
      ...(form.productCategories.length > 0 ? { productCategories: form.productCategories } : {}),
    });
  };
  const loadError = entities.error ?? lists.error ?? profiles.error;
  const setupMissing = entities.data?.length === 0 || lists.data?.length === 0 || profiles.data?.length === 0;
  return (
    <Stack>
      <Title order={1}>
        {draft ? t('mailings.compose.editTitle', { name: draft.name }) : t('mailings.compose.title')}
      </Title>
      {loadError && <ErrorNotice error={loadError} />}
      {setupMissing && (
        <Alert color="yellow" role="alert">
          {t('mailings.compose.missingSetup')}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <form onSubmit={submit} aria-label={t('mailings.compose.formLabel')}>
            <Stack gap="sm">
              <TextInput
                label={t('mailings.compose.name')}
                description={t('mailings.compose.nameHint')}
                required
                value={form.name}
                onChange={(event) => set('name', event.currentTarget.value)}
              />
              <Select
                label={t('mailings.compose.entity')}
                required
                data={(entities.data ?? []).map((entity) => ({
                  value: entity.id,
                  label: entity.tradeName ?? entity.legalName,
                }))}
                value={entityId}
                onChange={(value) => set('senderEntityId', value)}
                disabled={draft !== undefined}
                description={draft ? t('mailings.compose.entityFixed') : undefined}
              />
              <Select
                label={t('mailings.compose.list')}
                required
                data={(lists.data ?? []).map((list) => ({
                  value: list.id,
                  label: t('mailings.compose.listMembers', { name: list.name, count: list.memberCount }),
                }))}
                value={listId}
                onChange={(value) => set('listId', value)}
              />
              <Select
                label={t('mailings.compose.smtp')}
                required
                data={(profiles.data ?? []).map((profile) => ({
                  value: profile.id,
                  label: `${profile.name} (${profile.fromAddress})`,
                }))}
                value={profileId}
                onChange={(value) => set('smtpProfile', value)}
              />
              <Radio.Group
                label={t('mailings.compose.content')}
                description={t('mailings.compose.contentHint')}
                value={form.content}
                onChange={(value) =>
                  set('content', MAILING_CONTENTS.find((candidate) => candidate === value) ?? 'MARKETING')
                }
              >
                <Group mt={4}>
                  {MAILING_CONTENTS.map((content) => (
                    <Radio key={content} value={content} label={t(`mailings.compose.contents.${content}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <TagsInput
                label={t('mailings.compose.categories')}
                description={t('mailings.compose.categoriesHint')}
                value={form.productCategories}
                onChange={(value) => set('productCategories', value)}
                clearable
              />
              <Checkbox
                label={t('mailings.compose.thirdParty')}
                checked={form.promotesThirdParty}
                onChange={(event) => set('promotesThirdParty', event.currentTarget.checked)}
              />
              <Select
                label={t('mailings.compose.lang')}
                data={(['nl', 'en'] as const).map((lang) => ({
                  value: lang,
                  label: t(`mailings.compose.langs.${lang}`),
                }))}
                value={form.lang}
                onChange={(value) => set('lang', value === 'en' ? 'en' : 'nl')}
                allowDeselect={false}
              />
              <TextInput
                label={t('mailings.compose.subject')}
                description={t('mailings.compose.subjectHint', { example: '{{firstName}}' })}
                required
                value={form.subject}
                onChange={(event) => set('subject', event.currentTarget.value)}
              />
              <Input.Wrapper
                label={t('mailings.compose.layout')}
                description={ownHtml ? t('mailings.compose.layoutOwnHtml') : t('mailings.compose.layoutHint')}
              >
                <SegmentedControl
                  mt={4}
                  fullWidth
                  value={form.layout}
                  onChange={chooseLayout}
                  data={[...TEMPLATE_IDS, 'html' as const].map((layout) => ({
                    value: layout,
                    label: t(`mailings.compose.layouts.${layout}`),
                    disabled: ownHtml && layout !== 'html',
                  }))}
                />
              </Input.Wrapper>
              {form.layout === 'html' ? (
                <Textarea
                  label={t('mailings.compose.html')}
                  description={t('mailings.compose.htmlHint')}
                  required
                  autosize
                  minRows={8}
                  maxRows={20}
                  value={form.html}
                  onChange={(event) => set('html', event.currentTarget.value)}
                  styles={{ input: { fontFamily: 'monospace' } }}
                />
              ) : (
                <BodyEditor
                  value={form.body}
                  resetKey={`${draft?.id ?? 'new'}:${editorKey}`}
                  onChange={(body) => set('body', body)}
                />
              )}
              {bodyMissing && html.trim() === '' && (
                <Alert color="red" role="alert">
                  {t('mailings.compose.bodyMissing')}
                </Alert>
              )}
              <Textarea
                label={t('mailings.compose.text')}
                description={t('mailings.compose.textHint')}
                autosize
                minRows={3}
                maxRows={12}
                value={form.text}
                onChange={(event) => set('text', event.currentTarget.value)}
              />
              {save.isError && <ErrorNotice error={save.error} />}
              <Group>
                <Button type="submit" loading={save.isPending} disabled={!entityId || !listId || !profileId}>
                  {draft ? t('mailings.compose.saveChanges') : t('mailings.compose.save')}
                </Button>
                <Button
                  variant="default"
                  onClick={() => (draft ? navigate('mailings', draft.id) : navigate('mailings'))}
                >
                  {t('mailings.compose.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        {/* The preview stays in sight while the owner writes further down the form. */}
        <Grid.Col
          span={{ base: 12, md: 6 }}
          style={{
            position: 'sticky',
            top: 'calc(var(--app-shell-header-height, 60px) + 16px)',
            alignSelf: 'flex-start',
          }}
        >
          <MailingPreview subject={form.subject} html={html} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function emptyForm(lang: Lang): ComposeForm {
  return {
    name: '',
    subject: '',
    layout: 'newsletter',
    body: '',
    html: '',
    text: '',
    senderEntityId: null,
    listId: null,
    smtpProfile: null,
    productCategories: [],
    content: 'MARKETING',
    promotesThirdParty: false,
    lang,
  };
}
