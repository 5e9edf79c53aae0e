/** Starter ecosystem files written by `tend init`. */
export type TemplateFormat = 'js' | 'yaml' | 'json' | 'toml';

const JS = `// tend ecosystem file. Start with: tend start ecosystem.config.js
// Every option: the README's "Start options" table (flag and ecosystem names) and
// node_modules/tend/schema/tend.schema.json (each option with its meaning).
/** @type {import('tend').EcosystemConfig} */
module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      // Cluster mode: one worker per CPU ("max"), a number, or CPUs minus n (-1).
      instances: 'max',
      exec_mode: 'cluster',
      // Stop: this signal first, SIGKILL after kill_timeout.
      kill_signal: 'SIGINT',
      kill_timeout: '5s',
      // Restart when the process tree uses more memory than this.
      max_memory_restart: '300M',
      // Log lines get a timestamp; files rotate at 10 MB, 10 kept, gzipped.
      time: true,
      max_size: '10M',
      retain: 10,
      compress: true,
      env: {
        NODE_ENV: 'development',
      },
      // Selected with: tend start ecosystem.config.js --env production
      env_production: {
        NODE_ENV: 'production',
      },
    },
    {
      name: 'worker',
      script: './worker.py',
      autorestart: true,
      restart_delay: '1s',
    },
  ],
};
`;

const YAML = `# tend ecosystem file. Start with: tend start ecosystem.config.yaml
apps:
  - name: api
    script: ./server.js
    instances: max        # one worker per CPU
    exec_mode: cluster
    kill_timeout: 5s
    max_memory_restart: 300M
    time: true
    env:
      NODE_ENV: development
    env_production:       # tend start ecosystem.config.yaml --env production
      NODE_ENV: production
  - name: worker
    script: ./worker.py
    restart_delay: 1s
`;

const JSON_TEXT = `{
  // tend ecosystem file (comments and trailing commas are allowed).
  "apps": [
    {
      "name": "api",
      "script": "./server.js",
      "instances": "max",
      "exec_mode": "cluster",
      "kill_timeout": "5s",
      "env": { "NODE_ENV": "development" },
      "env_production": { "NODE_ENV": "production" },
    },
  ],
}
`;

const TOML = `# tend ecosystem file. Start with: tend start ecosystem.config.toml
[[apps]]
name = "api"
script = "./server.js"
instances = "max"
exec_mode = "cluster"
kill_timeout = "5s"

[apps.env]
NODE_ENV = "development"

[apps.env_production]
NODE_ENV = "production"
`;

export const ECOSYSTEM_TEMPLATES: Record<TemplateFormat, { fileName: string; text: string }> = {
  js: { fileName: 'ecosystem.config.js', text: JS },
  yaml: { fileName: 'ecosystem.config.yaml', text: YAML },
  json: { fileName: 'ecosystem.config.json', text: JSON_TEXT },
  toml: { fileName: 'ecosystem.config.toml', text: TOML },
};
