// esbuild bundles imported CSS into app.css; to TypeScript such an import is a side effect only.
declare module '*.css';
