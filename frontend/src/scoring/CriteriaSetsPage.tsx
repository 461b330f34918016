import { useState } from "react";
import { App, Button, Card, Collapse, Space, Table, Tag, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { ApiProblem, problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

interface CriterionOption { code: string; text: string; points: number }
interface Criterion { code: string; text: string; minimum_points?: number; options: CriterionOption[] }
interface Section { code: string; name: string; points: number; criteria: Criterion[] }
interface Part { code: string; name: string; points: number; sections: Section[] }

/** Criteria sets: the list, one set's parts → sections → criteria → options, and import. */
export function CriteriaSetsPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | undefined>();
  const sets = useQuery({ queryKey: keys.criteriaSets.all, queryFn: async () => unwrap(await api.GET("/api/v1/criteria-sets")) });
  const detail = useQuery({
    queryKey: keys.criteriaSets.detail(selected),
    enabled: !!selected,
    queryFn: async () => unwrap(await api.GET("/api/v1/criteria-sets/{id}", { params: { path: { id: selected ?? "" } } })),
  });
  const importSet = useMutation({
    mutationFn: async (text: string) => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new Error(String(e));
      }
      // The body is the documented JSON format; the server checks it.
      return unwrap(await api.POST("/api/v1/criteria-sets", { body: body as Record<string, never> }));
    },
    onSuccess: (created) => {
      message.success(t("criteria.imported"));
      queryClient.invalidateQueries({ queryKey: keys.criteriaSets.all });
      setSelected(created.id);
    },
    onError: (e) => {
      const errors = e instanceof ApiProblem ? e.problem.errors ?? [] : [];
      modal.error({
        title: problemMessage(e, lang),
        content: (
          <ul>
            {errors.map((f, i) => (
              <li key={i}>
                <code>{f.field}</code>: {lang === "vi" ? f.message_vi : f.message_en}
              </li>
            ))}
          </ul>
        ),
      });
    },
  });
  const parts = (detail.data?.set as { parts?: Part[] } | undefined)?.parts ?? [];
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t("nav.criteria")}</Typography.Title>
        {session?.user.role === "admin" && (
          <Upload accept="application/json,.json" showUploadList={false} beforeUpload={(file) => { file.text().then((text) => importSet.mutate(text)); return false; }}>
            <Button icon={<UploadOutlined />} loading={importSet.isPending}>{t("criteria.import")}</Button>
          </Upload>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={sets.isFetching}
        dataSource={sets.data}
        onRow={(s) => ({ onClick: () => setSelected(s.id), style: { cursor: "pointer" } })}
        rowClassName={(s) => (s.id === selected ? "ant-table-row-selected" : "")}
        columns={[
          { title: t("units.code"), dataIndex: "code" },
          { title: t("name"), dataIndex: "name" },
          { title: t("criteria.version"), dataIndex: "classification_version" },
          { title: t("criteria.appliesTo"), dataIndex: "applies_to", render: (a: string[]) => (a.length ? a.join(", ") : t("criteria.allProducts")) },
          { title: t("criteria.parts"), dataIndex: "part_points", render: (p: number[]) => p.join(" / ") },
          { title: t("criteria.count"), dataIndex: "criteria" },
        ]}
      />
      {detail.data && (
        <Card title={`${detail.data.name}${detail.data.decision ? ` — ${detail.data.decision}` : ""}`} style={{ marginTop: 16 }}>
          <Collapse
            defaultActiveKey={parts.map((p) => p.code)}
            items={parts.map((p) => ({
              key: p.code,
              label: `${t("sheet.part")} ${p.code}. ${p.name} (${p.points})`,
              children: p.sections.map((s) => (
                <div key={s.code} style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{s.code}. {s.name} ({s.points})</Typography.Text>
                  <ul>
                    {s.criteria.map((c) => (
                      <li key={c.code}>
                        {c.code}. {c.text} {c.minimum_points != null && <Tag color="orange">{t("sheet.minimum")} ≥ {c.minimum_points}</Tag>}
                        <div>
                          {c.options.map((o) => (
                            <Tag key={o.code}>{o.text} ({o.points})</Tag>
                          ))}
                        </div>
                      </li>
                    ))}
                  </ul>
                </div>
              )),
            }))}
          />
        </Card>
      )}
    </>
  );
}
