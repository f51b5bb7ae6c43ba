import { Button, Input, Menu } from '@mantine/core';
import { Link, RichTextEditor, type RichTextEditorLabels } from '@mantine/tiptap';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useId, useMemo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useMergeFields } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

/**
 * The mailing's text as a shop owner writes it: headings, bold, lists, links and merge fields from a menu,
 * no HTML. Tiptap (through Mantine's toolbar) keeps `{{firstName}}` as plain text, which the mailer fills
 * per recipient. `value` is read once per `resetKey`, so typing is not fought by the parent's state.
 */
export function BodyEditor({
  value,
  resetKey,
  onChange,
}: {
  value: string;
  resetKey: string;
  onChange: (html: string) => void;
}) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const labelId = useId();
  const descriptionId = useId();
  const fields = useMergeFields();
  const editor = useEditor(
    {
      // Mantine's Link opens the link editor on Mod+K; StarterKit's own would register "link" twice.
      extensions: [StarterKit.configure({ link: false, heading: { levels: [2, 3] } }), Link],
      content: value,
      onUpdate: ({ editor: current }) => onChange(current.isEmpty ? '' : current.getHTML()),
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelId,
          'aria-describedby': descriptionId,
          'data-testid': 'body-editor',
        },
      },
    },
    [resetKey],
  );
  const labels = useMemo(() => editorLabels(t), [t]);
  return (
    <Input.Wrapper
      label={t('mailings.compose.body')}
      description={t('mailings.compose.bodyHint')}
      required
      labelProps={{ id: labelId, htmlFor: undefined }}
      descriptionProps={{ id: descriptionId }}
    >
      <RichTextEditor editor={editor} labels={labels} mt={4}>
        <RichTextEditor.Toolbar>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.H2 />
            <RichTextEditor.H3 />
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Undo />
            <RichTextEditor.Redo />
          </RichTextEditor.ControlsGroup>
          <Menu position="bottom-start" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="default" disabled={!editor || !fields.data}>
                {t('mailings.compose.insertField')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(fields.data ?? []).map((field) => (
                <Menu.Item
                  key={field.name}
                  onClick={() => editor?.chain().focus().insertContent(`{{${field.name}}}`).run()}
                >
                  {field.label[lang]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content mih={220} />
      </RichTextEditor>
    </Input.Wrapper>
  );
}

/** The toolbar's button names in the owner's language (Mantine's own are English only). */
function editorLabels(t: TFunction): Partial<RichTextEditorLabels> {
  return {
    boldControlLabel: t('mailings.compose.editor.bold'),
    italicControlLabel: t('mailings.compose.editor.italic'),
    underlineControlLabel: t('mailings.compose.editor.underline'),
    h2ControlLabel: t('mailings.compose.editor.h2'),
    h3ControlLabel: t('mailings.compose.editor.h3'),
    bulletListControlLabel: t('mailings.compose.editor.bulletList'),
    orderedListControlLabel: t('mailings.compose.editor.orderedList'),
    blockquoteControlLabel: t('mailings.compose.editor.blockquote'),
    linkControlLabel: t('mailings.compose.editor.link'),
    unlinkControlLabel: t('mailings.compose.editor.unlink'),
    undoControlLabel: t('mailings.compose.editor.undo'),
    redoControlLabel: t('mailings.compose.editor.redo'),
    linkEditorInputLabel: t('mailings.compose.editor.linkInput'),
    linkEditorInputPlaceholder: 'https://www.example.nl/',
    linkEditorExternalLink: t('mailings.compose.editor.linkExternal'),
    linkEditorInternalLink: t('mailings.compose.editor.linkInternal'),
    linkEditorSave: t('mailings.compose.editor.linkSave'),
  };
}
