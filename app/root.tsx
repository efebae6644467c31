import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { db } from "#db/client.server";
import { AppShell } from "~/components/app-shell";
import { ErrorPage } from "~/components/error-page";
import { publicConfig } from "~/config.server";
import { I18nProvider } from "~/i18n/react";
import type { Locale } from "~/i18n/i18n";
import { countUnread } from "~/modules/notifications/queries.server";
import { useNonce } from "~/lib/nonce";
import stylesUrl from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "共治 Gongzhi" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  return {
    user: user ? { id: user.id, displayName: user.displayName } : null,
    unreadCount: user ? await countUnread(db(), user.id) : 0,
    locale: context.locale,
    largeText: context.largeText,
    config: publicConfig(),
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root");
}

/** The document; rendered for pages and for error pages alike. */
export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const locale: Locale = data?.locale ?? "zh-CN";
  const nonce = useNonce();
  return (
    <html lang={locale === "zh-CN" ? "zh-Hans" : "en"} data-text-size={data?.largeText ? "large" : "normal"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#c8161d" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale} timeZone={data?.config.timeZone ?? "Asia/Shanghai"}>
          <AppShell>{children}</AppShell>
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // The server logs errors once, without parameters (entry.server.tsx handleError); the browser's console in development only.
  if (!isRouteErrorResponse(error) && import.meta.env.DEV && typeof document !== "undefined") console.error(error);
  return <ErrorPage status={status} />;
}
