import { useState } from "react";
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";
import { uploadForm } from "../api/files";
import { SubjectPicker } from "../registry/pickers";
import { GeoJsonUpload } from "../components/GeoJsonUpload";
import { MapPanel } from "./MapPanel";
import { PlaceForm, type PlaceKind } from "./PlaceForms";
import { fetchCollection, type Feature } from "./geojson";
import type { components } from "../api/schema";
import { keys } from "../api/keys";

type Input = components["schemas"]["GrowingAreaInput"];
type Report = components["schemas"]["GeoImportReport"];

const OGC = "/api/v1/geo/collections";

/** The signed-in map: every layer, growing areas drawn or uploaded. */
export function MapPage() {
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: keys.mapSettings.all, queryFn: async () => unwrap(await api.GET("/api/v1/map-settings")) });
  const areas = useQuery({
    queryKey: keys.map.part("areas"),
    queryFn: () => fetchCollection("/api/v1/growing-areas?limit=200"),
  });
  const villages = useQuery({ queryKey: keys.map.part("villages"), queryFn: () => fetchCollection(`${OGC}/craft-villages/items?limit=1000`) });
  const points = useQuery({ queryKey: keys.map.part("points"), queryFn: () => fetchCollection(`${OGC}/sales-points/items?limit=1000`) });
  const [draft, setDraft] = useState<[number, number][] | undefined>();
  const [editing, setEditing] = useState<Feature | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [report, setReport] = useState<{ report: Report; body: unknown } | null>(null);
  const [form] = Form.useForm();
  const role = session?.user.role ?? "";
  const mayDraw = role !== "council_member";
  // Craft villages and sales points are officers' (and admins') to place.
  const mayPlace = role === "admin" || role.endsWith("_officer");
  const [placing, setPlacing] = useState<{ kind: PlaceKind; editing?: Feature | null; at?: [number, number] } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.map.part("areas") });

  const save = useMutation({
    mutationFn: async (v: Omit<Input, "geometry">) => {
      const ring = [...(draft ?? []), (draft ?? [])[0]];
      // The geometry is free-form GeoJSON in the schema; the server validates it.
      const body = { ...v, geometry: { type: "Polygon", coordinates: [ring] } } as unknown as Input;
      return editing
        ? unwrap(await api.PUT("/api/v1/growing-areas/{id}", { params: { path: { id: String(editing.id) } }, body }))
        : unwrap(await api.POST("/api/v1/growing-areas", { body }));
    },
    onSuccess: (saved) => {
      message.success(t("saved"));
      for (const w of saved.warnings) message.warning(lang === "vi" ? w.message_vi : w.message_en);
      setFormOpen(false);
      setDraft(undefined);
      setEditing(null);
      refresh();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const upload = useMutation({
    mutationFn: async ({ body, dryRun }: { body: unknown; dryRun: boolean }) =>
      unwrap(await api.POST("/api/v1/growing-areas/import", { params: { query: { dry_run: dryRun } }, body: body as Record<string, never> })),
    onSuccess: (r, { body, dryRun }) => {
      if (dryRun) setReport({ report: r, body });
      else {
        message.success(`${t("map.imported")}: ${r.imported}`);
        setReport(null);
        refresh();
      }
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });

  const startEdit = (f: Feature) => {
    setEditing(f);
    setDraft([]);
  };
  const finish = () => {
    const p = editing?.properties;
    form.setFieldsValue(
      p
        ? { code: p.code, name: p.name, crop: p.crop, variety: p.variety, crop_cycle: p.crop_cycle, declared_area_ha: p.declared_area_ha, subject_id: p.subject_id, published: p.published }
        : { crop_cycle: "perennial", published: false },
    );
    setFormOpen(true);
  };
  const error = areas.error ?? villages.error ?? points.error;
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t("nav.map")}</Typography.Title>
        {mayDraw && (
          <Space wrap>
            {draft ? (
              <>
                <Typography.Text>{t("map.vertices")}: {draft.length}</Typography.Text>
                <Button type="primary" disabled={draft.length < 3} onClick={finish}>{t("map.finish")}</Button>
                <Button onClick={() => { setDraft(undefined); setEditing(null); }}>{t("cancel")}</Button>
              </>
            ) : (
              <>
                <Button type="primary" onClick={() => { setEditing(null); setDraft([]); }}>{t("map.draw")}</Button>
                {mayPlace && <Button onClick={() => setPlacing({ kind: "village" })}>{t("map.addVillage")}</Button>}
                {mayPlace && <Button onClick={() => setPlacing({ kind: "point" })}>{t("map.addPoint")}</Button>}
                <GeoJsonUpload label={t("map.upload")} loading={upload.isPending} onParsed={(body) => upload.mutate({ body, dryRun: true })} />
              </>
            )}
          </Space>
        )}
      </Space>
      {placing && !placing.at && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("map.pickHint")} action={<Button size="small" onClick={() => setPlacing(null)}>{t("cancel")}</Button>} />}
      {placing?.at && (
        <PlaceForm kind={placing.kind} at={placing.at} editing={placing.editing} onCancel={() => setPlacing(null)}
          onDone={() => { setPlacing(null); queryClient.invalidateQueries({ queryKey: keys.map.all }); }} />
      )}
      {draft && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={editing ? `${t("map.redraw")}: ${editing.properties.name}` : t("map.drawHint")} />}
      {error && <Alert type="error" message={String(error)} />}
      <MapPanel
        basemap={settings.data?.basemap_style_url}
        area={session?.user.admin_unit}
        areas={areas.data?.features ?? []}
        villages={villages.data?.features ?? []}
        points={points.data?.features ?? []}
        draft={draft}
        onMapClick={draft ? (p) => setDraft([...draft, p]) : placing && !placing.at ? (p) => setPlacing({ ...placing, at: p }) : undefined}
        rowActions={(f) => f.properties.layer !== "growing-areas" ? (
          mayPlace && <Button size="small" onClick={() => { const c = f.geometry?.coordinates as [number, number]; setPlacing({ kind: f.properties.layer === "craft-villages" ? "village" : "point", editing: f, at: c }); }}>{t("map.edit")}</Button>
        ) : mayDraw && (
          <Space>
            <Button size="small" onClick={() => startEdit(f)}>{t("map.redraw")}</Button>
            {Array.isArray(f.properties.standards) && f.properties.standards.length > 0 && (
              <Upload accept=".pdf,image/*" showUploadList={false}
                beforeUpload={(file) => {
                  uploadForm(`/api/v1/growing-areas/${String(f.id)}/standards/0/certificate`, file)
                    .then(() => { message.success(t("saved")); refresh(); })
                    .catch((e) => message.error(problemMessage(e, lang)));
                  return false;
                }}>
                <Button size="small" icon={<UploadOutlined />}>{t("map.certificate")}</Button>
              </Upload>
            )}
          </Space>
        )}
      />
      <Modal open={formOpen} title={editing ? String(editing.properties.name) : t("map.draw")} onCancel={() => setFormOpen(false)} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="code" label={t("map.code")} rules={[{ required: true }]} extra="VN-22-202-06973-001-24">
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t("name")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="crop" label={t("map.crop")} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="variety" label={t("map.variety")}>
              <Input />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="crop_cycle" label={t("map.cropCycle")} rules={[{ required: true }]}>
              <Select style={{ width: 160 }} options={["perennial", "annual"].map((c) => ({ value: c, label: tk("ccycle", c) }))} />
            </Form.Item>
            <Form.Item name="declared_area_ha" label={t("map.declared")} rules={[{ required: true }]}>
              <InputNumber min={0} step={0.1} />
            </Form.Item>
          </Space>
          <Form.Item name="subject_id" label={t("product.subject")} rules={[{ required: true }]}>
            <SubjectPicker />
          </Form.Item>
          <Form.Item name="published" valuePropName="checked">
            <Checkbox>{t("map.published")}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={!!report} title={t("map.importReport")} onCancel={() => setReport(null)} okText={t("map.import")} cancelText={t("cancel")}
        okButtonProps={{ disabled: !report || report.report.valid < report.report.total }} confirmLoading={upload.isPending}
        onOk={() => report && upload.mutate({ body: report.body, dryRun: false })} width={720}>
        {report && (
          <Table size="small" rowKey="index" pagination={false} dataSource={report.report.rows}
            columns={[
              { title: "#", dataIndex: "index" },
              { title: t("map.code"), dataIndex: "code" },
              { title: "", render: (_, r) => (r.ok ? "✓" : r.errors.map((e) => (lang === "vi" ? e.message_vi : e.message_en)).join("; ")) },
            ]} />
        )}
      </Modal>
    </>
  );
}
