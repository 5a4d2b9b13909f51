// Invitations, for a business's admins: invite someone (by e-mail, a link to the join screen, or
// a code to hand over), see the invitations still pending, revoke one. And the link's other end:
// the code an e-mailed link carries (`/business?invite=<code>`), kept through a sign-in.

import { useState } from "react";
import { Api, ApiError } from "./api";
import type { components } from "./generated/openapi";
import { ROLES, type Role } from "./types";
import { ActionButton, Alert, Field, Loading, ShownOnce, Submit, useForm, useLoad } from "./ui";
import * as check from "./validation";

type PendingInvite = components["schemas"]["PendingInvite"];
type EmailStatus = components["schemas"]["Invite"]["email_status"];

const PAGE = 20;

/** The code an invitation link carries, if this page was opened from one. */
export function inviteCodeFromUrl(search: string = window.location.search): string {
  return new URLSearchParams(search).get("invite")?.trim() ?? "";
}

/** What the admin is told about the e-mail, by the API's email_status. */
export function emailNotice(status: EmailStatus, address: string): { tone: "info" | "error"; text: string } | undefined {
  switch (status) {
    case "sent":
      return { tone: "info", text: `Invitation e-mailed to ${address}, with a link to join. The code below works too.` };
    case "suppressed":
      return { tone: "error", text: `No e-mail was sent: mail to ${address} bounced or was marked as spam before. Hand them the code below.` };
    case "rejected":
    case "failed":
      return { tone: "error", text: `The e-mail to ${address} could not be sent. Hand them the code below.` };
    case "not_configured":
      return { tone: "error", text: "E-mail is not set up for this stage. Hand them the code below." };
    default:
      return undefined;
  }
}

export function Invitations({ api, businessId }: { api: Api; businessId: string }) {
  const path = { business_id: businessId };
  const [pending, setPending] = useState<PendingInvite[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  // A 403 (staff rights waiting for two-step sign-in) is explained once, by the members' card.
  const [blocked, setBlocked] = useState(false);
  const firstPage = useLoad(async () => {
    try {
      const page = await api.call((client) => client.GET("/businesses/{business_id}/invites", { params: { path, query: { limit: PAGE } } }));
      setBlocked(false);
      setPending(page.items);
      setCursor(page.next_cursor);
      return page;
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 403)) throw caught;
      setBlocked(true);
      return { items: [], next_cursor: null };
    }
  }, [api, businessId]);

  async function more() {
    if (!cursor) return;
    const page = await api.call((client) => client.GET("/businesses/{business_id}/invites", { params: { path, query: { limit: PAGE, cursor } } }));
    setPending((current) => [...current, ...page.items.filter((item) => !current.some((shown) => shown.id === item.id))]);
    setCursor(page.next_cursor);
  }

  async function revoke(invite: PendingInvite) {
    try {
      await api.call((client) => client.DELETE("/businesses/{business_id}/invites/{invite_id}", { params: { path: { ...path, invite_id: invite.id } } }));
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 404)) throw caught;
      firstPage.reload();
      throw new ApiError(404, caught.code, `The invitation for ${invite.email} was accepted or revoked meanwhile.`);
    }
    setPending((current) => current.filter((item) => item.id !== invite.id));
  }

  return (
    <>
      <InviteForm api={api} businessId={businessId} onInvited={() => firstPage.reload()} />
      <section className="card" aria-labelledby="pending-heading">
        <h2 id="pending-heading">Pending invitations</h2>
        <Alert message={firstPage.error ?? error} />
        {firstPage.loading ? <Loading what="invitations" /> : null}
        {blocked ? <p className="muted">Pending invitations show here once your staff rights are confirmed.</p> : null}
        {firstPage.data && !blocked && pending.length === 0 ? <p className="muted">No invitation is waiting for an answer.</p> : null}
        {pending.length > 0 ? (
          <table className="plain-table" data-testid="pending-invites">
            <caption className="visually-hidden">Invitations not used yet, newest first</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((invite) => (
                <tr key={invite.id}>
                  <td>{invite.email}</td>
                  <td>{invite.role}</td>
                  <td>
                    <time dateTime={invite.expires_at}>{new Date(invite.expires_at).toLocaleDateString()}</time>
                  </td>
                  <td>
                    <ActionButton action={() => revoke(invite)} onError={setError}>
                      Revoke<span className="visually-hidden"> the invitation for {invite.email}</span>
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {cursor ? (
          <ActionButton action={more} onError={setError}>
            More invitations
          </ActionButton>
        ) : null}
      </section>
    </>
  );
}

function InviteForm({ api, businessId, onInvited }: { api: Api; businessId: string; onInvited: () => void }) {
  const form = useForm({ email: "", role: "member" as string });
  const [send, setSend] = useState(true);
  const [made, setMade] = useState<{ code: string; email: string; status: EmailStatus }>();
  const notice = made ? emailNotice(made.status, made.email) : undefined;
  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="invite-heading"
        onSubmit={(event) => {
          event.preventDefault();
          setMade(undefined);
          void form.submit(
            (values) => check.clean({ email: check.email(values.email) }),
            async (values) => {
              const body = { email: values.email.trim(), role: values.role as Role, send_email: send };
              const invite = await api.call((client) => client.POST("/businesses/{business_id}/invites", { params: { path: { business_id: businessId } }, body }));
              setMade({ code: invite.code, email: invite.email, status: invite.email_status });
              form.setValues({ email: "", role: values.role });
              onInvited();
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <div className="row">
          <Field label="E-mail" name="email" required type="email" autoComplete="off" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
          <Field label="Role" name="role" required options={ROLES} value={form.values.role} onChange={form.set("role")} error={form.errors.role} />
        </div>
        <label className="switch">
          <input type="checkbox" name="send_email" checked={send} onChange={(event) => setSend(event.target.checked)} />
          Send them a link to join, to that address
        </label>
        <Submit busy={form.busy}>Create invitation</Submit>
      </form>
      {notice ? <Alert tone={notice.tone} message={notice.text} /> : null}
      {made ? <ShownOnce label={`Invitation for ${made.email}:`} value={made.code} note="Shown this once. It works for 7 days, once, for that address." /> : null}
    </section>
  );
}
