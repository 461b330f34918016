import { useState } from "react";
import { App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { SubjectPicker } from "../registry/pickers";
import { keys } from "../api/keys";

type Course = components["schemas"]["Course"];
type Person = components["schemas"]["CourseParticipant"];
const KINDS = ["tot", "course", "workshop", "study_tour"];
const AUDIENCES = ["officials", "leaders", "workers", "mixed"];
const SOURCES = ["central", "provincial", "integrated", "own", "credit", "sponsor"];

/** One course's participants: attendance and completion ticked in place, people added below. */
function Participants({ courseId }: { courseId: string }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const course = useQuery({
    queryKey: keys.trainingCourse.detail(courseId),
    queryFn: async () => unwrap(await api.GET("/api/v1/training/courses/{id}", { params: { path: { id: courseId } } })),
  });
  const done = () => client.invalidateQueries({ queryKey: keys.training.all }).then(() => client.invalidateQueries({ queryKey: keys.trainingCourse.detail(courseId) }));
  const mark = useMutation({
    mutationFn: async (p: Person & { attended: boolean; completed: boolean }) =>
      unwrap(await api.PUT("/api/v1/training/courses/{id}/participants/{participant_id}", { params: { path: { id: courseId, participant_id: p.id } }, body: { attended: p.attended, completed: p.completed } })),
    onSuccess: done,
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const add = useMutation({
    mutationFn: async (v: { kind: string; full_name?: string; subject_id?: string }) =>
      unwrap(
        await api.POST("/api/v1/training/courses/{id}/participants", {
          params: { path: { id: courseId } },
          body: v.kind === "official" ? { kind: "official", user_id: session?.user.id } : { kind: v.kind, full_name: v.full_name || undefined, subject_id: v.subject_id },
        }),
      ),
    onSuccess: () => {
      form.resetFields(["full_name"]);
      return done();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const kind = Form.useWatch("kind", form) as string | undefined;
  return (
    <>
      <Table<Person>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={course.data?.people ?? []}
        columns={[
          { title: t("training.person"), dataIndex: "full_name" },
          { title: t("training.kind"), dataIndex: "kind", render: (v: string) => tk("pkind", v) },
          { title: t("training.attended"), render: (_, p) => <Checkbox checked={p.attended} onChange={(e) => mark.mutate({ ...p, attended: e.target.checked, completed: e.target.checked && p.completed })} /> },
          { title: t("training.completed"), render: (_, p) => <Checkbox checked={p.completed} disabled={!p.attended} onChange={(e) => mark.mutate({ ...p, attended: p.attended, completed: e.target.checked })} /> },
        ]}
      />
      <Form form={form} layout="inline" style={{ marginTop: 12 }} initialValues={{ kind: "worker" }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="kind">
          <Select style={{ width: 170 }} options={["official", "leader", "worker"].map((k) => ({ value: k, label: k === "official" ? t("training.me") : tk("pkind", k) }))} />
        </Form.Item>
        {kind !== "official" && (
          <>
            <Form.Item name="subject_id" rules={[{ required: true, message: t("training.subject") }]}>
              <SubjectPicker />
            </Form.Item>
            <Form.Item name="full_name">
              <Input placeholder={t("training.person")} />
            </Form.Item>
          </>
        )}
        <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
          {t("training.add")}
        </Button>
      </Form>
    </>
  );
}

/** Training courses of the caller's area and above, with their participants. */
export function TrainingPage() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const courses = useQuery({
    queryKey: keys.training.part("courses"),
    queryFn: async () => unwrap(await api.GET("/api/v1/training/courses", { params: { query: { limit: 100 } } })),
  });
  const create = useMutation({
    mutationFn: async (v: { title: string; kind: string; audience: string; dates: [Dayjs, Dayjs]; place: string; organiser: string; funding_source: string }) =>
      unwrap(
        await api.POST("/api/v1/training/courses", {
          body: { title: v.title, kind: v.kind, audience: v.audience, starts_on: v.dates[0].format("YYYY-MM-DD"), ends_on: v.dates[1].format("YYYY-MM-DD"), place: v.place, organiser: v.organiser, funding_source: v.funding_source },
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      return client.invalidateQueries({ queryKey: keys.training.all });
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  return (
    <Card
      title={t("training.title")}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t("training.new")}
        </Button>
      }
    >
      <Table<Course>
        rowKey="id"
        loading={courses.isLoading}
        dataSource={courses.data?.items ?? []}
        expandable={{ expandedRowRender: (c) => <Participants courseId={c.id} /> }}
        columns={[
          { title: t("training.course"), dataIndex: "title" },
          { title: t("training.kind"), dataIndex: "kind", render: (v: string) => tk("coursekind", v) },
          { title: t("training.dates"), render: (_, c) => `${formatDate(c.starts_on)} – ${formatDate(c.ends_on)}` },
          { title: t("training.organiser"), dataIndex: "organiser" },
          { title: t("training.participants"), dataIndex: "participants", align: "right" },
          { title: t("training.completed"), dataIndex: "completed", align: "right" },
        ]}
      />
      <Modal open={open} title={t("training.new")} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} okText={t("save")} cancelText={t("cancel")}>
        <Form form={form} layout="vertical" initialValues={{ kind: "course", audience: "mixed", funding_source: "provincial" }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="title" label={t("training.course")} rules={[{ required: true, min: 3 }]}>
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="kind" label={t("training.kind")}>
              <Select style={{ width: 200 }} options={KINDS.map((k) => ({ value: k, label: tk("coursekind", k) }))} />
            </Form.Item>
            <Form.Item name="audience" label={t("training.audience")}>
              <Select style={{ width: 200 }} options={AUDIENCES.map((k) => ({ value: k, label: tk("audience", k) }))} />
            </Form.Item>
          </Space>
          <Form.Item name="dates" label={t("training.dates")} rules={[{ required: true }]}>
            <DatePicker.RangePicker format="DD/MM/YYYY" />
          </Form.Item>
          <Form.Item name="place" label={t("training.place")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="organiser" label={t("training.organiser")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="funding_source" label={t("training.funding")}>
            <Select options={SOURCES.map((k) => ({ value: k, label: tk("source", k) }))} />
          </Form.Item>
          <Typography.Text type="secondary">{t("training.participants")}: {t("training.add")}</Typography.Text>
        </Form>
      </Modal>
    </Card>
  );
}
