/**
 * The browser entry: Remix's default, except that the page's language
 * catalogue (its own chunk, ~15 KB compressed) is loaded before hydrating, so
 * nobody downloads the language they do not read (targets.md: JavaScript
 * shipped for the hall page). The server renders `<html lang>` from the same
 * locale the catalogue is chosen by.
 */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalog } from "~/i18n/i18n";

const locale = document.documentElement.lang === "en" ? "en" : "zh-CN";

void loadCatalog(locale).then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
