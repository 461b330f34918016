import { useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

/** The subjects a caller may file products for (a producer: their own). */
export function SubjectPicker({ value, onChange, id }: { value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const [q, setQ] = useState("");
  const subjects = useQuery({
    queryKey: ["subjects", "picker", q],
    queryFn: async () => unwrap(await api.GET("/api/v1/subjects", { params: { query: { q: q || undefined, limit: 30 } } })).items,
  });
  return (
    <Select
      id={id}
      showSearch
      filterOption={false}
      onSearch={setQ}
      allowClear
      value={value ?? undefined}
      onChange={onChange}
      options={(subjects.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.tax_code})` }))}
    />
  );
}

