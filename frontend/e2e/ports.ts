// The browser tests' servers, one pair per database: the demo, and the demo with certified
// synthetic products for the public catalog.
export const db = process.env.E2E_DB === "postgres" ? "postgres" : "sqlite";
export const port = db === "postgres" ? 18182 : 18181;
export const catalogPort = db === "postgres" ? 18184 : 18183;
