"use client";
// Users (admins): create one with a role, change a role, set a new password or e-mail a link to choose
// one, a dentist's calendar colour, deactivate.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField, TextField, fieldError } from "../../../../components/ui";
import { useAdminStore, type User } from "../../../../store/adminStore";
import { useSessionStore } from "../../../../store/sessionStore";

const roles = ["staff", "dentist", "admin"] as const;

export function UsersScreen() {
  const { users, loading, errors, loadUsers } = useAdminStore();

  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  return (
    <>
      <h1>Users</h1>
      <NewUser />
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">Everyone who can sign in</h2>
        <ErrorAlert error={errors.users} />
        {loading.users && users.length === 0 && <Loading />}
        {!loading.users && !errors.users && users.length === 0 && <p className="empty">No users yet.</p>}
        {users.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Actions</th></tr>
              </thead>
              <tbody>
                {users.map((u) => <UserRow key={u.id} user={u} />)}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function NewUser() {
  const { createUser, loading, errors, clearError } = useAdminStore();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>("staff");
  const [password, setPassword] = useState("");
  const [color, setColor] = useState("#22aa66");
  const [created, setCreated] = useState<User | null>(null);
  const error = errors.createUser;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const user = await createUser({ name, email, role, password, ...(role === "dentist" ? { calendarColor: color } : {}) });
    if (user) {
      setCreated(user);
      setName("");
      setEmail("");
      setPassword("");
    }
  };

  useEffect(() => () => clearError("createUser"), [clearError]);

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-user-title">
      <h2 id="new-user-title">New user</h2>
      <ErrorAlert error={error} shownFields={["name", "email", "role", "password", "calendarColor"]} />
      {created && <p className="alert ok" role="status">{created.name} ({created.email}) can now sign in as {created.role}.</p>}
      <div className="row">
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, "name")} />
        <TextField label="Email" name="email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
        <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value)} error={fieldError(error, "role")}>
          {roles.map((r) => <option key={r} value={r}>{r}</option>)}
        </SelectField>
        <TextField label="Password" name="password" type="password" autoComplete="new-password" value={password}
          onChange={(e) => setPassword(e.target.value)} error={fieldError(error, "password")} hint="At least 10 characters, mixing letters, digits or symbols." />
        {role === "dentist" && (
          <TextField label="Calendar colour" type="color" value={color} onChange={(e) => setColor(e.target.value)}
            error={fieldError(error, "calendarColor")} style={{ height: "2.6rem", padding: "0.2rem" }} />
        )}
      </div>
      <button type="submit" disabled={loading.createUser}>{loading.createUser ? "Creating…" : "Create user"}</button>
    </form>
  );
}

