import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
// axe-core's browser build, injected as a script: it runs inside the page, against the real DOM.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One rule axe found broken, with where (CSS selectors of the first nodes). */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
  /** axe's own explanation for the first node, e.g. the colours and the ratio it measured. */
  summary: string;
}

/** The WCAG 2.2 AA rule sets (2.0, 2.1, 2.2 at levels A and AA). */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page as it is now and returns the serious and critical violations of WCAG 2.2 AA.
 *
 * @example
 * expect(await seriousViolations(page)).toEqual([]);
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the debugging protocol, not as a <script>: the app's CSP rightly refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate(async (tags) => {
    interface AxeResult {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' ')),
      summary: violation.nodes[0]?.failureSummary ?? '',
    }));
  }, WCAG_AA_TAGS);
  return findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical');
}
