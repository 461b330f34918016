import { useState } from "react";
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from "antd";
import { DownloadOutlined, FileExcelOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { download, uploadForm } from "../api/files";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

type Report = components["schemas"]["ImportReport"];
type RowError = components["schemas"]["RowError"];

async function sendImport(file: File, dryRun: boolean): Promise<Report> {
  return (await uploadForm(`/api/v1/imports?dry_run=${dryRun}`, file)) as Report;
}

export function ImportPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const result = await sendImport(file, dryRun);
      setReport(result);
      if (result.committed) {
        message.success(t("import.done"));
        queryClient.invalidateQueries({ queryKey: keys.subjects.all });
        queryClient.invalidateQueries({ queryKey: keys.products.all });
      }
    } catch (e) {
      message.error(problemMessage(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography.Title level={3}>{t("import.title")}</Typography.Title>
      <Card>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => download("/api/v1/imports/template").catch((e) => message.error(problemMessage(e, lang)))}>
            {t("import.template")}
          </Button>
          <Upload
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setReport(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setReport(null);
            }}
          >
            <Button icon={<FileExcelOutlined />}>{t("import.choose")}</Button>
          </Upload>
          <Button disabled={!file} loading={busy} onClick={() => run(true)}>
            {t("import.dryRun")}
          </Button>
          <Button type="primary" disabled={!file || !report || report.errors.length > 0 || report.committed} loading={busy} onClick={() => run(false)}>
            {t("import.run")}
          </Button>
        </Space>
      </Card>
      {report && (
        <Card style={{ marginTop: 16 }} data-testid="import-report">
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Text>
              {t("nav.subjects")}: {report.subject_rows} {t("import.rows").toLowerCase()} · {t("nav.products")}: {report.product_rows} {t("import.rows").toLowerCase()}
            </Typography.Text>
            {report.committed ? (
              <Alert type="success" showIcon message={t("import.done")} />
            ) : report.errors.length === 0 ? (
              <Alert type="info" showIcon message={t("import.ok")} />
            ) : (
              <Table<RowError>
                title={() => `${t("import.errors")}: ${report.errors.length}`}
                rowKey={(e) => `${e.sheet}-${e.row}-${e.column}-${e.code}`}
                size="small"
                pagination={false}
                dataSource={report.errors}
                columns={[
                  { title: t("import.sheet"), dataIndex: "sheet" },
                  { title: t("import.row"), dataIndex: "row" },
                  { title: t("import.column"), dataIndex: "column" },
                  { title: t("import.message"), render: (_, e) => (lang === "vi" ? e.message_vi : e.message_en) },
                ]}
              />
            )}
          </Space>
        </Card>
      )}
    </>
  );
}
