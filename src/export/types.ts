import type { AppSpec } from '../core/app-spec.js';

/** Where `tend export` can hand apps over to. */
export const EXPORT_TARGETS = ['kubernetes', 'compose', 'nomad', 'systemd', 'containerfile'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** How much of an option's meaning a target keeps. */
export type Fidelity = 'exact' | 'approximate' | 'dropped';

export interface ExportOptions {
  /** Container image (required for kubernetes and compose, never guessed). */
  image: string | null;
  /** Kubernetes namespace of every object, or null for the context's default. */
  namespace: string | null;
  /** Export even when an option is dropped (each is then listed at the top of the output). */
  allowLossy: boolean;
  /** TEND_HOME the apps were resolved against: log paths under its logs/ are tend's defaults. */
  home: string;
  /** The ecosystem file the apps came from, and its `--env` (the Containerfile runs it). */
  configFile: string | null;
  envName: string | null;
  /**
   * kubernetes, compose: run each app under tend-runtime in its container (an image built from
   * `tend export containerfile`), so a cluster stays one pod and every option keeps its meaning.
   */
  runtime: boolean;
}

/** One file of the export; `name` is relative to `--out`. */
export interface ExportFile {
  name: string;
  content: string;
}

/** The notes at the top of a file about these apps: its source, and what was approximated or dropped. */
export type HeaderFor = (apps: readonly AppSpec[]) => string[];

/** An exporter turns resolved apps into files, each opening with `headerFor` of its apps. */
export type Exporter = (apps: readonly AppSpec[], options: ExportOptions, headerFor: HeaderFor) => ExportFile[];
