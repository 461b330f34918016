import { useMemo, useState } from "react";
import { App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Drawer, Form, Input, Modal, Row, Select, Space, Table, Tag, Tree, Typography, type TreeDataNode } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs, { type Dayjs } from "dayjs";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { GeoJsonUpload } from "../components/GeoJsonUpload";
import { UnitSelect } from "../components/UnitSelect";
import { keys } from "../api/keys";

type AdminUnit = components["schemas"]["AdminUnit"];
type AdminUnitNode = components["schemas"]["AdminUnitNode"];
type UnitTreeNode = TreeDataNode & { key: string; unit: AdminUnit; children: UnitTreeNode[] };
type Kind = AdminUnit["kind"];
type Level = AdminUnit["level"];

const KINDS: Kind[] = ["province", "municipality", "provincial_city", "town", "rural_district", "urban_district", "ward", "commune", "township", "special_zone"];
const LEVEL_OF: Record<Kind, Level> = {
  province: "province",
  municipality: "province",
  provincial_city: "district",
  town: "district",
  rural_district: "district",
  urban_district: "district",
  ward: "commune",
  commune: "commune",
  township: "commune",
  special_zone: "commune",
};
const DATE_FORMAT = "DD/MM/YYYY";
const PAGE_SIZE = 20;

/** Mirrors the server's rule (admins anywhere, officers strictly below their unit) to hide
 * buttons; the server decides. `canManage(path)` edits that unit, `canCreateUnder(path)`
 * adds a unit below it. */
function usePermissions() {
  const user = useSession()?.user;
  const isAdmin = user?.role === "admin";
  const own = user?.role.endsWith("_officer") ? user.admin_unit : null;
  return {
    canManage: (path: string) => isAdmin || (!!own && path !== own.path && path.startsWith(own.path)),
    canCreateUnder: (path: string) => isAdmin || (!!own && path.startsWith(own.path)),
  };
}

type Editing = { mode: "create"; parent?: AdminUnit } | { mode: "edit"; unit: AdminUnit } | { mode: "retire"; unit: AdminUnit } | null;

