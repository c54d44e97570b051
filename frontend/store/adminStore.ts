// The admin UI's data (admins only): users, the audit log (filters, cursor paging), backups, the
// reminders and SMS outbox status, system health, and the jobs dashboard's session.
import { create } from "zustand";
import { ApiError, baseUrl, client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import type { paths } from "../services/schema";
import { idle, runner, type ActionState } from "./actions";

export type User = Schemas["UserDto"];
export type CreateUserInput = Schemas["CreateUser"];
export type UpdateUserInput = Schemas["UpdateUser"];
export type AuditEntry = Schemas["AuditEntryDto"];
/** table, entityId, userId, from, to (the cursor and limit are the store's business). */
export type AuditFilter = Omit<NonNullable<paths["/api/admin/audit"]["get"]["parameters"]["query"]>, "cursor" | "limit">;
export type Backup = Schemas["BackupDto"];
export type MessagingStatus = Schemas["MessagingStatusDto"];

/** /health/ready's answer: Healthy, Degraded or Unhealthy (the database, the file store, SMTP when configured). */
export interface Health {
  status: string;
  httpStatus: number;
  checkedAt: string;
}

export const adminActions = [
  "users", "createUser", "updateUser", "deactivateUser",
  "audit", "nextAuditPage", "backups", "runBackup", "downloadBackup", "messaging", "health", "jobsSession", "sendPasswordReset",
] as const;
export type AdminAction = (typeof adminActions)[number];

export interface AdminState extends ActionState<AdminAction> {
  users: User[];
  audit: AuditEntry[];
  auditFilter: AuditFilter;
  auditNextCursor: string | null;
  auditHasMore: boolean;
  backups: Backup[];
  health: Health | null;
  messaging: MessagingStatus | null;

  /** Every user, by email (all pages). */
  loadUsers(): Promise<User[] | null>;
  createUser(input: CreateUserInput): Promise<User | null>;
  /** Name, role, password or active flag; missing fields are left unchanged. */
  updateUser(id: string, input: UpdateUserInput): Promise<User | null>;
  /** Deactivates: every token of the user stops working. True when done. */
  deactivateUser(id: string): Promise<boolean | null>;
  /** E-mails the user a single-use link to choose a new password; the API's sentence (409 when e-mail is not configured). */
  sendPasswordReset(id: string): Promise<string | null>;

  /** The first page of the audit log under a filter, newest first. */
  loadAudit(filter: AuditFilter): Promise<AuditEntry[] | null>;
  nextAuditPage(): Promise<AuditEntry[] | null>;

  loadBackups(): Promise<Backup[] | null>;
  /** Backs the database up now (the request answers once the backup is stored). */
  runBackup(): Promise<Backup | null>;
  /** The backup's file (with the bearer token, so not a plain link): a Blob and the file's name. */
  downloadBackup(backup: Backup): Promise<{ blob: Blob; fileName: string } | null>;

  /** Reminders and the SMS outbox: counts per status and the latest of each. */
  loadMessaging(): Promise<MessagingStatus | null>;
  /** GET /health/ready (no sign-in): a 503 is a result here, not an error. */
  loadHealth(): Promise<Health | null>;
  /** Sets the jobs dashboard's cookie in this browser and returns the dashboard's URL. */
  startJobsSession(): Promise<string | null>;

  clearError(action: AdminAction): void;
  reset(): void;
}

const initial = () => ({
  users: [] as User[],
  audit: [] as AuditEntry[],
  auditFilter: {} as AuditFilter,
  auditNextCursor: null as string | null,
  auditHasMore: false,
  backups: [] as Backup[],
  health: null as Health | null,
  messaging: null as MessagingStatus | null,
  ...idle(adminActions),
});

const byEmail = (a: User, b: User) => a.email.localeCompare(b.email);
const replaceUser = (users: User[], user: User) => [...users.filter((u) => u.id !== user.id), user].sort(byEmail);
/** The filter without empty fields (the API reads an empty `from` as a bad timestamp). */
const compact = (filter: AuditFilter): AuditFilter =>
  Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== "")) as AuditFilter;

