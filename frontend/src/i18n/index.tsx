import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { messages, type MessageKey } from "./messages";
import type { Lang } from "../lib/problem";

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey) => string;
  /** Translates a dynamic key (e.g. `role.${role}`), falling back to the raw value. */
  tk: (prefix: string, value: string) => string;
}

const Context = createContext<I18n | null>(null);
const KEY = "ocop.lang";

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(KEY) === "en" ? "en" : "vi"));
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const table = messages[lang];
    return {
      lang,
      setLang,
      t: (key) => table[key],
      tk: (prefix, v) => (table as Record<string, string>)[`${prefix}.${v}`] ?? v,
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
