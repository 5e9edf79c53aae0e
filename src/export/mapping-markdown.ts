import { MAPPING_TABLE } from './mapping-table.js';
import { EXPORT_TARGETS, type Fidelity } from './types.js';

const MARK: Readonly<Record<Fidelity, string>> = { exact: '✓', approximate: '≈', dropped: '✗' };

/** The mapping table as the README prints it (between its export-table markers). */
export function renderMappingMarkdown(): string {
  const head = `| option | ${EXPORT_TARGETS.join(' | ')} |`;
  const rule = `| --- |${EXPORT_TARGETS.map(() => ' --- |').join('')}`;
  const rows = MAPPING_TABLE.map((row) => `| ${row.option} | ${EXPORT_TARGETS.map((t) => `${MARK[row.targets[t].fidelity]} ${row.targets[t].note}`.replaceAll('|', '\\|').replace(/<[^>]+>/g, '`$&`')).join(' | ')} |`);
  const exceptions = MAPPING_TABLE.flatMap((row) => Object.entries(row.underRuntime ?? {}).map(([target, m]) => `${row.option} on ${target}: ${MARK[m.fidelity]} ${m.note}`));
  const runtime = `With \`--runtime\`, kubernetes and compose follow the containerfile column${exceptions.length > 0 ? `, except ${exceptions.join('; ')}` : ''}.`;
  return [head, rule, ...rows, '', runtime].join('\n') + '\n';
}
