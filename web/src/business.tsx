// The business portal: found a business or accept an invitation; admins invite people, change
// roles and remove members; coaches and admins see what members share with them.

import { useState } from "react";
import { Api, ApiError } from "./api";
import { formatDate } from "./dates";
import { memberName } from "./people";
import type { Me, Member, Program, Role, Submission } from "./types";
import { ROLES } from "./types";
import { AssessmentsAdmin } from "./assessmentEditor";
import { Invitations, inviteCodeFromUrl } from "./invitations";
import { ActionButton, Alert, Field, Loading, Submit, useForm, useLoad } from "./ui";
import * as check from "./validation";

const PERSONAL_PREFIX = "personal-";
const MEMBERS_PAGE = 20;

export function isPersonal(me: Me): boolean {
  return me.tenant_id.startsWith(PERSONAL_PREFIX);
}

export function BusinessPage({ api }: { api: Api }) {
  const me = useLoad(() => api.call((client) => client.GET("/me")), [api]);

  /** Founding or joining changes the tokens' tenant and role at their next refresh: now. */
  async function joined() {
    await api.renew();
    me.reload();
  }

  return (
    <main id="main" tabIndex={-1}>
      <h1>Business</h1>
      <Alert message={me.error} />
      {me.loading ? <Loading what="your business" /> : null}
      {me.data && isPersonal(me.data) ? (
        <div className="grid">
          <FoundBusiness api={api} onDone={joined} />
          <AcceptInvite api={api} onDone={joined} />
        </div>
      ) : null}
      {me.data && !isPersonal(me.data) ? <Portal api={api} me={me.data} /> : null}
    </main>
  );
}

function FoundBusiness({ api, onDone }: { api: Api; onDone: () => Promise<void> }) {
  const form = useForm({ name: "" });
  return (
    <section className="card" aria-labelledby="found-heading">
      <h2 id="found-heading">Found a business</h2>
      <p className="muted">You become its admin and can invite coaches and members.</p>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="found-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values) => check.clean({ name: check.required(values.name, "the business's name", 120) }),
            async (values) => {
              await api.call((client) => client.POST("/businesses", { body: { name: values.name.trim() } }));
              await onDone();
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="Business name" name="name" required autoComplete="organization" value={form.values.name} onChange={form.set("name")} error={form.errors.name} />
        <Submit busy={form.busy}>Found business</Submit>
      </form>
    </section>
  );
}

function AcceptInvite({ api, onDone }: { api: Api; onDone: () => Promise<void> }) {
  // Opened from an e-mailed invitation: its code is filled in.
  const form = useForm({ code: inviteCodeFromUrl() });
  return (
    <section className="card" aria-labelledby="accept-heading">
      <h2 id="accept-heading">Join with an invitation</h2>
      <p className="muted">Paste the code your gym or coach gave you; it works for the e-mail address it was sent to.</p>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="accept-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values) => check.clean({ code: /^\S{1,200}$/.test(values.code.trim()) ? undefined : "Paste the invitation code (no spaces)." }),
            async (values) => {
              const code = values.code.trim();
              await api.call((client) => client.POST("/invites/{code}/accept", { params: { path: { code } } }));
              await onDone();
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="Invitation code" name="code" required autoComplete="off" value={form.values.code} onChange={form.set("code")} error={form.errors.code} />
        <Submit busy={form.busy}>Join business</Submit>
      </form>
    </section>
  );
}

function Portal({ api, me }: { api: Api; me: Me }) {
  const businessId = me.tenant_id;
  const business = useLoad(
    () => api.call((client) => client.GET("/businesses/{business_id}", { params: { path: { business_id: businessId } } })),
    [api, businessId],
  );
  const staff = me.role === "admin" || me.role === "coach";
  return (
    <>
      <Alert message={business.error} />
      <section className="card" aria-labelledby="business-heading">
        <h2 id="business-heading">{business.data?.name ?? "Your business"}</h2>
        <p>
          You are <strong data-testid="my-role">{me.role}</strong> here.
          {staff ? null : " Your coaches see your assessments and programs only if you share them (Programs)."}
        </p>
      </section>
      {me.role === "admin" ? <Invitations api={api} businessId={businessId} /> : null}
      {me.role === "admin" ? <AssessmentsAdmin api={api} /> : null}
      {staff ? <Members api={api} me={me} businessId={businessId} /> : null}
    </>
  );
}

function Members({ api, me, businessId }: { api: Api; me: Me; businessId: string }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [viewing, setViewing] = useState<{ member: Member; asked: number }>();
  const path = { business_id: businessId };

  const firstPage = useLoad(async () => {
    const page = await api.call((client) => client.GET("/businesses/{business_id}/members", { params: { path, query: { limit: MEMBERS_PAGE } } }));
    setMembers(page.items);
    setCursor(page.next_cursor);
    return page;
  }, [api, businessId]);

  async function more() {
    if (!cursor) return;
    const page = await api.call((client) =>
      client.GET("/businesses/{business_id}/members", { params: { path, query: { limit: MEMBERS_PAGE, cursor } } }),
    );
    setMembers((current) => [...current, ...page.items.filter((item) => !current.some((shown) => shown.user_id === item.user_id))]);
    setCursor(page.next_cursor);
  }

  const admin = me.role === "admin";
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <Alert message={firstPage.error ?? error} />
      {firstPage.loading ? <Loading what="members" /> : null}
      {firstPage.data && members.length === 0 ? <p className="muted">No members yet: invite someone above.</p> : null}
      <table className="members">
        <caption className="visually-hidden">Members, their roles and when they joined</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <MemberRow
              key={member.user_id}
              api={api}
              businessId={businessId}
              member={member}
              admin={admin}
              self={member.user_id === me.user_id}
              onError={setError}
              onChanged={(changed) => setMembers((current) => current.map((item) => (item.user_id === changed.user_id ? changed : item)))}
              onRemoved={() => setMembers((current) => current.filter((item) => item.user_id !== member.user_id))}
              onView={() => setViewing((current) => ({ member, asked: (current?.asked ?? 0) + 1 }))}
            />
          ))}
        </tbody>
      </table>
      {cursor ? (
        <ActionButton action={more} onError={setError}>
          Load more members
        </ActionButton>
      ) : null}
      {viewing ? <SharedView key={viewing.asked} api={api} businessId={businessId} member={viewing.member} /> : null}
    </section>
  );
}

