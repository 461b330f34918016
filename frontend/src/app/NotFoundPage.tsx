import { Button, Result } from "antd";
import { Link } from "react-router-dom";
import { useI18n } from "../i18n";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Result status="404" title="404" subTitle={t("notFound")} extra={<Link to="/"><Button type="primary">{t("backHome")}</Button></Link>} />
  );
}
