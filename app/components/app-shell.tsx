import { Form, Link, NavLink, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import type { NotificationPayload } from "#realtime/events";
import { useI18n } from "~/i18n/react";
import { useSocketEvent } from "~/realtime/hooks";
import { getSocket, reconnectSocket } from "~/realtime/socket.client";
import { useRootData } from "~/root";
import { BellIcon, GlobeIcon, HallIcon, HomeIcon, TextSizeIcon, UserIcon } from "./icons";

/**
 * The frame of every page: header with language and text-size switches,
 * main content, live toasts, and on phones a bottom bar of the most-used links.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const data = useRootData();
  const user = data?.user ?? null;
  const location = useLocation();
  const here = location.pathname + location.search;
  const [unread, setUnread] = useState(data?.unreadCount ?? 0);
  const [toasts, setToasts] = useState<NotificationPayload[]>([]);

  useEffect(() => setUnread(data?.unreadCount ?? 0), [data?.unreadCount]);
  // A different person now: the socket must present the new session.
  useEffect(() => reconnectSocket(), [user?.id]);
  // Mark the page live while the socket is connected (tests and the live dot read it).
  useEffect(() => {
    const socket = getSocket();
    const mark = () => (document.documentElement.dataset.live = socket.connected ? "connected" : "offline");
    mark();
    socket.on("connect", mark);
    socket.on("disconnect", mark);
    return () => {
      socket.off("connect", mark);
      socket.off("disconnect", mark);
    };
  }, []);

  const revalidator = useRevalidator();
  useSocketEvent("notification:new", (n) => {
    setUnread((u) => u + 1);
    // What the notification is about may be on this page: show its new state without a reload.
    revalidator.revalidate();
    // Two at most: they take room at the top of the page.
    setToasts((list) => [...list.slice(-1), n]);
    window.setTimeout(() => setToasts((list) => list.filter((x) => x.id !== n.id)), 8000);
  });

  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              共
            </span>
            <span className="brand__name">{t("app.name")}</span>
          </Link>
          <nav aria-label={t("nav.main")} className="top-nav">
            <NavLink to="/" end className="top-nav__link">
              {t("nav.home")}
            </NavLink>
            <NavLink to="/halls" className="top-nav__link">
              {t("nav.halls")}
            </NavLink>
            <NavLink to="/pledges" className="top-nav__link">
              {t("nav.pledges")}
            </NavLink>
            <NavLink to="/projects" className="top-nav__link">
              {t("nav.projects")}
            </NavLink>
            <NavLink to="/search" className="top-nav__link">
              {t("nav.search")}
            </NavLink>
            <NavLink to="/units" className="top-nav__link">
              {t("nav.directory")}
            </NavLink>
            {user ? (
              <NavLink to="/notifications" className="top-nav__link">
                {t("nav.notifications")}
              </NavLink>
            ) : null}
          </nav>
          <div className="header-tools">
            <Form method="post" action="/preferences" className="inline-form">
              <input type="hidden" name="redirectTo" value={here} />
              <input type="hidden" name="locale" value={data?.locale === "en" ? "zh-CN" : "en"} />
              <button type="submit" className="tool-button" aria-label={t("locale.switchToLabel")} lang={data?.locale === "en" ? "zh-Hans" : "en"}>
                <GlobeIcon size={20} />
                <span>{t("locale.switchTo")}</span>
              </button>
            </Form>
            <Form method="post" action="/preferences" className="inline-form">
              <input type="hidden" name="redirectTo" value={here} />
              <input type="hidden" name="textSize" value={data?.largeText ? "normal" : "large"} />
              <button
                type="submit"
                className="tool-button"
                aria-pressed={data?.largeText ?? false}
                aria-label={data?.largeText ? t("textSize.normalLabel") : t("textSize.largerLabel")}
              >
                <TextSizeIcon size={20} />
                <span className="tool-button__text">{data?.largeText ? t("textSize.normal") : t("textSize.larger")}</span>
              </button>
            </Form>
            {user ? (
              <>
                <Link to="/notifications" className="tool-button bell" aria-label={unread ? t("notifications.unreadCount", { count: unread }) : t("nav.notifications")}>
                  <BellIcon size={22} />
                  {unread > 0 ? (
                    <span className="badge" data-testid="unread-badge" aria-hidden="true">
                      {unread > 99 ? "99+" : unread}
                    </span>
                  ) : null}
                </Link>
                <Link to="/me" className="tool-button user-chip">
                  <UserIcon size={20} />
                  <span className="user-chip__name">{user.displayName}</span>
                </Link>
              </>
            ) : (
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="button button--primary button--small">
                {t("nav.login")}
              </Link>
            )}
          </div>
        </div>
        {/*
          Live notices sit in the sticky header, under its bar: they push the page down instead of lying over
          its buttons (issue 14 §4), stay in sight while scrolling, are read out politely and never take the focus.
        */}
        <div className="toasts" role="status" aria-live="polite">
          {toasts.map((n) => (
            <Toast key={n.id} notification={n} onClose={() => setToasts((list) => list.filter((x) => x.id !== n.id))} />
          ))}
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
      <nav className="bottom-nav" aria-label={t("nav.bottom")}>
        <NavLink to="/" end className="bottom-nav__link">
          <HomeIcon />
          <span>{t("nav.home")}</span>
        </NavLink>
        <NavLink to="/halls" className="bottom-nav__link">
          <HallIcon />
          <span>{t("nav.halls")}</span>
        </NavLink>
        {user ? (
          <>
            <NavLink to="/notifications" className="bottom-nav__link">
              <span className="bell">
                <BellIcon />
                {unread > 0 ? <span className="badge" aria-hidden="true">{unread > 99 ? "99+" : unread}</span> : null}
              </span>
              <span>{t("nav.notifications")}</span>
            </NavLink>
            <NavLink to="/me" className="bottom-nav__link">
              <UserIcon />
              <span>{t("nav.me")}</span>
            </NavLink>
          </>
        ) : (
          <NavLink to={`/login?redirectTo=${encodeURIComponent(here)}`} className="bottom-nav__link">
            <UserIcon />
            <span>{t("nav.login")}</span>
          </NavLink>
        )}
      </nav>
    </>
  );
}

function Toast({ notification, onClose }: { notification: NotificationPayload; onClose: () => void }) {
  const { t, tx } = useI18n();
  const text = tx(notification.kind, notification.params);
  return (
    <div className="toast" data-testid="toast">
      <BellIcon size={20} />
      <div className="toast__body">
        <strong className="toast__title">{t("notifications.live")}</strong>
        {notification.link ? (
          <Link to={notification.link} className="toast__text">
            {text}
          </Link>
        ) : (
          <span className="toast__text">{text}</span>
        )}
      </div>
      <button type="button" className="toast__close" onClick={onClose} aria-label={t("notifications.dismiss")}>
        ×
      </button>
    </div>
  );
}
