import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "data/**", "node_modules/**", "test-results/**", "playwright-report/**", "db/migrations/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // The application's rules take the time from one clock (ADR 0025), so tests can move it.
    files: ["app/**/*.server.ts"],
    ignores: ["app/lib/clock.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Use serverNow() from ~/lib/clock.server (ADR 0025).",
        },
      ],
    },
  },
  {
    // Dependencies point one way: the demo seed imports the app's modules, never the reverse. Reference data the app
    // needs (the duty list, the demo accounts the login page lists) lives in app/modules and the seed reads it there.
    // (A leading "#" must be escaped: the patterns are gitignore-style.)
    files: ["app/**", "realtime/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["\\#db/seed", "\\#db/seed/*", "**/db/seed", "**/db/seed/*"],
              message: "The app does not import the demo seed: move what it needs into app/modules.",
            },
          ],
        },
      ],
    },
  },
  {
    // The foundation (identity, units) never imports a feature: the one can() that composes every domain's rules
    // lives above them all, in app/modules/access.ts (issue 13 §4). (The seed rule is repeated: a later block's options replace an earlier one's.)
    files: ["app/modules/identity/**", "app/modules/units/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["\\#db/seed", "\\#db/seed/*", "**/db/seed", "**/db/seed/*"],
              message: "The app does not import the demo seed: move what it needs into app/modules.",
            },
            {
              group: ["~/modules/access", "~/modules/halls/*", "~/modules/proposals/*", "~/modules/votes/*", "~/modules/whistles/*", "~/modules/messages/*", "~/modules/pledges/*", "~/modules/service-lists/*", "~/modules/wishes/*", "~/modules/projects/*", "~/modules/meetings/*", "~/modules/workbench/*"],
              message: "The foundation does not import a feature; a feature calls the foundation, and can() is composed in app/modules/access.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // server.ts may start the seeder in demo mode (seedDemoIfEmpty, the same step as `npm run db:seed`), and nothing else of it.
    files: ["server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["\\#db/seed/*", "!\\#db/seed/demo", "**/db/seed/*"],
              message: "Only the seeder's entry (#db/seed/demo) is started from server.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["server.ts", "scripts/**", "tests/load/**", "db/seed/cli.ts", "db/migrate-cli.ts"],
    rules: { "no-console": "off" },
  },
);