export function AdminUnitsPage() {
  const { t, tk } = useI18n();
  const [q, setQ] = useState("");
  const [level, setLevel] = useState<Level | undefined>();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<AdminUnit | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const { canManage, canCreateUnder } = usePermissions();
  const session = useSession();

  const list = useQuery({
    queryKey: keys.adminUnits.list(q, level, includeRetired, page),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/admin-units", {
          params: { query: { q: q || undefined, level, include_retired: includeRetired || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } },
        }),
      ),
  });

  const roots = useQuery({
    queryKey: keys.adminUnits.part("roots"),
    queryFn: async () => unwrap(await api.GET("/api/v1/admin-units", { params: { query: { level: "province", limit: 200 } } })).items,
  });
  const trees = useQuery({
    queryKey: keys.adminUnits.part("trees", roots.data?.map((r) => r.id)),
    enabled: !!roots.data,
    queryFn: async () =>
      Promise.all((roots.data ?? []).map(async (r) => unwrap(await api.GET("/api/v1/admin-units/{id}/tree", { params: { path: { id: r.id } } })))),
  });
  const treeData = useMemo(() => {
    const convert = (node: AdminUnitNode): UnitTreeNode => ({
      key: node.id,
      title: `${node.name} (${node.code})`,
      unit: node,
      children: node.children.map(convert),
    });
    return (trees.data ?? []).map(convert);
  }, [trees.data]);

  const columns = [
    { title: t("units.code"), dataIndex: "code", width: 90 },
    { title: t("units.name"), dataIndex: "name" },
    { title: t("units.kind"), dataIndex: "kind", render: (k: string) => tk("kind", k) },
    { title: t("units.level"), dataIndex: "level", render: (l: string) => tk("level", l) },
    {
      title: "",
      dataIndex: "valid_to",
      render: (v: string | null, u: AdminUnit) =>
        v ? (
          <Space size={4} wrap>
            <Tag color="default">{t("units.retired")}</Tag>
            {u.replaced_by && <Typography.Text type="secondary">→ {u.replaced_by.name} ({u.replaced_by.code})</Typography.Text>}
          </Space>
        ) : (
          <Tag color="green">{t("units.current")}</Tag>
        ),
    },
  ];

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.adminUnits")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: "create", parent: selected ?? undefined })}>
          {t("units.create")}
        </Button>
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card title={t("units.tree")} size="small" loading={trees.isLoading}>
            <Tree<UnitTreeNode>
              treeData={treeData}
              defaultExpandedKeys={treeData.map((n) => n.key)}
              onSelect={(_, info) => setSelected(info.node.unit)}
              height={560}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card title={t("units.list")} size="small">
            <Space wrap style={{ marginBottom: 12 }}>
              <Input.Search
                allowClear
                placeholder={t("searchHint")}
                aria-label={t("search")}
                onSearch={(v) => {
                  setQ(v);
                  setPage(1);
                }}
                style={{ width: 280 }}
                data-testid="unit-search"
              />
              <Select
                allowClear
                placeholder={t("units.level")}
                style={{ width: 140 }}
                value={level}
                onChange={(v) => {
                  setLevel(v);
                  setPage(1);
                }}
                options={(["province", "district", "commune"] as Level[]).map((l) => ({ value: l, label: tk("level", l) }))}
              />
              <Checkbox checked={includeRetired} onChange={(e) => setIncludeRetired(e.target.checked)}>
                {t("units.includeRetired")}
              </Checkbox>
            </Space>
            <Table<AdminUnit>
              rowKey="id"
              size="small"
              loading={list.isFetching}
              dataSource={list.data?.items}
              columns={columns}
              onRow={(unit) => ({ onClick: () => setSelected(unit), style: { cursor: "pointer" } })}
              pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${t("total")}: ${n}` }}
            />
          </Card>
        </Col>
      </Row>
      {session?.user.role === "admin" && <ReorganiseCard />}
      {session?.user.role === "admin" && <BoundariesCard />}
      <Drawer open={!!selected} onClose={() => setSelected(null)} title={t("units.detail")} width={460}>
        {selected && (
          <>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t("units.name")}>{selected.name}</Descriptions.Item>
              <Descriptions.Item label={t("units.code")}>{selected.code}</Descriptions.Item>
              <Descriptions.Item label={t("units.kind")}>{tk("kind", selected.kind)}</Descriptions.Item>
              <Descriptions.Item label={t("units.level")}>{tk("level", selected.level)}</Descriptions.Item>
              <Descriptions.Item label={t("units.path")}>{selected.path}</Descriptions.Item>
              <Descriptions.Item label={t("units.validFrom")}>{formatDate(selected.valid_from)}</Descriptions.Item>
              <Descriptions.Item label={t("units.validTo")}>{formatDate(selected.valid_to)}</Descriptions.Item>
            </Descriptions>
            <Space style={{ marginTop: 16 }} wrap>
              {selected.level !== "commune" && !selected.valid_to && canCreateUnder(selected.path) && (
                <Button onClick={() => setEditing({ mode: "create", parent: selected })}>{t("units.addChild")}</Button>
              )}
              {canManage(selected.path) && <Button onClick={() => setEditing({ mode: "edit", unit: selected })}>{t("edit")}</Button>}
              {canManage(selected.path) && !selected.valid_to && (
                <Button danger onClick={() => setEditing({ mode: "retire", unit: selected })}>
                  {t("units.retire")}
                </Button>
              )}
            </Space>
          </>
        )}
      </Drawer>
      <UnitForm editing={editing} onClose={() => setEditing(null)} onSaved={(u) => setSelected(u)} />
    </>
  );
}

interface FormValues {
  code: string;
  name: string;
  kind: Kind;
  parent_id?: string | null;
  valid_from?: Dayjs | null;
  valid_to?: Dayjs;
  replaced_by_id?: string | null;
  reason?: string;
}

function UnitForm({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: (u: AdminUnit) => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const save = useMutation({
    mutationFn: async (v: FormValues): Promise<AdminUnit> => {
      const validFrom = v.valid_from ? v.valid_from.format("YYYY-MM-DD") : null;
      if (editing?.mode === "edit") {
        return unwrap(await api.PATCH("/api/v1/admin-units/{id}", { params: { path: { id: editing.unit.id } }, body: { name: v.name, kind: v.kind, valid_from: validFrom } }));
      }
      if (editing?.mode === "retire") {
        return unwrap(
          await api.POST("/api/v1/admin-units/{id}/retire", {
            params: { path: { id: editing.unit.id } },
            body: { valid_to: (v.valid_to ?? dayjs()).format("YYYY-MM-DD"), replaced_by_id: v.replaced_by_id ?? null, reason: v.reason ?? "" },
          }),
        );
      }
      return unwrap(await api.POST("/api/v1/admin-units", { body: { code: v.code, name: v.name, kind: v.kind, parent_id: v.parent_id ?? null, valid_from: validFrom } }));
    },
    onSuccess: (unit) => {
      message.success(editing?.mode === "create" ? t("created") : t("saved"));
      queryClient.invalidateQueries({ queryKey: keys.adminUnits.all });
      onSaved(unit);
      onClose();
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  if (!editing) return null;
  const unit = editing.mode === "create" ? undefined : editing.unit;
  const initial: Partial<FormValues> =
    editing.mode === "create"
      ? { parent_id: editing.parent?.id, kind: "commune" }
      : { code: unit?.code, name: unit?.name, kind: unit?.kind, valid_from: unit?.valid_from ? dayjs(unit.valid_from) : null };
  const title = editing.mode === "create" ? t("units.create") : editing.mode === "edit" ? `${t("edit")}: ${unit?.name}` : `${t("units.retire")}: ${unit?.name}`;
  const kinds = unit ? KINDS.filter((k) => LEVEL_OF[k] === unit.level) : KINDS;
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ danger: editing.mode === "retire" }}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        {editing.mode === "retire" ? (
          <>
            <Form.Item name="valid_to" label={t("units.validTo")} rules={[{ required: true }]}>
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
            <Form.Item name="replaced_by_id" label={t("units.replacedBy")}>
              <UnitSelect level={unit?.level} />
            </Form.Item>
            <Form.Item name="reason" label={t("units.reason")} rules={[{ required: true, min: 3, max: 500 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="code" label={t("units.code")} rules={[{ required: true, pattern: /^\d{2,5}$/ }]}>
              <Input disabled={editing.mode === "edit"} inputMode="numeric" maxLength={5} />
            </Form.Item>
            <Form.Item name="name" label={t("units.name")} rules={[{ required: true, min: 2, max: 200 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="kind" label={t("units.kind")} rules={[{ required: true }]}>
              <Select options={kinds.map((k) => ({ value: k, label: tk("kind", k) }))} data-testid="kind-select" />
            </Form.Item>
            {editing.mode === "create" && (
              <Form.Item name="parent_id" label={t("units.parent")}>
                <UnitSelect initialLabel={editing.parent ? `${editing.parent.name} (${editing.parent.code})` : undefined} />
              </Form.Item>
            )}
            <Form.Item name="valid_from" label={t("units.validFrom")}>
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

type ReorganisationReport = components["schemas"]["ReorganisationReport"];
type GeoImportReport = components["schemas"]["GeoImportReport"];

/** Admins: the communes' boundaries from a GeoJSON file (one polygon per unit code), checked
 * first, then imported all or none. */
function BoundariesCard() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [checked, setChecked] = useState<{ report: GeoImportReport; body: unknown } | null>(null);
  const run = useMutation({
    mutationFn: async ({ body, dryRun }: { body: unknown; dryRun: boolean }) =>
      unwrap(await api.POST("/api/v1/admin-units/boundaries", { params: { query: { dry_run: dryRun } }, body: body as Record<string, never> })),
    onSuccess: (r, { body, dryRun }) => {
      if (dryRun) setChecked({ report: r, body });
      else {
        message.success(`${t("units.boundariesImported")}: ${r.imported}`);
        setChecked(null);
        queryClient.invalidateQueries();
      }
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const text = (e: { message_vi: string; message_en: string }) => (lang === "vi" ? e.message_vi : e.message_en);
  return (
    <Card title={t("units.boundaries")} size="small" style={{ marginTop: 16 }} data-testid="boundaries">
      <Typography.Paragraph type="secondary">{t("units.boundariesHint")}</Typography.Paragraph>
      <Space wrap>
        <GeoJsonUpload label={t("units.boundariesFile")} loading={run.isPending && !checked} onParsed={(body) => run.mutate({ body, dryRun: true })} />
        <Button type="primary" disabled={!checked || checked.report.valid < checked.report.total} loading={run.isPending && !!checked}
          onClick={() => checked && run.mutate({ body: checked.body, dryRun: false })}>
          {t("map.import")}
        </Button>
      </Space>
      {checked && (
        <Table size="small" rowKey="index" pagination={{ pageSize: 10, hideOnSinglePage: true }} style={{ marginTop: 12 }} dataSource={checked.report.rows}
          columns={[
            { title: "#", dataIndex: "index" },
            { title: t("units.code"), dataIndex: "code" },
            { title: "", render: (_, r) => [...(r.ok ? ["✓"] : r.errors.map(text)), ...r.warnings.map(text)].join("; ") },
          ]} />
      )}
    </Card>
  );
}

/** Admins: move every record of the units retired on a day onto their successors, after a preview. */
function ReorganiseCard() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [effective, setEffective] = useState<Dayjs>(dayjs("2025-07-01"));
  const [report, setReport] = useState<ReorganisationReport | null>(null);
  const run = useMutation({
    mutationFn: async (dryRun: boolean) =>
      unwrap(await api.POST("/api/v1/admin-units/reorganisations", { body: { effective: effective.format("YYYY-MM-DD"), dry_run: dryRun } })),
    onSuccess: (r) => {
      setReport(r);
      if (!r.dry_run) {
        message.success(t("saved"));
        queryClient.invalidateQueries();
      }
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  return (
    <Card title={t("units.reorganise")} size="small" style={{ marginTop: 16 }} data-testid="reorganise">
      <Typography.Paragraph type="secondary">{t("units.reorganiseHint")}</Typography.Paragraph>
      <Space wrap>
        <DatePicker value={effective} onChange={(d) => d && setEffective(d)} format={DATE_FORMAT} allowClear={false} aria-label={t("units.effective")} />
        <Button onClick={() => run.mutate(true)} loading={run.isPending}>{t("units.preview")}</Button>
        <Button
          danger
          disabled={!report?.dry_run}
          onClick={() => modal.confirm({ title: t("units.reorganise"), content: t("units.reorganiseConfirm"), onOk: () => run.mutateAsync(false) })}
        >
          {t("units.apply")}
        </Button>
      </Space>
      {report && (
        <>
          <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
            <Descriptions.Item label={t("units.retiredUnits")}>{report.units}</Descriptions.Item>
            {report.moved.map((m) => (
              <Descriptions.Item key={m.table} label={m.table}>{m.count}</Descriptions.Item>
            ))}
            <Descriptions.Item label={t("units.officersPromoted")}>{report.officers_promoted}</Descriptions.Item>
          </Descriptions>
          {report.to_confirm.length > 0 && (
            <Table
              size="small"
              rowKey="id"
              title={() => t("units.toConfirm")}
              dataSource={report.to_confirm}
              pagination={{ pageSize: 10 }}
              columns={[
                { title: "", dataIndex: "table" },
                { title: t("units.code"), render: (_, c) => `${c.from_code} → ${c.to_code}` },
                { title: "ID", dataIndex: "id" },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}
