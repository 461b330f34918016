import { useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { keys } from "../api/keys";

interface PickerProps {
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
}

interface Option {
  value: string;
  label: string;
}

/** A select searched on the server (diacritics ignored), for form fields holding an id. */
function SearchPicker({ value, onChange, id, search }: PickerProps & { search: (q: string) => { key: readonly unknown[]; load: () => Promise<Option[]> } }) {
  const [q, setQ] = useState("");
  const { key, load } = search(q);
  const options = useQuery({ queryKey: key, queryFn: load });
  return (
    <Select
      id={id}
      showSearch
      filterOption={false}
      onSearch={setQ}
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options.data ?? []}
    />
  );
}

/** The subjects a caller may file products for (a producer: their own). */
export function SubjectPicker(props: PickerProps) {
  return (
    <SearchPicker
      {...props}
      search={(q) => ({
        key: keys.subjects.part("picker", q),
        load: async () =>
          unwrap(await api.GET("/api/v1/subjects", { params: { query: { q: q || undefined, limit: 30 } } })).items.map((s) => ({ value: s.id, label: `${s.name} (${s.tax_code})` })),
      })}
    />
  );
}

/** The products the caller may see. */
export function ProductPicker(props: PickerProps) {
  return (
    <SearchPicker
      {...props}
      search={(q) => ({
        key: keys.products.part("picker", q),
        load: async () =>
          unwrap(await api.GET("/api/v1/products", { params: { query: { q: q || undefined, limit: 30 } } })).items.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` })),
      })}
    />
  );
}
