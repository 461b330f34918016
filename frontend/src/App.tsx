import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { useSessionState } from "./auth/session";
import { AppLayout } from "./layout/AppLayout";
import { LoginPage } from "./pages/LoginPage";
import { HomePage } from "./pages/HomePage";
import { NotFoundPage } from "./pages/NotFoundPage";

// Heavier pages load on first visit, so signing in stays quick on a slow connection.
const AdminUnitsPage = lazy(() => import("./pages/AdminUnitsPage").then((m) => ({ default: m.AdminUnitsPage })));
const UsersPage = lazy(() => import("./pages/UsersPage").then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import("./pages/AuditPage").then((m) => ({ default: m.AuditPage })));
const SubjectsPage = lazy(() => import("./pages/SubjectsPage").then((m) => ({ default: m.SubjectsPage })));
const ProductsPage = lazy(() => import("./pages/ProductsPage").then((m) => ({ default: m.ProductsPage })));
const ProductPage = lazy(() => import("./pages/ProductPage").then((m) => ({ default: m.ProductPage })));
const ApplicationPage = lazy(() => import("./pages/ApplicationPage").then((m) => ({ default: m.ApplicationPage })));
const CycleBoardPage = lazy(() => import("./pages/CycleBoardPage").then((m) => ({ default: m.CycleBoardPage })));
const ProgressPage = lazy(() => import("./pages/ProgressPage").then((m) => ({ default: m.ProgressPage })));
const ImportPage = lazy(() => import("./pages/ImportPage").then((m) => ({ default: m.ImportPage })));
const ReviewQueuePage = lazy(() => import("./pages/ReviewQueuePage").then((m) => ({ default: m.ReviewQueuePage })));
const ClassificationsPage = lazy(() => import("./pages/ClassificationsPage").then((m) => ({ default: m.ClassificationsPage })));
const CouncilsPage = lazy(() => import("./pages/CouncilsPage").then((m) => ({ default: m.CouncilsPage })));
const CouncilPage = lazy(() => import("./pages/CouncilPage").then((m) => ({ default: m.CouncilPage })));
const SessionPage = lazy(() => import("./pages/SessionPage").then((m) => ({ default: m.SessionPage })));
const ScoreSheetPage = lazy(() => import("./pages/ScoreSheetPage").then((m) => ({ default: m.ScoreSheetPage })));
const CriteriaSetsPage = lazy(() => import("./pages/CriteriaSetsPage").then((m) => ({ default: m.CriteriaSetsPage })));
const CertificatesPage = lazy(() => import("./pages/CertificatesPage").then((m) => ({ default: m.CertificatesPage })));
const CertificatePage = lazy(() => import("./pages/CertificatePage").then((m) => ({ default: m.CertificatePage })));
const MapPage = lazy(() => import("./pages/MapPage").then((m) => ({ default: m.MapPage })));
const PublicMapPage = lazy(() => import("./pages/PublicMapPage").then((m) => ({ default: m.PublicMapPage })));
const CatalogPage = lazy(() => import("./public/CatalogPage").then((m) => ({ default: m.CatalogPage })));
const CatalogProductPage = lazy(() => import("./public/CatalogProductPage").then((m) => ({ default: m.CatalogProductPage })));
const FairsPage = lazy(() => import("./public/FairsPage").then((m) => ({ default: m.FairsPage })));
const PartnersPage = lazy(() => import("./pages/PartnersPage").then((m) => ({ default: m.PartnersPage })));
const NotificationsPage = lazy(() => import("./pages/NotificationsPage").then((m) => ({ default: m.NotificationsPage })));
const ReportsPage = lazy(() => import("./pages/ReportsPage").then((m) => ({ default: m.ReportsPage })));
const TrainingPage = lazy(() => import("./pages/TrainingPage").then((m) => ({ default: m.TrainingPage })));
const FundingPage = lazy(() => import("./pages/FundingPage").then((m) => ({ default: m.FundingPage })));
const BatchesPage = lazy(() => import("./pages/BatchesPage").then((m) => ({ default: m.BatchesPage })));
const MinePage = lazy(() => import("./pages/MinePage").then((m) => ({ default: m.MinePage })));

/** Pages anyone sees, signed in or not. */
const publicRoutes = (
  <>
    <Route path="public/map" element={<Suspense fallback={null}><PublicMapPage /></Suspense>} />
    <Route path="catalog" element={<Suspense fallback={null}><CatalogPage /></Suspense>} />
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
  const isAdmin = session.user.role === "admin";
  // Officers (and admins) review dossiers and import spreadsheets.
  const canImport = isAdmin || session.user.role.endsWith("_officer");
  return (
    <Routes>
      {publicRoutes}
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="admin-units" element={<AdminUnitsPage />} />
        <Route path="mine" element={<MinePage />} />
        <Route path="subjects" element={<SubjectsPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="applications/:id" element={<ApplicationPage />} />
        <Route path="cycle" element={<CycleBoardPage />} />
        <Route path="review" element={canImport ? <ReviewQueuePage /> : <Navigate to="/" replace />} />
        <Route path="progress" element={<ProgressPage />} />
        <Route path="import" element={canImport ? <ImportPage /> : <Navigate to="/" replace />} />
        <Route path="map" element={<MapPage />} />
        <Route path="councils" element={session.user.role === "producer" ? <Navigate to="/" replace /> : <CouncilsPage />} />
        <Route path="councils/:id" element={<CouncilPage />} />
        <Route path="sessions/:id" element={<SessionPage />} />
        <Route path="session-items/:id" element={<ScoreSheetPage />} />
        <Route path="criteria-sets" element={<CriteriaSetsPage />} />
        <Route path="certificates" element={<CertificatesPage />} />
        <Route path="certificates/:id" element={<CertificatePage />} />
        <Route path="users" element={isAdmin ? <UsersPage /> : <Navigate to="/" replace />} />
        <Route path="audit" element={isAdmin ? <AuditPage /> : <Navigate to="/" replace />} />
        <Route path="partners" element={isAdmin ? <PartnersPage /> : <Navigate to="/" replace />} />
        <Route path="classifications" element={isAdmin ? <ClassificationsPage /> : <Navigate to="/" replace />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="batches" element={session.user.role === "council_member" ? <Navigate to="/" replace /> : <BatchesPage />} />
        <Route path="reports" element={canImport ? <ReportsPage /> : <Navigate to="/" replace />} />
        <Route path="training" element={canImport ? <TrainingPage /> : <Navigate to="/" replace />} />
        <Route path="funding" element={canImport ? <FundingPage /> : <Navigate to="/" replace />} />
        <Route path="login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
