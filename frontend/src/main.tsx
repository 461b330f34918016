import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import viVN from "antd/locale/vi_VN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/vi";
import { I18nProvider, useI18n } from "./i18n";
import { App } from "./app/App";
import { restoreSession } from "./api/client";
import type { ReactNode } from "react";

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

function Localized({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  dayjs.locale(lang === "vi" ? "vi" : "en");
  return (
    <ConfigProvider locale={lang === "vi" ? viVN : enUS} theme={{ token: { colorPrimary: "#b71c1c" } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

// A reload signs back in from the refresh cookie (the session itself is kept in memory only).
void restoreSession();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <Localized>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </Localized>
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
