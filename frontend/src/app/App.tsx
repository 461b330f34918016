import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { useSessionState } from "../auth/session";
import { AppLayout } from "./AppLayout";
import { LoginPage } from "./LoginPage";
import { ROUTES } from "./routes";
import { NotFoundPage } from "./NotFoundPage";

const PublicMapPage = lazy(() => import("../maps/PublicMapPage").then((m) => ({ default: m.PublicMapPage })));
const CatalogProductPage = lazy(() => import("../catalog/CatalogProductPage").then((m) => ({ default: m.CatalogProductPage })));
const FairsPage = lazy(() => import("../catalog/FairsPage").then((m) => ({ default: m.FairsPage })));

/** Pages anyone sees, signed in or not. */
const publicRoutes = (
  <>
    {ROUTES.filter((r) => r.public).map(({ path, page: Page }) => (
      <Route key={path} path={path.slice(1)} element={<Suspense fallback={null}><Page /></Suspense>} />
    ))}
    <Route path="public/map" element={<Suspense fallback={null}><PublicMapPage /></Suspense>} />
    <Route path="catalog/:id" element={<Suspense fallback={null}><CatalogProductPage /></Suspense>} />
    <Route path="fairs" element={<Suspense fallback={null}><FairsPage /></Suspense>} />
  </>
);

export function App() {
  const session = useSessionState();
  if (session === "restoring") return null;
  if (!session) {
    return (
      <Routes>
        {publicRoutes}
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  const role = session.user.role;
  return (
    <Routes>
      {publicRoutes}
      <Route element={<AppLayout />}>
        {ROUTES.filter((r) => !r.public).map(({ path, page: Page, allow }) => (
          <Route key={path} path={path === "/" ? undefined : path.slice(1)} index={path === "/"} element={allow(role) ? <Page /> : <Navigate to="/" replace />} />
        ))}
        <Route path="login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
