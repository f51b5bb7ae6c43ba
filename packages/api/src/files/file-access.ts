import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '@consent-mailer/policy';

/**
 * Which files the api may read or write for its caller. A renderer is not trusted with the file system (an
 * XSS in it must not become "read /etc/passwd" or "write a backup over ~/.bashrc"), so by default a path is
 * accepted only inside the data folder (uploads land there) or when the host granted it, because the user
 * picked it in a native open/save dialog. The CLI passes `anyPath`: its paths come from the user's own
 * command line, which is the same choice a dialog makes.
 */
export interface FileAccess {
  /** True for a caller whose paths are the user's own choice (the CLI); false behind a renderer. */
  readonly anyPath: boolean;
  /** Allows one path (a file or a folder) the user chose in a native dialog. */
  grant(path: string): void;
  /** Whether `path` (absolute) is one the host granted, or lies inside a granted folder. */
  isGranted(path: string): boolean;
}

/**
 * A fresh set of grants.
 *
 * @example
 * const files = createFileAccess();
 * files.grant(chosen.path); // after dialog.showOpenDialog
 */
export function createFileAccess(options: { anyPath?: boolean } = {}): FileAccess {
  const granted = new Set<string>();
  return {
    anyPath: options.anyPath === true,
    grant(path) {
      const absolute = resolve(path);
      granted.add(absolute);
      granted.add(canonical(absolute));
    },
    isGranted(path) {
      for (const candidate of [resolve(path), canonical(resolve(path))]) {
        if (granted.has(candidate)) return true;
        for (const folder of granted) if (isInside(candidate, folder)) return true;
      }
      return false;
    },
  };
}

/**
 * The real path of `path`, following symbolic links; for a file that does not exist yet (a backup
 * target), the real path of its nearest existing folder with the rest appended.
 */
function canonical(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  if (parent === path) return path;
  return join(canonical(parent), basename(path));
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves a path a caller gave (relative ones are inside the data folder) and refuses it unless it is
 * inside the data folder (after following symbolic links) or granted. Every procedure that takes a path
 * goes through here.
 *
 * @throws {UserError} API_PATH_NOT_ALLOWED
 * @example
 * const source = allowedPath(ctx, input.path, 'read');
 */
export function allowedPath(
  context: { dataDir: string; files: FileAccess },
  path: string,
  use: 'read' | 'write',
): string {
  const absolute = isAbsolute(path) ? resolve(path) : resolve(context.dataDir, path);
  if (context.files.anyPath) return absolute;
  if (isInside(canonical(absolute), canonical(resolve(context.dataDir)))) return absolute;
  if (context.files.isGranted(absolute)) return absolute;
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  throw new UserError('API_PATH_NOT_ALLOWED', {
    en: `The app may not ${use === 'read' ? 'read' : 'write'} ${shown}: it is outside the data folder (${context.dataDir}) and was not chosen in a file dialog. Choose the file with the app's ${use === 'read' ? 'Open' : 'Save'} dialog (or upload it), or put it in the data folder.`,
    nl: `De app mag ${shown} niet ${use === 'read' ? 'lezen' : 'schrijven'}: het staat buiten de gegevensmap (${context.dataDir}) en is niet in een bestandsvenster gekozen. Kies het bestand met het venster ${use === 'read' ? 'Openen' : 'Opslaan'} van de app (of upload het), of zet het in de gegevensmap.`,
  });
}
