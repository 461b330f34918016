import { Segmented } from "antd";
import { useI18n } from "../i18n";

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <Segmented
      size="small"
      value={lang}
      onChange={(v) => setLang(v as "vi" | "en")}
      options={[
        { label: "VI", value: "vi" },
        { label: "EN", value: "en" },
      ]}
      aria-label={t("language")}
    />
  );
}
