// Svelte's compiler checks accessibility (a11y_*) at build time; svelte-check turns those
// warnings into failures in CI (`--fail-on-warnings`).
export default {
  compilerOptions: { runes: true },
};
