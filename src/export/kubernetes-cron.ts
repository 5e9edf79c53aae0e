import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';

type K8sObject = Record<string, unknown>;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * cron_restart on Kubernetes: a CronJob that does what `kubectl rollout restart` does (patches
 * the Deployment's restartedAt annotation) with node from the app's own image, no other image
 * guessed, under a ServiceAccount whose Role may only get and patch that one Deployment.
 */
export function cronRestartObjects(spec: AppSpec, name: string, image: string, meta: (name: string) => K8sObject): K8sObject[] {
  const account = `${name}-restarter`;
  const patch = JSON.stringify({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '@NOW@' } } } } });
  const script = [
    `const fs = require('fs'); const d = '${SERVICE_ACCOUNT_DIR}/';`,
    `const ns = fs.readFileSync(d + 'namespace', 'utf8');`,
    `fetch('https://kubernetes.default.svc/apis/apps/v1/namespaces/' + ns + '/deployments/${name}', { method: 'PATCH',`,
    `  headers: { authorization: 'Bearer ' + fs.readFileSync(d + 'token', 'utf8'), 'content-type': 'application/strategic-merge-patch+json' },`,
    `  body: ${JSON.stringify(patch)}.replace('@NOW@', new Date().toISOString()) })`,
    `  .then((r) => { console.log('restart ${name}:', r.status); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e); process.exit(1); });`,
  ].join('\n');
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(account) },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(account), rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: [name], verbs: ['get', 'patch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(account), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: account }, subjects: [{ kind: 'ServiceAccount', name: account }] },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(`${name}-restart`),
      spec: {
        schedule: fiveFieldSchedule(spec.cronRestart ?? ''),
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                serviceAccountName: account,
                restartPolicy: 'Never',
                containers: [{ name: 'restart', image, command: ['node', '-e', script], env: [{ name: 'NODE_EXTRA_CA_CERTS', value: `${SERVICE_ACCOUNT_DIR}/ca.crt` }] }],
              },
            },
          },
        },
      },
    },
  ];
}

/** Kubernetes schedules have no seconds field: a 6-field pattern is accepted only at second 0. */
function fiveFieldSchedule(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length === 5) return fields.join(' ');
  if (fields.length === 6 && fields[0] === '0') return fields.slice(1).join(' ');
  throw new TendError('INVALID_ARGUMENT', `cron_restart "${pattern}": a Kubernetes CronJob schedule has no seconds`);
}
