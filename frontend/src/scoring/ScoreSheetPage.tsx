import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { Affix, Alert, App, Button, Card, Col, Input, Radio, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { IssueCertificateButton, LevelTag, Stars } from "./components";
import { keys } from "../api/keys";

/** The criteria set's JSON format (see the README). */
interface CriterionOption { code: string; text: string; points: number }
interface Criterion { code: string; text: string; minimum_points?: number; options: CriterionOption[] }
interface Section { code: string; name: string; points: number; criteria: Criterion[] }
interface Part { code: string; name: string; points: number; sections: Section[] }
interface CriteriaSet { code: string; name: string; parts: Part[] }

type Answers = Record<string, string>;

function subtotals(set: CriteriaSet, answers: Answers) {
  const parts = set.parts.map((part) =>
    part.sections.flatMap((s) => s.criteria).reduce((sum, c) => sum + (c.options.find((o) => o.code === answers[c.code])?.points ?? 0), 0),
  );
  const failed = set.parts
    .flatMap((p) => p.sections.flatMap((s) => s.criteria))
    .filter((c) => c.minimum_points != null && answers[c.code] != null && (c.options.find((o) => o.code === answers[c.code])?.points ?? 0) < c.minimum_points);
  return { parts, total: parts.reduce((a, b) => a + b, 0), failed: failed.map((c) => c.code) };
}

/** One product's score sheet, built for keyboard entry: 1–9 picks an option, ↑/↓ moves. */
export function ScoreSheetPage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: keys.sessionItems.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/session-items/{id}", { params: { path: { id } } })) });
  const d = detail.data;
  const set = d?.criteria_set.set as CriteriaSet | undefined;
  const criteria = useMemo(() => set?.parts.flatMap((p) => p.sections.flatMap((s) => s.criteria)) ?? [], [set]);
  const [answers, setAnswers] = useState<Answers>({});
  const [comment, setComment] = useState("");
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [current, setCurrent] = useState(0);
  const rows = useRef<(HTMLDivElement | null)[]>([]);
  useEffect(() => {
    setAnswers(d?.my_sheet?.answers ?? {});
    setComment(d?.my_sheet?.comment ?? "");
  }, [d?.my_sheet]);
  const editable = !!d && (d.can_score || d.can_revise);
  const choose = useCallback((code: string, option: string) => setAnswers((a) => ({ ...a, [code]: option })), []);
  useEffect(() => {
    if (!editable) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.tagName === "TEXTAREA" || target.tagName === "INPUT" && (target as HTMLInputElement).type !== "radio") return;
      const criterion = criteria[current];
      if (!criterion) return;
      if (/^[1-9]$/.test(e.key)) {
        const option = criterion.options[Number(e.key) - 1];
        if (option) {
          e.preventDefault();
          choose(criterion.code, option.code);
          setCurrent((c) => Math.min(c + 1, criteria.length - 1));
        }
      } else if (e.key === "ArrowDown" || e.key === "j") {
        e.preventDefault();
        setCurrent((c) => Math.min(c + 1, criteria.length - 1));
      } else if (e.key === "ArrowUp" || e.key === "k") {
        e.preventDefault();
        setCurrent((c) => Math.max(c - 1, 0));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editable, criteria, current, choose]);
  useEffect(() => {
    rows.current[current]?.scrollIntoView({ block: "nearest" });
  }, [current]);
  const onError = (e: unknown) => message.error(problemMessage(e, lang));
  const update = (next: unknown) => queryClient.setQueryData(keys.sessionItems.detail(id), next);
  const body = { answers, comment: comment || null };
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PUT("/api/v1/session-items/{id}/sheet", { params: { path: { id } }, body })),
    onSuccess: (next) => { update(next); message.success(t("saved")); },
    onError,
  });
  const submit = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/session-items/{id}/sheet/submit", { params: { path: { id } }, body })),
    onSuccess: (next) => { update(next); message.success(t("sheet.submitted")); queryClient.invalidateQueries({ queryKey: keys.sessions.all }); },
    onError,
  });
  const finalize = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/session-items/{id}/finalize", { params: { path: { id } }, body: { discussion_note: note || null } })),
    onSuccess: (next) => { update(next); message.success(t("saved")); queryClient.invalidateQueries({ queryKey: keys.sessions.all }); },
    onError,
  });
  const reopen = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/session-items/{id}/reopen", { params: { path: { id } }, body: { reason } })),
    onSuccess: (next) => { update(next); message.success(t("saved")); },
    onError,
  });
  if (!d || !set) return detail.error ? <Typography.Text type="danger">{problemMessage(detail.error, lang)}</Typography.Text> : null;
  const live = subtotals(set, editable ? answers : (d.my_sheet?.answers ?? {}));
  const answered = criteria.filter((c) => (editable ? answers : d.my_sheet?.answers ?? {})[c.code]).length;
  const result = d.item.result;
  let index = -1;
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("sheet.title")}: {d.item.product?.name}
        </Typography.Title>
        <Space>
          <LevelTag level={d.item.level} />
          <Link to={`/sessions/${d.item.session_id}`}>{t("council.sessions")}</Link>
          <Link to={`/applications/${d.item.application_id}`}>{t("sheet.dossier")}</Link>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">
        {d.criteria_set.name}
        {editable && <> · {t("sheet.keys")}</>}
      </Typography.Paragraph>
      {!editable && !d.my_sheet && d.item.status === "scoring" && <Alert type="info" showIcon message={t("sheet.readOnly")} style={{ marginBottom: 12 }} />}
      {result && (
        <Card size="small" title={t("sheet.result")} style={{ marginBottom: 12 }} data-testid="result">
          <Space wrap>
            <Statistic title={t("session.average")} value={result.average} precision={2} />
            <Stars star={result.star} />
            {result.divergent && <Tag color="red">{t("session.divergent")}</Tag>}
            {result.failed_minimums.length > 0 && <Tag color="red">{t("sheet.failedMinimum")}: {result.failed_minimums.join(", ")}</Tag>}
            {result.forwarded_to && <Tag color="purple">{t("session.forwardedTo")} {tk("clevel", result.forwarded_to)}</Tag>}
            <Tag color={d.item.status === "finalized" ? "blue" : "default"}>{d.item.status === "finalized" ? t("session.finalized") : t("session.scoring")}</Tag>
            {d.item.can_certify && (
              <IssueCertificateButton itemId={d.item.id} />
            )}
            {d.item.certificate_id && <Link to={`/certificates/${d.item.certificate_id}`}>{t("nav.certificates")}</Link>}
          </Space>
          {d.can_finalize && (
            <Space style={{ marginTop: 12, width: "100%" }} direction="vertical">
              {result.divergent && <Input.TextArea rows={2} placeholder={t("sheet.discussion")} value={note} onChange={(e) => setNote(e.target.value)} />}
              <Button type="primary" onClick={() => finalize.mutate()} loading={finalize.isPending}>{t("sheet.finalize")}</Button>
            </Space>
          )}
          {d.can_reopen && (
            <Space style={{ marginTop: 12 }}>
              <Input placeholder={t("sheet.reason")} value={reason} onChange={(e) => setReason(e.target.value)} style={{ width: 360 }} />
              <Button danger onClick={() => reopen.mutate()} loading={reopen.isPending} disabled={reason.trim().length < 5}>{t("sheet.reopen")}</Button>
            </Space>
          )}
        </Card>
      )}
      <Row gutter={16}>
        <Col xs={24} lg={17}>
          {set.parts.map((part) => (
            <Card key={part.code} size="small" title={`${t("sheet.part")} ${part.code}. ${part.name} (${part.points})`} style={{ marginBottom: 12 }}>
              {part.sections.map((section) => (
                <div key={section.code}>
                  <Typography.Text strong>{section.code}. {section.name} ({section.points})</Typography.Text>
                  {section.criteria.map((c) => {
                    index += 1;
                    const i = index;
                    const chosen = (editable ? answers : d.my_sheet?.answers ?? {})[c.code];
                    return (
                      <div
                        key={c.code}
                        ref={(el) => { rows.current[i] = el; }}
                        onClick={() => setCurrent(i)}
                        data-testid={`criterion-${c.code}`}
                        style={{ padding: "6px 8px", margin: "4px 0", borderRadius: 6, background: editable && i === current ? "#fff7e6" : undefined, borderLeft: editable && i === current ? "3px solid #fa8c16" : "3px solid transparent" }}
                      >
                        <div>
                          {c.code}. {c.text} {c.minimum_points != null && <Tag color="orange">{t("sheet.minimum")} ≥ {c.minimum_points}</Tag>}
                        </div>
                        <Radio.Group value={chosen} disabled={!editable} onChange={(e) => { choose(c.code, e.target.value); setCurrent(Math.min(i + 1, criteria.length - 1)); }}>
                          <Space wrap>
                            {c.options.map((o, n) => (
                              <Radio key={o.code} value={o.code}>
                                <Typography.Text type="secondary">{n + 1}.</Typography.Text> {o.text} <b>({o.points})</b>
                              </Radio>
                            ))}
                          </Space>
                        </Radio.Group>
                      </div>
                    );
                  })}
                </div>
              ))}
            </Card>
          ))}
        </Col>
        <Col xs={24} lg={7}>
          <Affix offsetTop={16}>
            <Card size="small" title={t("sheet.total")}>
              <Space wrap>
                {set.parts.map((p, i) => (
                  <Statistic key={p.code} title={`${t("sheet.part")} ${p.code}`} value={live.parts[i]} suffix={`/${p.points}`} />
                ))}
              </Space>
              <div data-testid="live-total">
                <Statistic title={t("sheet.total")} value={live.total} suffix="/100" valueStyle={{ fontWeight: 700 }} />
              </div>
              <Typography.Text type="secondary">{answered}/{criteria.length}</Typography.Text>
              {live.failed.length > 0 && <Alert type="error" message={`${t("sheet.failedMinimum")}: ${live.failed.join(", ")}`} style={{ marginTop: 8 }} />}
              {d.my_sheet && <div><Tag color={d.my_sheet.status === "submitted" ? "green" : "gold"}>{tk("cell", d.my_sheet.status)} {d.my_sheet.revision > 0 ? `#${d.my_sheet.revision}` : ""}</Tag></div>}
              {editable && (
                <Space direction="vertical" style={{ width: "100%", marginTop: 8 }}>
                  <Input.TextArea rows={2} placeholder={t("sheet.comment")} value={comment} onChange={(e) => setComment(e.target.value)} />
                  <Space>
                    {d.can_score && <Button onClick={() => save.mutate()} loading={save.isPending}>{t("sheet.saveDraft")}</Button>}
                    <Button type="primary" onClick={() => submit.mutate()} loading={submit.isPending} disabled={answered < criteria.length}>
                      {d.can_revise ? t("sheet.revise") : t("sheet.submit")}
                    </Button>
                  </Space>
                </Space>
              )}
            </Card>
          </Affix>
        </Col>
      </Row>
      <Card size="small" title={t("sheet.others")} style={{ marginTop: 12 }}>
        {d.sheets.length === 0 && d.item.status === "scoring" && <Typography.Text type="secondary">{t("sheet.blind")}</Typography.Text>}
        {d.sheets.length > 0 && (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.sheets}
            columns={[
              { title: t("users.name"), dataIndex: "member_name" },
              { title: t("council.role"), dataIndex: "member_role", render: (r: string) => tk("mrole", r) },
              { title: "A", render: (_, s) => s.part_totals[0] },
              { title: "B", render: (_, s) => s.part_totals[1] },
              { title: "C", render: (_, s) => s.part_totals[2] },
              { title: t("sheet.total"), dataIndex: "total" },
              { title: "#", dataIndex: "revision" },
              { title: "", dataIndex: "submitted_at", render: (v?: string | null) => formatDateTime(v) },
              { title: t("sheet.comment"), dataIndex: "comment" },
            ]}
          />
        )}
      </Card>
    </>
  );
}
