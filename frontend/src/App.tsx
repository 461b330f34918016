import { lazy } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { useSession } from "./auth/session";
import { AppLayout } from "./layout/AppLayout";
import { LoginPage } from "./pages/LoginPage";
import { HomePage } from "./pages/HomePage";
import { NotFoundPage } from "./pages/NotFoundPage";

// Heavier pages load on first visit, so signing in stays quick on a slow connection.
const AdminUnitsPage = lazy(() => import("./pages/AdminUnitsPage").then((m) => ({ default: m.AdminUnitsPage })));
const UsersPage = lazy(() => import("./pages/UsersPage").then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import("./pages/AuditPage").then((m) => ({ default: m.AuditPage })));

export function App() {
  const session = useSession();
  if (!session) {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  const isAdmin = session.user.role === "admin";
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="admin-units" element={<AdminUnitsPage />} />
        <Route path="users" element={isAdmin ? <UsersPage /> : <Navigate to="/" replace />} />
        <Route path="audit" element={isAdmin ? <AuditPage /> : <Navigate to="/" replace />} />
        <Route path="login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
