// How a person is named on screen: their profile's display name as the API answers it
// (`author_name` on posts and comments, `name` on likes and members), "You" for oneself, and a
// plain fallback when there is none (an account being deleted has no profile left).

export const NO_NAME = "A former member";

export function personName(userId: string, name: string | null | undefined, me?: string): string {
  if (me && userId === me) return "You";
  const shown = name?.trim();
  return shown ? shown : NO_NAME;
}

/** A member of a business: their name, with their e-mail address as the fallback staff can act on. */
export function memberName(member: { name?: string | null; email: string }): string {
  return member.name?.trim() || member.email;
}
