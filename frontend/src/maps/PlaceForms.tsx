// Forms for the point layers: a craft village with its tourism services, an OCOP sales point.
// The location comes from a click on the map.
import { App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";
import { UnitSelect } from "../components/UnitSelect";
import type { components } from "../api/schema";
import type { Feature } from "./geojson";

type VillageInput = components["schemas"]["CraftVillageInput"];
type PointInput = components["schemas"]["SalesPointInput"];

export type PlaceKind = "village" | "point";

interface Props {
  kind: PlaceKind;
  /** Where the user clicked. */
  at: [number, number];
  /** The feature being edited, if any. */
  editing?: Feature | null;
  onDone: () => void;
  onCancel: () => void;
}

export function PlaceForm({ kind, at, editing, onDone, onCancel }: Props) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const p = editing?.properties;
  const save = useMutation({
    mutationFn: async (v: Record<string, unknown>) => {
      // Fields the form does not show (photos, linked products) are kept as they were.
      const kept = p ? { photos: p.photos ?? [], product_ids: p.product_ids ?? [] } : {};
      const base = { ...kept, ...v, lon: at[0], lat: at[1] };
      if (kind === "village") {
        const body = { ...base, recognised_on: v.recognised_on ? (v.recognised_on as dayjs.Dayjs).format("YYYY-MM-DD") : null } as VillageInput;
        return editing
          ? unwrap(await api.PUT("/api/v1/craft-villages/{id}", { params: { path: { id: String(editing.id) } }, body }))
          : unwrap(await api.POST("/api/v1/craft-villages", { body }));
      }
      const body = base as PointInput;
      return editing
        ? unwrap(await api.PUT("/api/v1/sales-points/{id}", { params: { path: { id: String(editing.id) } }, body }))
        : unwrap(await api.POST("/api/v1/sales-points", { body }));
    },
    onSuccess: () => {
      message.success(t("saved"));
      onDone();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const initial = p
    ? { ...p, recognised_on: p.recognised_on ? dayjs(String(p.recognised_on)) : null }
    : { published: true, level: "district", services: [] };
  return (
    <Modal open title={kind === "village" ? t("map.addVillage") : t("map.addPoint")} onCancel={onCancel} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} destroyOnHidden width={640}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t("map.location")}>
          {at[0].toFixed(5)}, {at[1].toFixed(5)}
        </Form.Item>
        <Form.Item name="name" label={t("name")} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="commune_id" label={t("map.commune")} rules={[{ required: true }]}>
          <UnitSelect level="commune" />
        </Form.Item>
        {kind === "village" ? (
          <>
            <Form.Item name="craft" label={t("map.craft")} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Space>
              <Form.Item name="decision_number" label={t("council.decisionNumber")}>
                <Input />
              </Form.Item>
              <Form.Item name="recognised_on" label={t("council.decisionDate")}>
                <DatePicker format="DD/MM/YYYY" />
              </Form.Item>
            </Space>
            <Form.Item name="description" label={t("product.description")}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.List name="services">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, "kind"]} rules={[{ required: true }]}>
                        <Select style={{ width: 150 }} options={["tour", "homestay", "workshop"].map((k) => ({ value: k, label: tk("service", k) }))} />
                      </Form.Item>
                      <Form.Item name={[field.name, "name"]} rules={[{ required: true, min: 2 }]}>
                        <Input placeholder={t("name")} />
                      </Form.Item>
                      <Form.Item name={[field.name, "contact"]}>
                        <Input placeholder={t("map.contact")} />
                      </Form.Item>
                      <Form.Item name={[field.name, "price_vnd"]}>
                        <InputNumber min={0} placeholder="VND" />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" onClick={() => add({ kind: "tour" })} icon={<PlusOutlined />}>{t("map.addService")}</Button>
                </>
              )}
            </Form.List>
          </>
        ) : (
          <>
            <Form.Item name="level" label={t("council.level")} rules={[{ required: true }]}>
              <Select options={["province", "district", "commune"].map((l) => ({ value: l, label: tk("spLevel", l) }))} />
            </Form.Item>
            <Form.Item name="operator" label={t("map.operator")} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="address" label={t("map.address")} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="opening_hours" label={t("map.hours")}>
              <Input />
            </Form.Item>
          </>
        )}
        <Form.Item name="published" valuePropName="checked" style={{ marginTop: 12 }}>
          <Checkbox>{t("map.published")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
