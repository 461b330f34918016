import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { keys } from "../api/keys";

/** The newest classification version and its nodes (groups, subgroups, product sets). */
export function useClassification() {
  return useQuery({
    queryKey: keys.classifications.part("latest"),
    staleTime: Infinity,
    queryFn: async () => {
      const versions = unwrap(await api.GET("/api/v1/classifications"));
      const version = versions[versions.length - 1];
      if (!version) return { version: undefined, nodes: [] };
      const nodes = unwrap(await api.GET("/api/v1/classifications/{id}/nodes", { params: { path: { id: version.id } } }));
      return { version, nodes };
    },
  });
}

/** Picks a product set, grouped under its product group. */
export function ClassificationSelect({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { lang } = useI18n();
  const data = useClassification().data;
  const nodes = data?.nodes ?? [];
  const name = (n: { name: string; name_en: string }) => (lang === "vi" ? n.name : n.name_en);
  const options = nodes
    .filter((n) => n.level === "group")
    .map((g) => ({
      label: `${g.code}. ${name(g)}`,
      options: nodes
        .filter((n) => n.level === "product_set" && n.code.startsWith(`${g.code}.`))
        .map((n) => ({ value: n.id, label: `${n.code} ${name(n)}` })),
    }));
  return <Select id={id} showSearch optionFilterProp="label" value={value} onChange={onChange} options={options} />;
}

/** Top-level groups, for filters. */
export function GroupSelect({ value, onChange, placeholder }: { value?: string; onChange: (v?: string) => void; placeholder: string }) {
  const { lang } = useI18n();
  const nodes = useClassification().data?.nodes ?? [];
  return (
    <Select
      allowClear
      placeholder={placeholder}
      style={{ width: 260 }}
      value={value}
      onChange={onChange}
      options={nodes.filter((n) => n.level === "group").map((g) => ({ value: g.code, label: `${g.code}. ${lang === "vi" ? g.name : g.name_en}` }))}
    />
  );
}