function MemberRow(props: {
  api: Api;
  businessId: string;
  member: Member;
  admin: boolean;
  self: boolean;
  onError: (message?: string) => void;
  onChanged: (member: Member) => void;
  onRemoved: () => void;
  onView: () => void;
}) {
  const { api, member } = props;
  const [role, setRole] = useState(member.role);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  const path = { business_id: props.businessId, user_id: member.user_id };
  return (
    <tr data-testid="member">
      <th scope="row">
        <span data-testid="member-name">{memberName(member)}</span>
        {props.self ? <span className="muted"> (you)</span> : null}
        {member.name?.trim() ? <span className="muted member-email"> {member.email}</span> : null}
      </th>
      <td>
        {props.admin ? (
          <span className="row compact">
            <label className="visually-hidden" htmlFor={`role-${member.user_id}`}>
              Role of {member.email}
            </label>
            <select
              id={`role-${member.user_id}`}
              value={role}
              onChange={(event) => {
                setRole(event.target.value);
                setSaved(false);
              }}
            >
              {ROLES.map((value) => (
                <option key={value}>{value}</option>
              ))}
            </select>
            <ActionButton
              onError={props.onError}
              action={async () => {
                const changed = await api.call((client) => client.PATCH("/businesses/{business_id}/members/{user_id}", { params: { path }, body: { role: role as Role } }));
                props.onChanged(changed);
                setSaved(true);
              }}
            >
              Save role<span className="visually-hidden"> of {member.email}</span>
            </ActionButton>
            <span className="muted" role="status">
              {saved ? "Role saved." : ""}
            </span>
          </span>
        ) : (
          member.role
        )}
      </td>
      <td>
        <time dateTime={member.joined_at}>{formatDate(member.joined_at)}</time>
      </td>
      <td>
        <div className="row compact">
          {props.self ? null : (
            <button type="button" className="secondary" onClick={props.onView}>
              Shared<span className="visually-hidden"> by {member.email}</span>
            </button>
          )}
          {props.admin && !props.self ? (
            confirming ? (
              <>
                <ActionButton
                  className="danger"
                  onError={props.onError}
                  action={async () => {
                    await api.call((client) => client.DELETE("/businesses/{business_id}/members/{user_id}", { params: { path } }));
                    props.onRemoved();
                  }}
                >
                  Yes, remove<span className="visually-hidden"> {member.email}</span>
                </ActionButton>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                Remove<span className="visually-hidden"> {member.email}</span>
              </button>
            )
          ) : null}
        </div>
      </td>
    </tr>
  );
}

/** What a member shares with the business's coaches and admins: their submissions and programs. */
function SharedView({ api, businessId, member }: { api: Api; businessId: string; member: Member }) {
  const path = { business_id: businessId, user_id: member.user_id };
  const shared = useLoad(async () => {
    try {
      const [submissions, programs] = await Promise.all([
        api.call((client) => client.GET("/businesses/{business_id}/members/{user_id}/submissions", { params: { path } })),
        api.call((client) => client.GET("/businesses/{business_id}/members/{user_id}/programs", { params: { path } })),
      ]);
      return { submissions: submissions.items, programs: programs.items, shares: true };
    } catch (caught) {
      // 404: not a member any more, or not sharing: the API does not say which, nor does this.
      if (caught instanceof ApiError && caught.status === 404) return { submissions: [], programs: [], shares: false };
      throw caught;
    }
  }, [api, businessId, member.user_id]);

  return (
    <section className="shared" aria-labelledby="shared-heading" aria-live="polite">
      <h3 id="shared-heading">Shared by {member.email}</h3>
      <Alert message={shared.error} />
      {shared.loading ? <Loading what="what they share" /> : null}
      {shared.data && !shared.data.shares ? (
        <p className="muted" data-testid="not-shared">
          {member.email} does not share their assessments and programs with coaches.
        </p>
      ) : null}
      {shared.data?.shares ? <SharedLists submissions={shared.data.submissions} programs={shared.data.programs} /> : null}
    </section>
  );
}

function SharedLists({ submissions, programs }: { submissions: Submission[]; programs: Program[] }) {
  if (!submissions.length && !programs.length) return <p className="muted">They share, but have taken no assessment yet.</p>;
  return (
    <ul className="plain" data-testid="shared-items">
      {submissions.map((submission) => (
        <li key={submission.id}>
          Assessment on <time dateTime={submission.created_at}>{formatDate(submission.created_at)}</time>: score {submission.score}, {submission.level}
        </li>
      ))}
      {programs.map((program) => (
        <li key={program.id}>
          Program “{program.title}”: {program.weeks_count} weeks, {program.sessions_per_week} sessions a week,{" "}
          {program.weeks.flatMap((week) => week.sessions).filter((session) => session.completed_at).length} sessions done
        </li>
      ))}
    </ul>
  );
}
