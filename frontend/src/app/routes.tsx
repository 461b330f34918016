// The one permission table of the SPA: every signed-in page, who may open it, and whether it
// appears in the navigation. Routes (App.tsx) and the menu (AppLayout.tsx) are both built
// from it, so they cannot disagree. The server checks every request again; this only keeps
// people away from pages that would refuse them.
import { lazy, type ComponentType, type ReactNode } from "react";
import {
  ApartmentOutlined, AuditOutlined, BarChartOutlined, DollarOutlined, EnvironmentOutlined, FileExcelOutlined, FileTextOutlined,
  FolderOpenOutlined, GiftOutlined, HomeOutlined, LinkOutlined, OrderedListOutlined, PartitionOutlined, ProjectOutlined, QrcodeOutlined,
  ReadOutlined, SafetyCertificateOutlined, ShopOutlined, ShoppingOutlined, SolutionOutlined, TeamOutlined,
} from "@ant-design/icons";
import type { MessageKey } from "../i18n/messages";
import { HomePage } from "./HomePage";

/** Who may open a page, by the signed-in user's role. */
export type Allow = (role: string) => boolean;

export const everyone: Allow = () => true;
export const officers: Allow = (role) => role === "admin" || role.endsWith("_officer");
export const admins: Allow = (role) => role === "admin";
export const producers: Allow = (role) => role === "producer";
export const notProducers: Allow = (role) => role !== "producer";
export const notCouncilMembers: Allow = (role) => role !== "council_member";

export interface AppRoute {
  path: string;
  page: ComponentType;
  allow: Allow;
  /** In the navigation, in this table's order. */
  nav?: { label: MessageKey; icon: ReactNode };
  /** Open to anyone, signed in or not, outside the app's layout (App.tsx's public routes). */
  public?: true;
}

/** Heavier pages load on first visit, so signing in stays quick on a slow connection. */
function page<K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K): ComponentType {
  const Page: ComponentType = lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
  return Page;
}

export const ROUTES: AppRoute[] = [
  { path: "/", page: HomePage, allow: everyone, nav: { label: "nav.home", icon: <HomeOutlined /> } },
  { path: "/mine", page: page(() => import("../registry/MinePage"), "MinePage"), allow: producers, nav: { label: "nav.mine", icon: <FolderOpenOutlined /> } },
  { path: "/subjects", page: page(() => import("../registry/SubjectsPage"), "SubjectsPage"), allow: everyone, nav: { label: "nav.subjects", icon: <ShopOutlined /> } },
  { path: "/products", page: page(() => import("../registry/ProductsPage"), "ProductsPage"), allow: everyone, nav: { label: "nav.products", icon: <GiftOutlined /> } },
  { path: "/products/:id", page: page(() => import("../registry/ProductPage"), "ProductPage"), allow: everyone },
  { path: "/review", page: page(() => import("../cycle/ReviewQueuePage"), "ReviewQueuePage"), allow: officers, nav: { label: "nav.review", icon: <AuditOutlined /> } },
  { path: "/cycle", page: page(() => import("../cycle/CycleBoardPage"), "CycleBoardPage"), allow: notCouncilMembers, nav: { label: "nav.board", icon: <ProjectOutlined /> } },
  { path: "/applications/:id", page: page(() => import("../cycle/ApplicationPage"), "ApplicationPage"), allow: everyone },
  { path: "/progress", page: page(() => import("../cycle/ProgressPage"), "ProgressPage"), allow: everyone, nav: { label: "nav.progress", icon: <BarChartOutlined /> } },
  { path: "/map", page: page(() => import("../maps/MapPage"), "MapPage"), allow: everyone, nav: { label: "nav.map", icon: <EnvironmentOutlined /> } },
  { path: "/councils", page: page(() => import("../scoring/CouncilsPage"), "CouncilsPage"), allow: notProducers, nav: { label: "nav.councils", icon: <SolutionOutlined /> } },
  { path: "/councils/:id", page: page(() => import("../scoring/CouncilPage"), "CouncilPage"), allow: notProducers },
  { path: "/sessions/:id", page: page(() => import("../scoring/SessionPage"), "SessionPage"), allow: notProducers },
  { path: "/session-items/:id", page: page(() => import("../scoring/ScoreSheetPage"), "ScoreSheetPage"), allow: notProducers },
  { path: "/certificates", page: page(() => import("../scoring/CertificatesPage"), "CertificatesPage"), allow: everyone, nav: { label: "nav.certificates", icon: <SafetyCertificateOutlined /> } },
  { path: "/certificates/:id", page: page(() => import("../scoring/CertificatePage"), "CertificatePage"), allow: everyone },
  { path: "/batches", page: page(() => import("../traceability/BatchesPage"), "BatchesPage"), allow: notCouncilMembers, nav: { label: "nav.batches", icon: <QrcodeOutlined /> } },
  { path: "/reports", page: page(() => import("../programme/ReportsPage"), "ReportsPage"), allow: officers, nav: { label: "nav.reports", icon: <FileTextOutlined /> } },
  { path: "/training", page: page(() => import("../programme/TrainingPage"), "TrainingPage"), allow: officers, nav: { label: "nav.training", icon: <ReadOutlined /> } },
  { path: "/funding", page: page(() => import("../programme/FundingPage"), "FundingPage"), allow: officers, nav: { label: "nav.funding", icon: <DollarOutlined /> } },
  { path: "/catalog", page: page(() => import("../catalog/CatalogPage"), "CatalogPage"), allow: everyone, public: true, nav: { label: "nav.catalog", icon: <ShoppingOutlined /> } },
  { path: "/criteria-sets", page: page(() => import("../scoring/CriteriaSetsPage"), "CriteriaSetsPage"), allow: notProducers, nav: { label: "nav.criteria", icon: <OrderedListOutlined /> } },
  { path: "/import", page: page(() => import("../registry/ImportPage"), "ImportPage"), allow: officers, nav: { label: "nav.import", icon: <FileExcelOutlined /> } },
  { path: "/admin-units", page: page(() => import("../admin/AdminUnitsPage"), "AdminUnitsPage"), allow: everyone, nav: { label: "nav.adminUnits", icon: <ApartmentOutlined /> } },
  { path: "/classifications", page: page(() => import("../admin/ClassificationsPage"), "ClassificationsPage"), allow: admins, nav: { label: "nav.classifications", icon: <PartitionOutlined /> } },
  { path: "/users", page: page(() => import("../admin/UsersPage"), "UsersPage"), allow: admins, nav: { label: "nav.users", icon: <TeamOutlined /> } },
  { path: "/partners", page: page(() => import("../admin/PartnersPage"), "PartnersPage"), allow: admins, nav: { label: "nav.partners", icon: <LinkOutlined /> } },
  { path: "/audit", page: page(() => import("../admin/AuditPage"), "AuditPage"), allow: admins, nav: { label: "nav.audit", icon: <AuditOutlined /> } },
  { path: "/notifications", page: page(() => import("./NotificationsPage"), "NotificationsPage"), allow: everyone },
];

/** The navigation of a role, in the table's order. */
export function navigation(role: string): (AppRoute & Required<Pick<AppRoute, "nav">>)[] {
  return ROUTES.filter((r): r is AppRoute & Required<Pick<AppRoute, "nav">> => !!r.nav && r.allow(role));
}
