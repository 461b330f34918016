import { useState } from "react";
import { Select } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { keys } from "../api/keys";

type Level = components["schemas"]["AdminUnit"]["level"];

/** Picks an administrative unit by searching the server (diacritics-insensitive). */
export function UnitSelect({
  value,
  onChange,
  level,
  placeholder,
  id,
  initialLabel,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  level?: Level;
  placeholder?: string;
  id?: string;
  initialLabel?: string;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState("");
  const results = useQuery({
    queryKey: keys.adminUnits.part("select", q, level),
    queryFn: async () =>
      // A typed name also finds units retired in 2025, shown with the unit that took them over.
      unwrap(await api.GET("/api/v1/admin-units", { params: { query: { q: q || undefined, level, limit: 30, sort: "code", include_retired: q ? true : undefined } } })).items,
  });
  const options = (results.data ?? []).map((u) =>
    u.valid_to
      ? { value: u.id, disabled: true, label: `${u.name} (${u.code}) — ${t("units.mergedInto")} ${u.replaced_by ? `${u.replaced_by.name} (${u.replaced_by.code})` : "…"}` }
      : { value: u.id, label: `${u.name} (${u.code})` },
  );
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value ?? undefined}
      placeholder={placeholder ?? t("searchHint")}
      filterOption={false}
      onSearch={setQ}
      onChange={(v) => onChange?.(v ?? null)}
      loading={results.isFetching}
      options={options}
      data-testid="unit-select"
      style={{ width: "100%", minWidth: 200 }}
    />
  );
}
