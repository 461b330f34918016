// The query-key factory: every cached server answer is keyed here, by resource, so a change
// invalidates exactly what it touches (`keys.subjects.all` covers every subjects query).

/** Keys of one resource: all of it, its lists, one object, or a named part. */
function resource<R extends string>(name: R) {
  return {
    all: [name] as const,
    list: (...params: unknown[]) => [name, "list", ...params] as const,
    detail: (...id: unknown[]) => [name, "detail", ...id] as const,
    part: (part: string, ...params: unknown[]) => [name, part, ...params] as const,
  };
}

export const keys = {
  adminUnits: resource("admin-units"),
  applications: resource("applications"),
  audit: resource("audit"),
  batch: resource("batch"),
  batchCodes: resource("batch-codes"),
  batches: resource("batches"),
  catalog: resource("catalog"),
  catalogFacets: resource("catalog-facets"),
  catalogProduct: resource("catalog-product"),
  certificates: resource("certificates"),
  classifications: resource("classifications"),
  councils: resource("councils"),
  criteriaSets: resource("criteria-sets"),
  cycles: resource("cycles"),
  dashboardMap: resource("dashboard-map"),
  funding: resource("funding"),
  keyUsage: resource("key-usage"),
  map: resource("map"),
  mapSettings: resource("map-settings"),
  notifications: resource("notifications"),
  partnerDeliveries: resource("partner-deliveries"),
  partnerHooks: resource("partner-hooks"),
  partnerKeys: resource("partner-keys"),
  partners: resource("partners"),
  products: resource("products"),
  programmeProgress: resource("programme-progress"),
  progress: resource("progress"),
  publicMap: resource("public-map"),
  publicTradeEvent: resource("public-trade-event"),
  publicTradeEvents: resource("public-trade-events"),
  report: resource("report"),
  scanStats: resource("scan-stats"),
  sessionItems: resource("session-items"),
  sessions: resource("sessions"),
  subjects: resource("subjects"),
  training: resource("training"),
  trainingCourse: resource("training-course"),
  users: resource("users"),
};