function UserRow({ user }: { user: User }) {
  const { updateUser, deactivateUser, sendPasswordReset, loading } = useAdminStore();
  const me = useSessionStore((s) => s.user);
  const [editing, setEditing] = useState<"role" | "password" | "color" | null>(null);
  const [role, setRole] = useState<string>(user.role);
  const [color, setColor] = useState<string>(user.calendarColor?.toLowerCase() ?? "#22aa66");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ReturnType<typeof useAdminStore.getState>["errors"]["updateUser"]>(null);
  const [done, setDone] = useState<string | null>(null);
  const isMe = me?.id === user.id;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const updated = await updateUser(user.id, editing === "role" ? { role } : editing === "color" ? { calendarColor: color } : { password });
    const failure = useAdminStore.getState().errors.updateUser;
    setError(updated ? null : failure);
    if (updated) {
      setDone(editing === "role" ? `Role changed to ${updated.role}.` : editing === "color" ? "Calendar colour saved." : "Password set; tell them in person.");
      setEditing(null);
      setPassword("");
    }
  };

  const deactivate = async () => {
    if (!window.confirm(`Deactivate ${user.name}? They are signed out everywhere and can no longer sign in.`)) return;
    const ok = await deactivateUser(user.id);
    setError(ok ? null : useAdminStore.getState().errors.deactivateUser);
    if (ok) setDone("Deactivated.");
  };

  const clearColor = async () => {
    const updated = await updateUser(user.id, { calendarColor: "" });
    setError(updated ? null : useAdminStore.getState().errors.updateUser);
    if (updated) {
      setDone("Calendar colour removed.");
      setEditing(null);
    }
  };

  const emailLink = async () => {
    setDone(null);
    const sent = await sendPasswordReset(user.id);
    setError(sent ? null : useAdminStore.getState().errors.sendPasswordReset);
    if (sent) setDone(sent);
  };

  const reactivate = async () => {
    const updated = await updateUser(user.id, { active: true });
    setError(updated ? null : useAdminStore.getState().errors.updateUser);
    if (updated) setDone("Active again.");
  };

  return (
    <tr>
      <td>{user.name}{isMe && <span className="muted"> (you)</span>}</td>
      <td>{user.email}</td>
      <td>
        <span className="badge">{user.role}</span>
        {user.calendarColor && <> <span className="swatch" style={{ background: user.calendarColor }} title={`Calendar colour ${user.calendarColor}`} aria-hidden="true" /><span className="sr-only">calendar colour {user.calendarColor}</span></>}
      </td>
      <td>{user.active ? "Active" : <span className="muted">Deactivated</span>}</td>
      <td>
        {editing ? (
          <form onSubmit={save} noValidate className="stack" aria-label={`${editing === "role" ? "Change role" : editing === "color" ? "Change calendar colour" : "Set password"} of ${user.name}`}>
            {editing === "role" ? (
              <SelectField label={`Role of ${user.name}`} value={role} onChange={(e) => setRole(e.target.value)} error={error?.fieldMessage("role")}>
                {roles.map((r) => <option key={r} value={r}>{r}</option>)}
              </SelectField>
            ) : editing === "color" ? (
              <TextField label={`Calendar colour of ${user.name}`} type="color" value={color} onChange={(e) => setColor(e.target.value)}
                error={error?.fieldMessage("calendarColor")} style={{ height: "2.6rem", padding: "0.2rem" }} />
            ) : (
              <TextField label={`New password for ${user.name}`} type="password" autoComplete="new-password" value={password}
                onChange={(e) => setPassword(e.target.value)} error={error?.fieldMessage("password")} />
            )}
            <ErrorAlert error={error} shownFields={["role", "password", "calendarColor"]} />
            <div className="actions">
              <button type="submit" disabled={loading.updateUser}>Save</button>
              {editing === "color" && user.calendarColor && <button type="button" className="secondary" onClick={() => void clearColor()}>No colour</button>}
              <button type="button" className="secondary" onClick={() => { setEditing(null); setError(null); }}>Cancel</button>
            </div>
          </form>
        ) : user.active ? (
          <div className="actions" style={{ marginTop: 0 }}>
            <button type="button" className="secondary" onClick={() => { setEditing("role"); setDone(null); }} aria-label={`Change role of ${user.name}`}>Role</button>
            <button type="button" className="secondary" onClick={() => { setEditing("password"); setDone(null); }} aria-label={`Set a new password for ${user.name}`}>Password</button>
            <button type="button" className="secondary" onClick={() => void emailLink()} disabled={loading.sendPasswordReset}
              aria-label={`E-mail reset link to ${user.name}`}>E-mail reset link</button>
            {user.role === "dentist" && (
              <button type="button" className="secondary" onClick={() => { setEditing("color"); setDone(null); }} aria-label={`Change the calendar colour of ${user.name}`}>Colour</button>
            )}
            {!isMe && <button type="button" className="danger" onClick={() => void deactivate()} aria-label={`Deactivate ${user.name}`}>Deactivate</button>}
          </div>
        ) : (
          <button type="button" className="secondary" onClick={() => void reactivate()} aria-label={`Reactivate ${user.name}`}>Reactivate</button>
        )}
        {!editing && <ErrorAlert error={error} />}
        {done && <p className="alert ok" role="status">{done}</p>}
      </td>
    </tr>
  );
}
