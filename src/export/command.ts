import { basename, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppSpec } from '../core/app-spec.js';

/** Where the Containerfile puts the build context, and so the app, in the image. */
export const IMAGE_WORKDIR = '/app';

/** The app's command as tend runs it on this machine: interpreter, its args, script, args. */
export function hostCommand(spec: AppSpec): string[] {
  return [...(spec.interpreter ? [spec.interpreter, ...spec.interpreterArgs] : []), spec.script, ...spec.args];
}

/**
 * The same command inside an image built from the app's folder: paths under cwd are moved to
 * /app, a program from elsewhere (the interpreter, or bash for a command line) is found on the
 * image's PATH by its name, and tend's own TypeScript loader becomes the image's `tsx`.
 */
export function imageCommand(spec: AppSpec): string[] {
  const interpreter = spec.interpreter ? [basename(spec.interpreter), ...spec.interpreterArgs.map((a) => imageArg(spec, a))] : [];
  const script = spec.interpreter ? toImagePath(spec, spec.script) : imageProgram(spec, spec.script);
  return [...interpreter, script, ...spec.args];
}

/** True when the app runs TypeScript through the tsx loader that tend ships. */
export function usesTsxLoader(spec: AppSpec): boolean {
  return spec.interpreterArgs.some((a) => a.includes('/node_modules/tsx/'));
}

function imageArg(spec: AppSpec, arg: string): string {
  if (arg.includes('/node_modules/tsx/')) return 'tsx';
  return arg.startsWith('file://') ? toImagePath(spec, fileURLToPath(arg)) : toImagePath(spec, arg);
}

function imageProgram(spec: AppSpec, path: string): string {
  const moved = toImagePath(spec, path);
  return moved === path && isAbsolute(path) ? basename(path) : moved;
}

export function toImagePath(spec: AppSpec, path: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(spec.cwd, path);
  if (inside === '') return IMAGE_WORKDIR;
  return inside.startsWith('..') || isAbsolute(inside) ? path : `${IMAGE_WORKDIR}/${inside}`;
}

/** A name every target accepts (DNS label): lower case, digits and dashes. */
export function objectName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'app').slice(0, 63);
}

export function portOf(spec: AppSpec): number | null {
  const port = Number(spec.env.PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

export function secondsRoundedUp(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** Lines as a comment block with the given marker ('#' for YAML, units and Containerfiles). */
export function commentBlock(lines: readonly string[], marker = '#'): string {
  return lines.map((line) => (line ? `${marker} ${line}` : marker)).join('\n') + '\n';
}

/**
 * YAML 1.1 quoting: strings such as `no`, `on` or `1000:1000` are quoted, so readers that still
 * follow YAML 1.1 (Docker Compose's among them) read them as strings too.
 */
export const YAML_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;