export const useAdminStore = create<AdminState>()((set, get) => {
  const actions = runner<AdminState, AdminAction>(set);

  return {
    ...initial(),

    loadUsers: () =>
      actions.run("users", async () => {
        const users: User[] = [];
        let cursor: string | undefined;
        do {
          const page = await unwrap(client.GET("/api/users", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
          users.push(...page.data);
          cursor = page.pagination.hasMore ? page.pagination.nextCursor ?? undefined : undefined;
        } while (cursor);
        return users.sort(byEmail);
      }, (users) => ({ users }), { latestOnly: true }),

    createUser: (input) =>
      actions.run("createUser", () => unwrap(client.POST("/api/users", { body: input })), (user, state) => ({ users: replaceUser(state.users, user) })),

    updateUser: (id, input) =>
      actions.run("updateUser", () => unwrap(client.PUT("/api/users/{id}", { params: { path: { id } }, body: input })),
        (user, state) => ({ users: replaceUser(state.users, user) })),

    deactivateUser: (id) =>
      actions.run("deactivateUser", async () => {
        await unwrap(client.DELETE("/api/users/{id}", { params: { path: { id } } }));
        return true;
      }, (_, state) => ({ users: state.users.map((u) => (u.id === id ? { ...u, active: false } : u)) })),

    sendPasswordReset: (id) =>
      actions.run("sendPasswordReset", async () =>
        (await unwrap(client.POST("/api/users/{id}/password-reset", { params: { path: { id } } }))).message),

    loadAudit: (filter) => {
      const query = compact(filter);
      set({ auditFilter: query });
      return actions.run("audit", () => unwrap(client.GET("/api/admin/audit", { params: { query: { ...query, limit: 50 } } })),
        (page) => ({ audit: page.data, auditNextCursor: page.pagination.nextCursor ?? null, auditHasMore: page.pagination.hasMore }),
        { latestOnly: true }).then((page) => page?.data ?? null);
    },

    nextAuditPage: () => {
      const { auditFilter, auditNextCursor } = get();
      if (!auditNextCursor) return Promise.resolve([]);
      return actions.run("nextAuditPage",
        () => unwrap(client.GET("/api/admin/audit", { params: { query: { ...auditFilter, limit: 50, cursor: auditNextCursor } } })),
        (page, state) => ({
          audit: [...state.audit, ...page.data],
          auditNextCursor: page.pagination.nextCursor ?? null,
          auditHasMore: page.pagination.hasMore,
        }), { latestOnly: true }).then((page) => page?.data ?? null);
    },

    loadBackups: () =>
      actions.run("backups", () => unwrap(client.GET("/api/admin/backups")).then((b) => [...b.data]), (backups) => ({ backups }), { latestOnly: true }),

    runBackup: () =>
      actions.run("runBackup", () => unwrap(client.POST("/api/admin/backups")),
        (backup, state) => ({ backups: [backup, ...state.backups.filter((b) => b.id !== backup.id)] })),

    downloadBackup: (backup) =>
      actions.run("downloadBackup", async () => {
        const blob = await unwrap(client.GET("/api/admin/backups/{id}/file", { params: { path: { id: backup.id } }, parseAs: "blob" })) as unknown as Blob;
        const fileName = backup.fileKey?.split("/").pop() || `backup-${backup.id}`;
        return { blob, fileName };
      }),

    loadMessaging: () =>
      actions.run("messaging", () => unwrap(client.GET("/api/admin/messaging")), (messaging) => ({ messaging }), { latestOnly: true }),

    loadHealth: () =>
      actions.run("health", async () => {
        let response: Response;
        try {
          response = await fetch(`${baseUrl}/health/ready`, { cache: "no-store" });
        } catch (e) {
          throw new ApiError(0, "NETWORK_ERROR", e instanceof Error ? e.message : "Network error");
        }
        const status = (await response.text()).trim() || (response.ok ? "Healthy" : "Unhealthy");
        return { status, httpStatus: response.status, checkedAt: new Date().toISOString() };
      }, (health) => ({ health }), { latestOnly: true }),

    startJobsSession: () =>
      actions.run("jobsSession", async () => {
        const session = await unwrap(client.POST("/api/admin/jobs/session", { credentials: "include" }));
        return session.dashboardUrl;
      }),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => useAdminStore.getState().reset());
